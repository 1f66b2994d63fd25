from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.history import HistoryAdmin
from files.spreadsheets import ExportAdminMixin, ImportExportAdminMixin, xlsx_download
from links import admin as links_admin
from stakeholders import services as stakeholders
from stakeholders.models import ContactAccess

from . import admin_parts, dates, rules, services
from .forms import AttendeeConfirmForm, AttendeeImportForm, DuplicateForm
from .models import (
    Attendance,
    AttendanceReply,
    Meeting,
    MeetingDocument,
    Presentation,
    Series,
)
from .resources import AttendanceExport, AttendeeImport, MeetingExport, attendee_template


@admin.register(Series)
class SeriesAdmin(HistoryAdmin):
    list_display = ["name", "name_en", "host", "meeting_count"]
    search_fields = ["name", "name_en", "slug", "host"]
    prepopulated_fields = {"slug": ["name_en"]}
    ordering = ["name"]  # annotated querysets drop Meta.ordering

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        match = request.resolver_match
        if match is None or match.url_name != "events_series_changelist":
            # Only the list shows the count: a series' own page counted its 100,000
            # meetings (110 ms) to show none of them.
            return queryset
        return queryset.annotate(meeting_total=Count("meetings"))

    @admin.display(description=_("meetings"), ordering="meeting_total")
    def meeting_count(self, obj):
        return obj.meeting_total


def reply_display(attendance) -> str:
    """The latest answers from reply links, e.g. "김철강: Will attend (09-15 10:02)"."""
    answered = [r for r in attendance.replies.all() if r.answer]
    return (
        "; ".join(
            f"{r.person.name}: {r.get_answer_display()} "
            f"({formats.date_format(timezone.localtime(r.answered_at), 'SHORT_DATETIME_FORMAT')})"
            for r in answered
        )
        or "—"
    )


class CheckedRowForm(admin_parts.RowForm):
    """A row of a meeting's list or presentations, checked by the service's rules as the form
    is validated, so that a refused row is an error on the row and not on saving."""

    check = None  # the service's check, e.g. services.attendance_check

    def _post_clean(self):
        super()._post_clean()  # the instance holds the form's values now
        if self.errors:
            return
        try:
            type(self).check(self.instance)
        except ValidationError as error:
            self._update_errors(error)


class AttendanceForm(CheckedRowForm):
    @staticmethod
    def check(attendance):
        services.attendance_check(attendance=attendance)


class PresentationForm(CheckedRowForm):
    @staticmethod
    def check(presentation):
        services.presentation_check(presentation=presentation)


class AttendanceInline(admin_parts.MeetingInline, admin.TabularInline):
    model = Attendance
    form = AttendanceForm
    fields = ["organization", "person", "role", "status", "replaces", "note", "reply"]
    readonly_fields = ["reply"]
    autocomplete_fields = ["organization", "person", "replaces"]
    extra = 0

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("organization", "person__organization", "replaces__organization")
            .prefetch_related("replies__person")
        )

    @admin.display(description=_("answer from the reply link"))
    def reply(self, obj):
        return reply_display(obj)


class PresentationInline(admin_parts.MeetingInline, admin.StackedInline):
    model = Presentation
    form = PresentationForm
    fields = [("organization", "presenter"), ("title", "title_en"), "summary", "order"]
    autocomplete_fields = ["organization", "presenter"]
    extra = 0

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("organization", "presenter__organization")
        )


def save_rows(formset, *, save, delete):
    """A formset's rows through the services: removed rows first (a row re-added in the same
    save would clash with them), then new and changed ones."""
    formset.save(commit=False)  # what changed, for the meeting's history; nothing is written
    for row in formset.deleted_objects:
        delete(row)
    for row in [*formset.new_objects, *(row for row, _names in formset.changed_objects)]:
        save(row)


def document_link(document):
    if document.pk is None:
        return "—"
    return format_html(
        '<a href="{}" download>{}</a> ({})',
        reverse("meeting-document", args=[document.meeting_id, document.pk]),
        document.name,
        filesizeformat(document.size),
    )


class MeetingDocumentInline(admin_parts.MeetingInline, admin.TabularInline):
    model = MeetingDocument
    fields = ["kind", "title", "title_en", "visibility", "file", "download"]
    readonly_fields = ["download"]
    extra = 0

    @admin.display(description=_("stored file"))
    def download(self, obj):
        return document_link(obj)


ATTENDING = [Attendance.Status.CONFIRMED, Attendance.Status.ATTENDED, Attendance.Status.SUBSTITUTE]


def attendance_figures(meeting):
    """Organizations invited and attending, then the rows by status, in one query."""
    rows = Attendance.objects.filter(meeting=meeting)
    counts = rows.aggregate(
        organizations=Count("organization", distinct=True),
        attending=Count("organization", distinct=True, filter=Q(status__in=ATTENDING)),
        **{value: Count("id", filter=Q(status=value)) for value in Attendance.Status.values},
    )
    by_status = ", ".join(
        f"{label} {counts[value]}" for value, label in Attendance.Status.choices if counts[value]
    )
    return [
        (_("Organizations invited"), counts["organizations"]),
        (_("Organizations attending"), counts["attending"]),
        (_("Attendees"), by_status or "—"),
    ]


def presentation_figures(meeting):
    return [(_("Presentations"), meeting.presentations.count())]


def meeting_facts(meeting):
    """The first lines of a meeting's summary: when, its status, where, who hosts."""
    where = ", ".join(part for part in (meeting.venue, meeting.address) if part)
    status = f"{meeting.get_status_display()} · {meeting.get_visibility_display()}"
    return [
        (_("When"), dates.meeting_when(meeting)),
        (_("Status"), status),
        (_("Where"), where or "—"),
        (_("Host"), meeting.host or "—"),
    ]


def meeting_summary(meeting):
    """What a coordinator reads first on a meeting's page; the other apps' lines (registered)
    between the attendance and the presentations."""
    return [
        *meeting_facts(meeting),
        *attendance_figures(meeting),
        *(row for part in admin_parts.figures() for row in part.rows(meeting)),
        *presentation_figures(meeting),
    ]


class AttendingOrganizationFilter(admin.SimpleListFilter):
    """Meetings an organization attended, by a part of its name typed in a box: a list of
    choices would list every organization that ever attended."""

    title = _("attending organization")
    parameter_name = "organization"
    template = "admin/events/meeting/organization_filter.html"

    def lookups(self, request, model_admin):
        return []

    def has_output(self):
        return True

    def choices(self, changelist):
        # The box's form keeps the list's other filters, search and sort.
        yield {
            "kept": [
                (name, value)
                for name, value in changelist.params.items()
                if name != self.parameter_name
            ]
        }

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        named = Q(organization__name__icontains=self.value()) | Q(
            organization__name_en__icontains=self.value()
        )
        return queryset.filter(Exists(Attendance.objects.filter(named, meeting=OuterRef("pk"))))


@admin.register(Meeting)
class MeetingAdmin(ExportAdminMixin, HistoryAdmin):
    """A meeting's page and list; the apps above events add their inlines, panels, summary
    figures, columns, annotations and actions through admin_parts."""

    resource_classes = [MeetingExport]
    change_form_template = "admin/events/meeting/change_form.html"

    class Media:
        # Section links that open what they point at; the page works without them.
        js = ["events/meeting_admin.js"]
        css = {"all": ["events/meeting_admin.css"]}

    list_display = [
        "relay_number",
        "title",
        "when",
        "venue",
        "status",
        "visibility",
        "attendance_total",
    ]
    list_display_links = ["relay_number", "title"]
    list_filter = [
        "series",
        "status",
        "visibility",
        "all_day",
        AttendingOrganizationFilter,
    ]
    # The count of the whole table beside a filtered one would be a second count.
    show_full_result_count = False
    # Fifty rows a page: each row is a dozen cells rendered one by one.
    list_per_page = 50
    date_hierarchy = "period_start"
    search_fields = ["title", "title_en", "theme", "venue", "address", "host", "description"]
    ordering = ["-period_start"]
    list_select_related = ["series"]
    autocomplete_fields = ["series"]
    actions = ["mark_held", "duplicate", "send_invitations"]
    readonly_fields = ["version", "created_at", "updated_at"]
    fieldsets = [
        (
            _("Meeting"),
            {
                "fields": [
                    "series",
                    "relay_number",
                    ("title", "title_en"),
                    "theme",
                    "host",
                    "description",
                ]
            },
        ),
        (
            _("When"),
            {
                "fields": ["all_day", ("start_date", "end_date"), ("starts_at", "ends_at")],
                "description": _(
                    "All-day meetings take the first and last day; timed meetings take "
                    "start and end times (Asia/Seoul)."
                ),
            },
        ),
        (_("Where"), {"fields": ["venue", "address"]}),
        (_("Status"), {"fields": ["status", "visibility", "feedback_deadline"]}),
        (_("Record"), {"fields": ["version", "created_at", "updated_at"]}),
    ]
    inlines = [AttendanceInline, PresentationInline, MeetingDocumentInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                attendance_count=admin_parts.rows_of(Attendance.objects),
                **admin_parts.annotations(),
            )
        )

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), *(p.inline for p in admin_parts.inlines())]

    def get_fieldsets(self, request, obj=None):
        panels = [(p.title, {"fields": [p.display]}) for p in admin_parts.panels()]
        fieldsets = [*super().get_fieldsets(request, obj), *panels]
        if obj is None:
            return fieldsets  # a new meeting: every field open
        # Below the summary, each part is collapsed under its heading.
        return [
            (name, {**options, "classes": [*options.get("classes", ()), "collapse"]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        panels = [p.display for p in admin_parts.panels()]
        return [*super().get_readonly_fields(request, obj), *panels]

    def get_list_display(self, request):
        columns = [c.display for c in admin_parts.columns()]
        return [*super().get_list_display(request), *columns]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.actions is None or IS_POPUP_VAR in request.GET:
            return actions
        for action in admin_parts.actions():
            if action.allowed(request):
                actions[action.name] = (action.run, action.name, action.description)
        return actions

    @admin.display(description=_("date"), ordering="period_start")
    def when(self, obj):
        return dates.meeting_when(obj)

    @admin.display(description=_("attendees"), ordering="attendance_count")
    def attendance_total(self, obj):
        return obj.attendance_count

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["summary"] = format_html_join(
                "", "<div><dt>{}</dt><dd>{}</dd></div>", meeting_summary(obj)
            )
        response = super().render_change_form(request, context, add, change, form_url, obj)
        response.add_post_render_callback(admin_parts.compact_html)
        return response

    @admin.action(description=_("Mark selected meetings as held"), permissions=["change"])
    def mark_held(self, request, queryset):
        changed = services.meetings_mark_held(meetings=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d meeting marked as held.", "%(count)d meetings marked as held.", changed
            )
            % {"count": changed},
            messages.SUCCESS,
        )

    def has_send_invitations_permission(self, request):
        return rules.may_send_invitations(request.user)

    @admin.action(
        description=_("Email the invitation with a reply link to invited attendees"),
        permissions=["send_invitations"],
    )
    def send_invitations(self, request, queryset):
        sent = sum(services.invitations_send(meeting=meeting) for meeting in queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d invitation sent; people already invited to the same date were not "
                "emailed again.",
                "%(count)d invitations sent; people already invited to the same date were not "
                "emailed again.",
                sent,
            )
            % {"count": sent},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Duplicate the selected meeting with its invitation list"),
        permissions=["add"],
    )
    def duplicate(self, request, queryset):
        """Asks for the new meeting's date, then makes the copy (internal until made public)."""
        if queryset.count() != 1:
            self.message_user(
                request, _("Select exactly one meeting to duplicate."), messages.ERROR
            )
            return None
        meeting = queryset.get()
        form = DuplicateForm(request.POST if "confirm" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(
                request,
                "admin/events/meeting/duplicate.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Duplicate a meeting"),
                    "meeting": meeting,
                    "form": form,
                    "opts": self.model._meta,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        copy = services.meeting_duplicate(meeting=meeting, on=form.cleaned_data["date"])
        self.message_user(
            request,
            _(
                "Copy created as an internal, planned meeting: check its details and number, "
                "then make it public when it is announced."
            ),
            messages.SUCCESS,
        )
        return redirect(reverse("admin:events_meeting_change", args=[copy.pk]))

    def save_model(self, request, obj, form, change):
        services.meeting_save(meeting=obj)

    def save_formset(self, request, form, formset, change):
        part = admin_parts.inline_for(formset.model)
        if part is not None:
            # Another app's rows: through its services, or not at all (a read-only inline;
            # commit=False writes nothing, it tells the page's history what changed).
            if part.save is None:
                formset.save(commit=False)
            else:
                part.save(request, formset)
            return None
        if formset.model is Attendance:
            return save_rows(
                formset,
                save=lambda row: services.attendance_save(attendance=row),
                delete=lambda row: services.attendance_delete(attendance=row),
            )
        if formset.model is Presentation:
            return save_rows(
                formset,
                save=lambda row: services.presentation_save(presentation=row),
                delete=lambda row: services.presentation_delete(presentation=row),
            )
        for document in formset.save(commit=False):
            services.document_save(document=document, user=request.user)
        for document in formset.deleted_objects:
            document.delete()
        return None


@admin.register(Attendance)
class AttendanceAdmin(ImportExportAdminMixin, HistoryAdmin):
    """Attendance across meetings; attendee lists are imported here from Excel or CSV for
    one meeting at a time (see resources.AttendeeImport)."""

    list_display = ["meeting", "organization", "person", "role", "status", "reply"]
    list_filter = ["role", "status", "replies__answer", "meeting__series", "organization__kind"]
    list_select_related = ["meeting", "organization", "person__organization"]
    # Filtered, the list counts its rows once, not the whole table beside them.
    show_full_result_count = False
    # Fifty rows a page: each row is a dozen cells rendered one by one.
    list_per_page = 50
    search_fields = [
        "meeting__title",
        "organization__name",
        "organization__name_en",
        "person__name",
    ]
    autocomplete_fields = ["meeting", "organization", "person", "replaces"]

    import_form_class = AttendeeImportForm
    confirm_form_class = AttendeeConfirmForm
    import_template_name = "admin/events/attendance/import.html"

    def get_export_data(self, file_format, request, queryset, **kwargs):
        # The file carries attendees' email addresses and phone numbers.
        stakeholders.contacts_accessed(
            request=request, action=ContactAccess.Action.LISTED, detail="attendance export"
        )
        return super().get_export_data(file_format, request, queryset, **kwargs)

    def get_urls(self):
        template = path(
            "import/template/",
            self.admin_site.admin_view(self.import_template),
            name="events_attendance_import_template",
        )
        return [template, *super().get_urls()]

    def import_template(self, request):
        """A blank attendee list with the columns an import reads, and one example row."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        return xlsx_download(attendee_template(), _("attendee list"))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("replies__person")

    def get_import_resource_classes(self, request):
        return [AttendeeImport]

    def get_export_resource_classes(self, request):
        return [AttendanceExport]

    def get_import_form_initial(self, request):
        return {**super().get_import_form_initial(request), "meeting": request.GET.get("meeting")}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["meeting"] = import_form.cleaned_data["meeting"].pk
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        valid = form is not None and form.is_bound and form.is_valid()
        return {
            **super().get_import_resource_kwargs(request, **kwargs),
            "meeting": form.cleaned_data.get("meeting") if valid else None,
        }

    def process_result(self, result, request):
        response = super().process_result(result, request)
        if response.url == reverse("admin:events_attendance_changelist"):
            # Back to the list of the meeting the file was for.
            response["Location"] += f"?meeting__id__exact={request.POST.get('meeting', '')}"
        return response

    def get_import_data_kwargs(self, **kwargs):
        # The file was previewed, but the lists may have changed since: any bad row on
        # confirming undoes the whole import too.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    @admin.display(description=_("answer from the reply link"))
    def reply(self, obj):
        return reply_display(obj)


@admin.register(AttendanceReply)
class AttendanceReplyAdmin(HistoryAdmin):
    """Who answered their invitation, and how; links can be revoked here."""

    list_display = ["person", "meeting", "answer", "answered_at", "substitute", "revoked_at"]
    list_filter = ["answer", "attendance__meeting__series", "attendance__meeting"]
    list_select_related = [
        "person__organization",
        "attendance__meeting",
        "substitute__organization",
    ]
    search_fields = [
        "person__name",
        "person__name_en",
        "person__email",
        "attendance__meeting__title",
    ]
    fields = [
        "attendance",
        "person",
        "answer",
        "answered_at",
        "substitute",
        "created_at",
        "revoked_at",
    ]
    readonly_fields = fields
    actions = [links_admin.revoke]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("meeting"), ordering="attendance__meeting__period_start")
    def meeting(self, obj):
        return obj.attendance.meeting


@admin.register(Presentation)
class PresentationAdmin(HistoryAdmin):
    list_display = ["title", "organization", "meeting"]
    list_select_related = ["meeting", "organization"]
    search_fields = ["title", "title_en", "summary", "organization__name"]
    autocomplete_fields = ["meeting", "organization", "presenter"]


@admin.register(MeetingDocument)
class MeetingDocumentAdmin(HistoryAdmin):
    list_display = ["title", "kind", "meeting", "visibility", "download", "uploaded_at"]
    list_filter = ["kind", "visibility", "meeting__series"]
    list_select_related = ["meeting"]
    search_fields = ["title", "title_en", "name", "meeting__title", "meeting__title_en"]
    autocomplete_fields = ["meeting"]
    fields = [
        "meeting",
        "kind",
        "title",
        "title_en",
        "visibility",
        "file",
        "download",
        "uploaded_by",
        "uploaded_at",
    ]
    readonly_fields = ["download", "uploaded_by", "uploaded_at"]
    date_hierarchy = "uploaded_at"

    @admin.display(description=_("stored file"))
    def download(self, obj):
        return document_link(obj)

    def save_model(self, request, obj, form, change):
        services.document_save(document=obj, user=request.user)
