from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
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

from . import reminders, rules, selectors, services
from .models import RequestAttachment, StakeholderRequest
from .resources import RequestExport
from .search_admin import RequestSearchMixin

_FIELDS = {f.name for f in StakeholderRequest._meta.get_fields() if f.concrete or f.many_to_many}


def form_changes(form) -> dict:
    """The values a request's form (its page, or its row on the meeting's page) changes, for
    services.request_edit to turn into the step they mean."""
    return {name: form.cleaned_data[name] for name in form.changed_data if name in _FIELDS}


def officers():
    """The accounts that answer for a ministry: active, with a contact record at one."""
    return (
        get_user_model()
        .objects.filter(is_active=True, person__organization__kind=Organization.Kind.MINISTRY)
        .select_related("person__organization")
        .order_by("person__organization__name", "person__name")
    )


def officer_name(user) -> str:
    """An officer named with their ministry: "김영희 (산업통상자원부)"."""
    person = getattr(user, "person", None)
    if person is None:
        return user.get_full_name() or user.get_username()
    return f"{person.name} ({person.organization.name})"


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return officer_name(user)


class OfficerSelect(forms.Select):
    """Each officer's option carries their ministry (data-ministry), so that
    followups/assignee.js offers only the chosen ministry's; the form checks it anyway."""

    class Media:
        js = ["followups/assignee.js"]

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        person = getattr(getattr(value, "instance", None), "person", None)
        if person is not None:
            option["attrs"]["data-ministry"] = person.organization_id
        return option


def assignee_error(ministry, assignee):
    """Why `assignee` cannot answer for `ministry` (None when they can, or nobody is named)."""
    if assignee is None:
        return None
    if ministry is None:
        return _("Choose the ministry too: an officer answers for their own ministry.")
    person = getattr(assignee, "person", None)
    if person is None or person.organization_id != ministry.pk:
        return _("%(officer)s is not an officer of %(ministry)s.") % {
            "officer": officer_name(assignee),
            "ministry": ministry.name,
        }
    return None


def warn_if_nobody_emailed(request, stakeholder_request):
    """A request in a ministry's hands with no one to email (no officer named, no contact with
    an address at the ministry) would wait unseen: the coordinator is told at once."""
    in_hand = stakeholder_request.status in StakeholderRequest.NEEDS_MINISTRY
    if in_hand and not reminders.officers_of(stakeholder_request):
        messages.warning(
            request,
            _(
                "Nobody at %(ministry)s could be emailed about “%(request)s”: name an officer, "
                "or give the ministry a contact with an email address."
            )
            % {
                "ministry": stakeholder_request.ministry.name,
                "request": stakeholder_request.excerpt(40),
            },
        )


class RequestForm(forms.ModelForm):
    """A request's page: the officer must be one of the chosen ministry's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("assignee")
        if field is not None and self.instance.assignee_id:
            # One named before these rules stays choosable until it is changed.
            field.queryset = field.queryset | officers().model.objects.filter(
                pk=self.instance.assignee_id
            )

    def clean(self):
        data = super().clean()
        if "assignee" in self.fields and {"assignee", "ministry"} & set(self.changed_data):
            ministry = data.get("ministry", self.instance.ministry)
            if error := assignee_error(ministry, data.get("assignee")):
                self.add_error("assignee", error)
        return data


class AssignForm(forms.Form):
    """The bulk "assign" action's page: one ministry, optionally its officer and a due date."""

    ministry = forms.ModelChoiceField(
        Organization.objects.filter(kind=Organization.Kind.MINISTRY).order_by("name"),
        label=_("responsible ministry"),
    )
    assignee = OfficerChoiceField(
        officers(), label=_("assigned officer"), required=False, widget=OfficerSelect
    )
    due_date = forms.DateField(
        label=_("due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Left empty, each request keeps its own."),
    )

    def clean(self):
        data = super().clean()
        if error := assignee_error(data.get("ministry"), data.get("assignee")):
            self.add_error("assignee", error)
        return data


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
    form = RequestForm
    actions = ["assign", "publish"]

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
        ("published_at", admin.EmptyFieldListFilter),
        "is_public",
    ]
    list_select_related = ["organization", "meeting", "ministry"]
    # Filtered, the list counts its rows once, not the whole table beside them.
    show_full_result_count = False
    # Fifty rows a page: each row is a dozen cells rendered one by one.
    list_per_page = 50
    search_fields = ["text", "response", "organization__name", "organization__name_en"]
    date_hierarchy = "created_at"
    # The ministry and its officer are plain choices (there are few), so that choosing the
    # ministry narrows the officers (followups/assignee.js).
    autocomplete_fields = ["meeting", "organization", "person", "same_as"]
    filter_horizontal = ["commitments"]
    readonly_fields = [
        "published_at",
        "published_by",
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
                    "answer or a decline is emailed to the company, in a series that holds "
                    "answers once a coordinator publishes it."
                ),
            },
        ),
        (
            _("Publication"),
            {"fields": ["published_at", "published_by", "is_public", "public_summary"]},
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
        if db_field.name == "assignee":
            kwargs.update(queryset=officers(), form_class=OfficerChoiceField, widget=OfficerSelect)
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
            changes = form_changes(form)
            services.request_edit(request=obj, by=request.user, changes=changes)
            if {"status", "ministry", "assignee"} & set(changes):
                warn_if_nobody_emailed(request, obj)
        else:
            commitments = form.cleaned_data.get("commitments", ())
            services.request_create(request=obj, by=request.user, commitments=commitments)

    def has_publish_permission(self, request):
        return rules.may_publish(request.user)

    @admin.action(description=_("Publish the selected answers"), permissions=["publish"])
    def publish(self, request, queryset):
        """Publishes the held answers among the selected requests at once (request_publish):
        each company is emailed its answer once; the others are left as they are."""
        count = services.requests_publish(requests=queryset, by=request.user)
        if count:
            message = ngettext(
                "%(count)d answer published.", "%(count)d answers published.", count
            ) % {"count": count}
            self.message_user(request, message, messages.SUCCESS)
        else:
            self.message_user(
                request,
                _("No answer among the selected requests was waiting for publication."),
                messages.WARNING,
            )

    def has_assign_permission(self, request):
        return self.has_change_permission(request) and rules.may_edit_field(
            request.user, "ministry"
        )

    @admin.action(description=_("Assign the selected requests"), permissions=["assign"])
    def assign(self, request, queryset):
        """Asks for the ministry (its officer, a due date), then assigns each request through
        request_assign: each is one step, emailed once; one already with that ministry emails
        no one again, and one the workflow refuses is named and left as it is."""
        chosen = list(queryset.select_related("organization", "ministry").order_by("created_at"))
        form = AssignForm(request.POST if "confirm" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(
                request,
                "admin/followups/stakeholderrequest/assign.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Assign requests"),
                    "requests": chosen,
                    "form": form,
                    "media": form.media,
                    "opts": self.model._meta,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        fields = {"ministry": form.cleaned_data["ministry"]}
        if form.cleaned_data["assignee"] is not None:
            fields["assignee"] = form.cleaned_data["assignee"]
        if form.cleaned_data["due_date"] is not None:
            fields["due_date"] = form.cleaned_data["due_date"]
        assigned, refused = [], []
        for row in chosen:
            try:
                assigned.append(services.request_assign(request=row, by=request.user, **fields))
            except ValidationError as error:
                refused.append(f"{row.excerpt(40)} ({' '.join(error.messages)})")
        if assigned:
            self.message_user(
                request,
                ngettext(
                    "%(count)d request assigned to %(ministry)s.",
                    "%(count)d requests assigned to %(ministry)s.",
                    len(assigned),
                )
                % {"count": len(assigned), "ministry": fields["ministry"].name},
                messages.SUCCESS,
            )
            warn_if_nobody_emailed(request, assigned[0])
        if refused:
            self.message_user(
                request,
                _("Not assigned: %(requests)s") % {"requests": "; ".join(refused)},
                messages.ERROR,
            )
        return None

    def save_related(self, request, form, formsets, change):
        # The request's own fields and pledges were written by its service in save_model.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        services.request_delete(request=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.request_delete(request=obj, by=request.user)
