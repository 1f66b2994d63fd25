"""A meeting's result report as a download, for staff who may see the meeting (the buttons
are on its admin page, see reports.meeting_admin)."""

import re

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from events import rules
from events.models import Meeting
from files.checks import MIME_TYPES

from . import documents, filling, selectors
from .models import ReportForm

# What a file name may not hold on Windows, macOS or Linux, and control characters.
UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def _meeting(request, pk) -> Meeting:
    if not request.user.has_perm("events.view_meeting"):
        raise PermissionDenied
    meeting = get_object_or_404(Meeting.objects.select_related("series"), pk=pk)
    if not rules.may_see_meeting(request.user, meeting):
        raise PermissionDenied
    return meeting


def _download(meeting, content: bytes, extension: str) -> HttpResponse:
    """The file, named "결과보고_<title>_<first day>.<extension>" in the reader's language
    (RFC 6266 with the RFC 5987 form for the Korean name)."""
    title = " ".join(UNSAFE_IN_NAMES.sub(" ", selectors.named(meeting, "title")).split())[:80]
    day = meeting.local_start_date.isoformat()
    response = HttpResponse(content, content_type=MIME_TYPES[extension])
    response["Content-Disposition"] = content_disposition_header(
        True, f"{pgettext('file name', 'Result report')}_{title}_{day}.{extension}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def meeting_report_hwpx(request, pk):
    meeting = _meeting(request, pk)
    report = selectors.meeting_report(meeting, request.user)
    return _download(meeting, documents.as_hwpx(report), "hwpx")


def meeting_report_docx(request, pk):
    meeting = _meeting(request, pk)
    report = selectors.meeting_report(meeting, request.user)
    return _download(meeting, documents.as_docx(report), "docx")


def meeting_report_form(request, pk, form):
    """The report written into a ministry's own form (reports.filling)."""
    meeting = _meeting(request, pk)
    form = get_object_or_404(ReportForm, pk=form)
    try:
        with form.file.open("rb") as stored:
            content = stored.read()
    except FileNotFoundError as missing:
        raise Http404(_("This file is no longer stored.")) from missing
    report = selectors.meeting_report(meeting, request.user)
    return _download(meeting, filling.filled(content, report.fields), "hwpx")
