"""Reminder kinds about meetings, registered with the mail layer (notifications)."""

import datetime
from types import SimpleNamespace

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from notifications import registry

from . import ics
from .models import Attendance, Meeting

PRE_MEETING = "events.pre_meeting"


class When:
    """A meeting's date (all-day) or start time, formatted in the language being rendered."""

    def __init__(self, meeting):
        self.meeting = meeting

    def __str__(self):
        if self.meeting.all_day:
            return formats.date_format(self.meeting.start_date, "DATE_FORMAT")
        return formats.date_format(timezone.localtime(self.meeting.starts_at), "DATETIME_FORMAT")


def meeting_context(meeting) -> dict:
    return {"meeting": meeting, "when": When(meeting), "url": ics.meeting_page_url(meeting.pk)}


def recipients_of(attendances) -> dict:
    """Who to email for each attendance: the named person, or else all the organization's
    contacts. Attendances need `person` and `organization__people` loaded."""
    found = {}
    for attendance in attendances:
        people = (
            [attendance.person] if attendance.person_id else attendance.organization.people.all()
        )
        for recipient in registry.people(people):
            found.setdefault((attendance.meeting_id, recipient.email), (attendance, recipient))
    return found


def meeting_attachment(meeting) -> dict:
    body = ics.render_calendar(
        name=meeting.title,
        uid=f"meeting-{meeting.pk}",
        rows=Meeting.objects.filter(pk=meeting.pk).values(*ics.FEED_FIELDS),
    )
    return {"filename": "meeting.ics", "content": body.decode(), "mimetype": "text/calendar"}


def pre_meeting_due(rule, now):
    """Invited and confirmed attendees, `offset` before the start. The occurrence is the start
    itself: a meeting that moves is reminded of its new time, one that is cancelled of none."""
    meetings = Meeting.objects.filter(
        period_start__gt=now,
        period_start__gte=now - rule.grace + rule.offset,
        period_start__lte=now + rule.offset,
    ).exclude(status__in=[Meeting.Status.CANCELLED, Meeting.Status.POSTPONED, Meeting.Status.HELD])
    attendances = (
        Attendance.objects.filter(
            meeting__in=meetings,
            status__in=[Attendance.Status.INVITED, Attendance.Status.CONFIRMED],
        )
        .select_related("meeting", "person", "organization")
        .prefetch_related("organization__people")
    )
    attachments = {}
    for (meeting_id, _email), (attendance, recipient) in recipients_of(attendances).items():
        meeting = attendance.meeting
        if meeting_id not in attachments:
            attachments[meeting_id] = meeting_attachment(meeting)
        yield registry.Due(
            recipient=recipient,
            subject_type="events.meeting",
            subject_id=str(meeting_id),
            occurrence=meeting.period_start.isoformat(),
            context={**meeting_context(meeting), "attendance": attendance},
            attachments=(attachments[meeting_id],),
        )


def sample_meeting():
    return SimpleNamespace(
        pk="00000000-0000-0000-0000-000000000000",
        title="AI 팩토리 현장 간담회",
        title_en="AI factory field roundtable",
        venue="KAIST AI 팩토리 랩",
        address="대전 유성구",
        host="구윤철 부총리 겸 기획재정부 장관",
        all_day=True,
        start_date=datetime.date(2025, 9, 19),
        starts_at=None,
    )


registry.register(
    registry.RuleKind(
        key=PRE_MEETING,
        label=_("Reminder before a meeting"),
        description=_(
            "Sent `offset` before a meeting starts to its invited and confirmed attendees (the "
            "named person, or else the organization's contacts). Carries the meeting as an .ics "
            "file. Moving the meeting moves the reminder; cancelled, postponed and held "
            "meetings get none."
        ),
        find_due=pre_meeting_due,
        sample_context=lambda: meeting_context(sample_meeting()),
    )
)
