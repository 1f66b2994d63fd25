"""Pledges as a spreadsheet: figures as entered, and progress as the admin shows it."""

from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from files.spreadsheets import ExportResource

from . import selectors
from .models import Commitment


class CommitmentExport(ExportResource):
    baseline = Field(column_name=_("baseline as announced"))
    target = Field(column_name=_("target as announced"))
    amount = Field(column_name=_("amount as announced"))
    progress = Field(column_name=_("progress (%)"))

    class Meta:
        model = Commitment
        fields = (
            "id",
            "title",
            "title_en",
            "kind",
            "meeting",
            "ministry",
            "baseline",
            "target",
            "amount",
            "progress",
            "unit",
            "baseline_value",
            "baseline_qualifier",
            "baseline_year",
            "target_value",
            "target_year",
            "amount_krw",
            "amount_qualifier",
            "source",
        )
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        # The admin's list annotates this already; any other caller gets it here.
        if "latest_value" in queryset.query.annotations:
            return queryset.select_related("meeting", "ministry")
        return selectors.with_latest_progress(queryset).select_related("meeting", "ministry")

    def dehydrate_baseline(self, commitment):
        return commitment.baseline_display()

    def dehydrate_target(self, commitment):
        return commitment.target_display()

    def dehydrate_amount(self, commitment):
        return commitment.amount_display()

    def dehydrate_progress(self, commitment):
        percent = selectors.progress_of(commitment)
        return "" if percent is None else round(float(percent), 1)
