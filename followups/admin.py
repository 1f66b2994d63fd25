from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.template_utils import HistoricalRecordContextHelper

from audit.history import HistoryAdmin
from files import checks
from files.spreadsheets import ExportAdminMixin
from pledges.admin import ShownToMixin, register_requests_display, shown_to
from stakeholders.models import Organization

from . import rules, selectors, services
from .models import RequestAttachment, StakeholderRequest
from .resources import RequestExport
from .search_admin import RequestSearchMixin

_FIELDS = {f.name for f in StakeholderRequest._meta.get_fields() if f.concrete or f.many_to_many}


def form_changes(form) -> dict:
    """The values a request's form (its page, or its row on the meeting's page) changes, for
    services.request_edit to turn into the step they mean."""
    return {name: form.cleaned_data[name] for name in form.changed_data if name in _FIELDS}


def request_link(user, request, text=None):
    """A link to a request's page named by `text` (its own name by default); for one outside
    the user's scope, "(another ministry's request)" alone: no text, no link."""
    if not selectors.is_visible_to(user, request):
        return selectors.name_for(user, request)
    url = reverse("admin:followups_stakeholderrequest_change", args=[request.pk])
    return format_html('<a href="{}">{}</a>', url, selectors.name_for(user, request, text))


def request_line(user, request, text, *details):
    """One line naming a request: a link named `text`, then `details`, "·" between them; for a
    request outside the user's scope, the placeholder alone."""
    if not selectors.is_visible_to(user, request):
        return selectors.name_for(user, request)
    parts = (request_link(user, request, text), *details)
    return format_html_join(" · ", "{}", ((part,) for part in parts))


@register_requests_display
def pledge_requests(user, commitment):
    """The requests a pledge answers, on the pledge's page: another ministry's is there for an
    officer, as the placeholder alone."""
    requests = commitment.requests.select_related("organization", "meeting")
    lines = (
        (request_line(user, r, r.excerpt(), r.organization.name, r.get_status_display()),)
        for r in requests
    )
    return format_html_join("", "<p>{}</p>", lines) or "—"


class RequestChanges(HistoricalRecordContextHelper):
    """A history page's "old → new" of a field pointing at a request (the earlier request):
    another ministry's is named by the placeholder."""

    def __init__(self, model, historical_record, *, user, **kwargs):
        super().__init__(model, historical_record, **kwargs)
        self.user = user

    def prepare_delta_change_value(self, change, value):
        if isinstance(value, StakeholderRequest):
            return selectors.name_for(self.user, value)
        return super().prepare_delta_change_value(change, value)


class AttachmentInline(admin.TabularInline):
    """Files the company sent; read only, downloaded through the admin's own permission check."""

    model = RequestAttachment
    fields = ["download", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by__organization")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, attachment):
        url = reverse(
            "admin:followups_stakeholderrequest_attachment",
            args=[attachment.request_id, attachment.pk],
        )
        return format_html('<a href="{}">{}</a>', url, attachment.name)


class MinistryFilter(admin.SimpleListFilter):
    title = _("responsible ministry")
    parameter_name = "ministry"

    def lookups(self, request, model_admin):
        ministries = Organization.objects.filter(kind=Organization.Kind.MINISTRY)
        return [("none", _("Not assigned")), *((str(m.pk), m.name) for m in ministries)]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(ministry__isnull=True)
        if self.value():
            return queryset.filter(ministry_id=self.value())
        return queryset


@admin.register(StakeholderRequest)
class StakeholderRequestAdmin(ShownToMixin, RequestSearchMixin, ExportAdminMixin, HistoryAdmin):
    resource_classes = [RequestExport]

    list_display = [
        "short_text",
        "organization",
        "meeting",
        "category",
        "status",
        "ministry",
        "due_date",
        "responded_at",
    ]
    list_filter = [
        "status",
        "category",
        "source",
        MinistryFilter,
        "meeting__series",
        "organization__kind",
        "due_date",
    ]
    list_select_related = ["organization", "meeting", "ministry"]
    search_fields = ["text", "response", "organization__name", "organization__name_en"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["meeting", "organization", "person", "ministry", "assignee", "same_as"]
    filter_horizontal = ["commitments"]
    readonly_fields = [
        "responded_at",
        "time_to_response",
        "created_at",
        "updated_at",
        "chain",
        "similar_requests",
    ]
    inlines = [AttachmentInline]
    fieldsets = [
        (None, {"fields": ["meeting", "organization", "person", "category", "source", "text"]}),
        (
            _("Follow-up"),
            {
                "fields": ["status", "ministry", "assignee", "due_date", "response", "notes"],
                "description": _(
                    "New → assigned (with a ministry) → in progress → answered → closed; a "
                    "request may be declined with a reason. Assigning emails the officer; an "
                    "answer or a decline is emailed to the company."
                ),
            },
        ),
        (_("Across the series"), {"fields": ["same_as", "chain", "similar_requests"]}),
        (_("Linked pledges"), {"fields": ["commitments"]}),
        (
            _("Record"),
            {"fields": ["responded_at", "time_to_response", "created_at", "updated_at"]},
        ),
    ]

    @admin.display(description=_("time to response"))
    def time_to_response(self, obj):
        elapsed = obj.time_to_response
        if elapsed is None:
            return "—"
        return ngettext("%(days)d day", "%(days)d days", elapsed.days) % {"days": elapsed.days}

    @admin.display(description=_("the same request at each meeting"))
    def chain(self, obj):
        chain = obj.chain() if obj.pk else []
        if len(chain) < 2:
            return "—"
        user = shown_to(obj)
        return format_html_join(
            "",
            "<p>{}</p>",
            (
                (request_line(user, r, r.meeting, r.organization.name, r.get_status_display()),)
                for r in chain
            ),
        )

    @admin.display(description=StakeholderRequest._meta.get_field("same_as").verbose_name)
    def earlier_request(self, obj):
        """The earlier request, read only (an officer's page): a link named by the request,
        or the placeholder for another ministry's."""
        if obj.same_as_id is None:
            return "—"
        return request_link(shown_to(obj), obj.same_as)

    @admin.display(description=_("request"))
    def short_text(self, obj):
        return obj.excerpt()

    def get_queryset(self, request):
        return selectors.requests_visible_to(request.user, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "same_as":
            kwargs["queryset"] = selectors.requests_visible_to(
                request.user, StakeholderRequest.objects.select_related("organization")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not selectors.is_ministry_officer(request.user):
            return fieldsets
        # An officer reads the earlier request and never sets it: shown through the
        # visibility rule, not as the field's own display (a link named by any request).
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        "earlier_request" if f == "same_as" else f for f in options["fields"]
                    ],
                },
            )
            for name, options in fieldsets
        ]

    def get_historical_record_context_helper(self, request, historical_record):
        return RequestChanges(self.model, historical_record, user=request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or selectors.is_visible_to(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or selectors.is_visible_to(request.user, obj)
        )

    def out_of_scope(self, request, object_id):
        """Another ministry's request is not there for an officer, whatever the URL says; a
        deleted request's history stays for those who may see it."""
        existing = StakeholderRequest.objects.filter(pk=self.object_key(object_id)).first()
        if existing is not None and not selectors.is_visible_to(request.user, existing):
            raise Http404(_("No such request."))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self.out_of_scope(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self.out_of_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.out_of_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_urls(self):
        download = self.admin_site.admin_view(self.attachment_view)
        return [
            path(
                "<path:object_id>/attachments/<int:pk>/",
                download,
                name="followups_stakeholderrequest_attachment",
            ),
            *super().get_urls(),
        ]

    def attachment_view(self, request, object_id, pk):
        # Like the change page: 403 for staff who may not read requests at all, 404 for a
        # request they may not see (another ministry's, for an officer).
        if not self.has_view_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404(_("No such request."))
        return checks.download(get_object_or_404(obj.attachments, pk=pk))

    def get_readonly_fields(self, request, obj=None):
        if selectors.is_ministry_officer(request.user):
            fieldsets = self.get_fieldsets(request, obj)
            every = [f for fieldset in fieldsets for f in fieldset[1]["fields"]]
            return [f for f in every if not rules.may_edit_field(request.user, f)]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            services.request_edit(request=obj, by=request.user, changes=form_changes(form))
        else:
            commitments = form.cleaned_data.get("commitments", ())
            services.request_create(request=obj, by=request.user, commitments=commitments)

    def save_related(self, request, form, formsets, change):
        # The request's own fields and pledges were written by its service in save_model.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        services.request_delete(request=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.request_delete(request=obj, by=request.user)
