"""Requests as a spreadsheet, with their answers."""

from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from files.spreadsheets import ExportResource

from .models import StakeholderRequest


class RequestExport(ExportResource):
    submitted_by = Field(column_name=_("submitted by"))
    same_as = Field(column_name=_("same as request no."))
    pledges = Field(column_name=_("pledges"))

    class Meta:
        model = StakeholderRequest
        fields = (
            "id",
            "meeting",
            "organization",
            "submitted_by",
            "category",
            "text",
            "source",
            "status",
            "ministry",
            "assignee",
            "due_date",
            "response",
            "responded_at",
            "same_as",
            "pledges",
            "created_at",
        )
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related(
            "meeting", "organization", "person", "ministry", "assignee"
        ).prefetch_related("commitments")

    def dehydrate_submitted_by(self, request):
        return request.person.name if request.person_id else ""

    def dehydrate_same_as(self, request):
        return request.same_as_id or ""

    def dehydrate_pledges(self, request):
        return "; ".join(commitment.title for commitment in request.commitments.all())
