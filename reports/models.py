from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from files import checks
from files.storage import private_storage, random_name

# The largest form a coordinator may upload: a form is a few pages with a logo.
FORM_MAX_BYTES = 10 * 1024 * 1024


def form_path(form, filename):
    return random_name("report-forms")


class ReportForm(models.Model):
    """A ministry's own HWPX form for the result report: the report fills its labelled cells
    (reports.filling.LABELS) and leaves the rest of the form as it is."""

    title = models.CharField(
        _("title"), max_length=200, help_text=_("Shown on the button of a meeting's page.")
    )
    file = models.FileField(
        _("HWPX form"), storage=private_storage, upload_to=form_path, max_length=200
    )
    name = models.CharField(_("file name"), max_length=255, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("result report form")
        verbose_name_plural = _("result report forms")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="report_form_not_empty"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        """A new file is an HWPX file by its content (files.checks), and one the report can
        open and fill."""
        if not self.file or self.file._committed:
            return
        from . import filling

        try:
            described = checks.described(self.file.file, FORM_MAX_BYTES)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error
        if described["content_type"] != checks.MIME_TYPES["hwpx"]:
            raise ValidationError(
                {"file": _("“%(name)s” is not an HWPX file.") % {"name": described["name"]}}
            )
        if filling.unreadable(self.file.file):
            raise ValidationError(
                {
                    "file": _(
                        "“%(name)s” cannot be read as an HWPX document. Save it again in Hangul "
                        "as HWPX and upload it once more."
                    )
                    % {"name": described["name"]}
                }
            )
        self.name, self.size = described["name"], described["size"]
