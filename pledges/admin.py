from decimal import Decimal

from django import forms
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.history import HistoryAdmin
from events import admin_parts
from files.spreadsheets import ExportAdminMixin

from . import charts, formatting, selectors, services
from .models import Commitment, ProgressEntry
from .resources import CommitmentExport


class ShownToMixin:
    """Remembers on the object who is looking at its page (the change page, or one of its past
    versions), for the display methods that name requests: the admin hands them the object
    only, and a request outside the viewer's scope must be named by the placeholder. (Here,
    the lowest admin that names requests; the request pages use it too.)"""

    def get_fieldsets(self, request, obj=None):
        if obj is not None:
            obj.shown_to = request.user
        return super().get_fieldsets(request, obj)


def shown_to(obj):
    """Who looks at `obj`'s page; None (nothing is shown) when no page said so."""
    return getattr(obj, "shown_to", None)


# How a pledge's page lists the requests it answers: followups, above pledges, says so
# (register_requests_display, from followups/admin.py), so that pledges imports no higher app.
_requests_display = []


def register_requests_display(display):
    """`display(user, commitment)` -> HTML: the requests the pledge answers, as `user` may
    see them. Registering again replaces it."""
    _requests_display[:] = [display]
    return display


class FigureField(forms.DecimalField):
    """A pledge's figure in a form as people write it: 26 and 18.5, not 26.0000 and 18.5000."""

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return value


FIGURE_FIELDS = {models.DecimalField: {"form_class": FigureField}}


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
        return formatting.format_change(obj) or "—"


class ProgressEntryInline(admin.TabularInline):
    model = ProgressEntry
    fields = ["date", "value", "note", "source"]
    extra = 0
    formfield_overrides = FIGURE_FIELDS


class CommitmentInline(admin_parts.MeetingInline, FiguresMixin, admin.TabularInline):
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
    formfield_overrides = FIGURE_FIELDS

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
        (
            _("Progress"),
            {"fields": ["progress", "progress_chart", "answered_requests", "course"]},
        ),
        (_("Source"), {"fields": ["source"]}),
    ]
    readonly_fields = ["progress", "progress_chart", "answered_requests", "course"]
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

    @admin.display(description=_("timeline"))
    def course(self, obj):
        if obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("dashboard-pledge", args=[obj.pk]),
            _("Where it was announced, the requests it answers and every progress entry"),
        )

    @admin.display(description=_("requests this pledge answers"))
    def answered_requests(self, obj):
        if obj.pk is None or not _requests_display:
            return "—"
        return _requests_display[0](shown_to(obj), obj)
