from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Commitment, ProgressEntry


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
class CommitmentAdmin(FiguresMixin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "baseline", "target", "amount", "change", "meeting"]
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
        (_("Source"), {"fields": ["source"]}),
    ]
    inlines = [ProgressEntryInline]
