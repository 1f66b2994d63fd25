"""Reminder kinds about meetings, registered with the mail layer (notifications)."""

import datetime
from types import SimpleNamespace

from django.utils.translation import gettext_lazy as _

from notifications import registry

from . import dates, ics, rsvp
from .models import Attendance, Meeting
from .texts import MEETING_VARIABLES, PRE_MEETING_RULE

PRE_MEETING = "events.pre_meeting"


class When:
    """A meeting's date or time (events.dates), written in the language being rendered."""

    def __init__(self, meeting):
        self.meeting = meeting

    def __str__(self):
        return dates.meeting_when(self.meeting)


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
        meetings=Meeting.objects.filter(pk=meeting.pk),
    )
    return {"filename": "meeting.ics", "content": body.decode(), "mimetype": "text/calendar"}


# Who is expected at a meeting, and so reminded of it.
EXPECTED = [Attendance.Status.INVITED, Attendance.Status.CONFIRMED, Attendance.Status.SUBSTITUTE]


def pre_meeting_meetings(rule, now, until=None):
    """The meetings whose reminder is due at `now` (or at some moment up to `until`): starting
    `offset` from then, within the grace window, and neither cancelled, postponed nor held."""
    return Meeting.objects.getting_reminders().filter(
        period_start__gt=now,
        period_start__gte=now - rule.grace + rule.offset,
        period_start__lte=(until or now) + rule.offset,
    )


def pre_meeting_due(rule, now):
    """Attendees still expected, `offset` before the start; a meeting that moves is reminded
    of its new time, one that is cancelled or postponed of none."""
    meetings = pre_meeting_meetings(rule, now)
    attendances = Attendance.objects.filter(meeting__in=meetings, status__in=EXPECTED)
    yield from attendee_dues(attendances)


def attendee_dues(attendances):
    """One email per attendee about their meeting, with the meeting as an .ics file and their
    reply link (confirm, decline, substitute). The occurrence is the start itself: a meeting
    that moves is announced again."""
    attendances = attendances.select_related("meeting", "person", "organization").prefetch_related(
        "organization__people"
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
            link_ref=rsvp.link_ref(attendance, recipient),
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
        end_date=datetime.date(2025, 9, 19),
        starts_at=None,
        ends_at=None,
    )


registry.register(
    registry.RuleKind(
        key=PRE_MEETING,
        label=_("Reminder before a meeting"),
        description=_(
            "Sent `offset` before a meeting starts to its invited and confirmed attendees and "
            "substitutes (the named person, or else the organization's contacts), with the "
            "meeting as an .ics file and a personal link to confirm, decline or name a "
            "substitute. Moving the meeting moves the reminder; cancelled, postponed and held "
            "meetings get none."
        ),
        find_due=pre_meeting_due,
        candidates=lambda rule, now, until: [pre_meeting_meetings(rule, now, until)],
        sample_context=lambda: meeting_context(sample_meeting()),
        variables=MEETING_VARIABLES,
        default=PRE_MEETING_RULE,
    )
)
