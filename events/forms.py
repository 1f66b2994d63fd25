from django import forms
from django.utils.translation import gettext_lazy as _
from import_export.forms import ConfirmImportForm, ImportForm

from files import archives

from .models import AttendanceReply, Meeting

# An attendee list of thousands of rows unpacks to a few megabytes; openpyxl holds it all.
IMPORT_MAX_UNPACKED_BYTES = 64 * 1024 * 1024


class ReplyForm(forms.Form):
    """An invited person's answer: attend, not attend, or send a colleague."""

    answer = forms.ChoiceField(
        label=_("Will you attend?"),
        choices=AttendanceReply.Answer.choices,
        widget=forms.RadioSelect,
    )
    substitute_name = forms.CharField(label=_("Substitute's name"), max_length=100, required=False)
    substitute_email = forms.EmailField(
        label=_("Substitute's email"), max_length=254, required=False
    )
    substitute_position = forms.CharField(
        label=_("Substitute's position"), max_length=200, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("answer") != AttendanceReply.Answer.SUBSTITUTE:
            return data
        for field in ("substitute_name", "substitute_email"):
            if not data.get(field) and field not in self.errors:
                self.add_error(field, _("Needed to name a substitute."))
        return data

    def substitute(self) -> dict | None:
        if self.cleaned_data["answer"] != AttendanceReply.Answer.SUBSTITUTE:
            return None
        return {
            "name": self.cleaned_data["substitute_name"],
            "email": self.cleaned_data["substitute_email"],
            "position": self.cleaned_data["substitute_position"],
        }


class DuplicateForm(forms.Form):
    """The day of the copy a coordinator makes of a meeting for the next one of the relay."""

    date = forms.DateField(
        label=_("Date of the new meeting"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "The copy keeps the time of day, venue, host and invitation list; it starts "
            "planned and internal, without the description, presentations or results."
        ),
    )


class AttendeeImportForm(ImportForm):
    """The admin's import form, plus the meeting the attendee list is for."""

    meeting = forms.ModelChoiceField(Meeting.objects.order_by("-period_start"), label=_("Meeting"))
    field_order = ["meeting", "import_file", "format"]

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        # An Excel file is a zip: its parts are counted and sized before anything opens it.
        archives.check(upload, max_unpacked=IMPORT_MAX_UNPACKED_BYTES)
        return upload


class AttendeeConfirmForm(ConfirmImportForm):
    meeting = forms.ModelChoiceField(Meeting.objects.all(), widget=forms.HiddenInput)
