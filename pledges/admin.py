from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from audit.history import HistoryAdmin
from files.spreadsheets import ExportAdminMixin
from followups.admin import ShownToMixin, request_line, shown_to

from . import charts, selectors, services
from .models import Commitment, ProgressEntry
from .resources import CommitmentExport


class FiguresMixin:
    """Columns that show a pledge's figures as people read them: "5% 미만 (2025)", "10조원"."""

    @admin.display(description=_("baseline"))
    def baseline(self, obj):
        return obj.baseline_display() or "—"

    @admin.display(description=_("target"))
    def target(self, obj):
        return obj.target_display() or "—"

    @admin.display(description=_("amount"), ordering="amount_krw")
    def amount(self, obj):
        return obj.amount_display() or "—"

    @admin.display(description=_("change"))
    def change(self, obj):
        percent = obj.change_percent
        return "—" if percent is None else f"{percent:+.1f}%"


class ProgressEntryInline(admin.TabularInline):
    model = ProgressEntry
    fields = ["date", "value", "note", "source"]
    extra = 0


class CommitmentInline(FiguresMixin, admin.TabularInline):
    """The pledges announced at a meeting, on the meeting's page."""

    model = Commitment
    fields = ["title", "kind", "baseline", "target", "amount"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False
    verbose_name_plural = _("government pledges announced at this meeting")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Commitment)
class CommitmentAdmin(ShownToMixin, ExportAdminMixin, FiguresMixin, HistoryAdmin):
    resource_classes = [CommitmentExport]

    list_display = [
        "title",
        "kind",
        "baseline",
        "target",
        "amount",
        "change",
        "progress",
        "meeting",
    ]
    list_filter = ["kind", "meeting__series", "meeting", "ministry"]
    list_select_related = ["meeting", "ministry"]
    search_fields = ["title", "title_en", "description"]
    autocomplete_fields = ["meeting", "ministry"]
    fieldsets = [
        (None, {"fields": [("title", "title_en"), "kind", "description", "meeting", "ministry"]}),
        (
            _("Figures"),
            {
                "fields": [
                    "unit",
                    ("baseline_value", "baseline_qualifier", "baseline_year"),
                    ("target_value", "target_year"),
                    ("amount_krw", "amount_qualifier"),
                ]
            },
        ),
        (_("Progress"), {"fields": ["progress", "progress_chart", "answered_requests"]}),
        (_("Source"), {"fields": ["source"]}),
    ]
    readonly_fields = ["progress", "progress_chart", "answered_requests"]
    inlines = [ProgressEntryInline]

    def get_queryset(self, request):
        return selectors.with_latest_progress(super().get_queryset(request))

    def save_model(self, request, obj, form, change):
        services.commitment_save(commitment=obj)

    def save_formset(self, request, form, formset, change):
        for entry in formset.save(commit=False):
            services.progress_entry_save(entry=entry)
        for entry in formset.deleted_objects:
            entry.delete()

    @admin.display(description=_("progress"))
    def progress(self, obj):
        return charts.progress_bar(selectors.progress_of(obj)) if obj.pk else "—"

    @admin.display(description=_("progress over time"))
    def progress_chart(self, obj):
        return charts.progress_chart(obj, obj.progress_entries.all()) if obj.pk else "—"

    @admin.display(description=_("requests this pledge answers"))
    def answered_requests(self, obj):
        if obj.pk is None:
            return "—"
        # Another ministry's request is there for an officer, as the placeholder alone.
        user = shown_to(obj)
        requests = obj.requests.select_related("organization", "meeting")
        return (
            format_html_join(
                "",
                "<p>{}</p>",
                (
                    (
                        request_line(
                            user, r, r.excerpt(), r.organization.name, r.get_status_display()
                        ),
                    )
                    for r in requests
                ),
            )
            or "—"
        )
