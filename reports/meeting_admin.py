"""The result report's buttons on a meeting's admin page (see events/admin_parts.py)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from events import admin_parts

from .models import ReportForm


@admin.display(description=_("download"))
def report_downloads(meeting):
    if meeting.pk is None:
        return "—"
    buttons = [
        (reverse("meeting-report-hwpx", args=[meeting.pk]), _("HWPX (Hangul)")),
        (reverse("meeting-report-docx", args=[meeting.pk]), _("DOCX (Word)")),
        *(
            (
                reverse("meeting-report-form", args=[meeting.pk, form.pk]),
                _("HWPX in the form “%(form)s”") % {"form": form.title},
            )
            for form in ReportForm.objects.order_by("title", "pk")
        ),
    ]
    return format_html(
        '<p class="report-downloads">{}</p><p>{}</p>',
        # Inline-block: a long form's name wraps inside its button, not across the others.
        format_html_join(
            "",
            '<a class="button" href="{}" download style="display:inline-block;margin:0 4px 6px 0">'
            "{}</a>",
            buttons,
        ),
        _(
            "Date and time, venue, host, attendees by organization, presentations, requests "
            "with their status and answers (only those the company can see), and the pledges "
            "announced, in your language. A ministry's own HWPX form can be added under "
            "Result report forms."
        ),
    )


admin_parts.register(admin_parts.Panel(_("Result report"), report_downloads, order=50))
