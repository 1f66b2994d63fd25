from django import forms
from django.contrib import admin
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from audit.history import HistoryAdmin

from . import filling, services
from .models import ReportForm

FIELD_NAMES = {
    "title": _("title"),
    "when": _("date and time"),
    "venue": _("venue"),
    "host": _("host"),
    "attendees": _("attendees"),
    "presentations": _("presentations"),
    "requests": _("requests"),
    "pledges": _("pledges"),
}


@admin.register(ReportForm)
class ReportFormAdmin(HistoryAdmin):
    """The ministries' own HWPX forms for the result report; each is offered as a button on
    every meeting's page."""

    list_display = ["title", "name", "file_size", "fills", "uploaded_by", "uploaded_at"]
    search_fields = ["title", "name"]
    fields = ["title", "file", "fills", "name", "file_size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["fills", "name", "file_size", "uploaded_by", "uploaded_at"]
    # The stored file has no address of its own: no "Currently" link to it.
    formfield_overrides = {models.FileField: {"widget": forms.FileInput}}

    def get_fields(self, request, obj=None):
        # What the stored file is, only once there is one.
        return self.fields if obj else ["title", "file", "fills"]

    @admin.display(description=_("size"))
    def file_size(self, obj):
        return filesizeformat(obj.size) if obj.size else "—"

    @admin.display(description=_("fills"))
    def fills(self, obj):
        """Which of the report's fields the form asks for, so that a form whose labels differ
        from reports.filling.LABELS is noticed before a report is written into it."""
        if obj.pk is None:
            return _("Labels the report fills: %(labels)s.") % {"labels": _labels_help()}
        try:
            with obj.file.open("rb") as stored:
                found = filling.labels_in(stored.read())
        except FileNotFoundError:
            return _("The file is no longer stored.")
        if not found:
            return _("None of the labels the report fills: %(labels)s.") % {
                "labels": _labels_help()
            }
        return ", ".join(str(FIELD_NAMES[field]) for field in found)

    def save_model(self, request, obj, form, change):
        services.report_form_save(form=obj, user=request.user)


def _labels_help() -> str:
    return "; ".join(
        f"{FIELD_NAMES[field]}: {', '.join(labels)}" for field, labels in filling.LABELS.items()
    )
