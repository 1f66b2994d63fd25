"""The feedback rules follow the meeting's lifecycle groups and its one end (events.models)."""

import datetime

import pytest
from django.utils import timezone

from events import services as meetings
from events.models import Meeting
from feedback import services
from feedback.models import FeedbackInvitation, feedback_deadline
from notifications import services as mail
from notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db

KST = datetime.timezone(datetime.timedelta(hours=9))
# The fixture's meeting is all-day on 2026-11-20: it ends at 18:00.
END = datetime.datetime(2026, 11, 20, 18, tzinfo=KST)
AFTER_THE_RULE = END + datetime.timedelta(hours=2, minutes=1)


@pytest.mark.parametrize("status", Meeting.Status.values)
def test_feedback_is_asked_after_the_meetings_that_expect_attendees(meeting, status):
    meetings.meeting_update(meeting=meeting, status=status)
    asked = mail.reminder_scan(now=AFTER_THE_RULE)
    assert bool(asked) is (status in Meeting.Status.EXPECTING_ATTENDEES)


@pytest.mark.parametrize("status", Meeting.Status.values)
def test_organizations_are_chased_while_the_meeting_stands(meeting, status):
    services.feedback_request(meeting=meeting)
    meetings.meeting_update(meeting=meeting, status=status)
    before = OutboundEmail.objects.count()
    mail.reminder_scan(now=meeting.feedback_deadline - datetime.timedelta(days=3, minutes=-1))
    chased = OutboundEmail.objects.count() - before
    assert bool(chased) is (status in Meeting.Status.STANDING)


def test_companies_are_asked_about_a_meeting_the_public_list_calls_past(
    meeting, client, time_machine
):
    time_machine.move_to(END - datetime.timedelta(minutes=1), tick=False)
    assert "Upcoming" in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert mail.reminder_scan(now=timezone.now()) == 0
    time_machine.move_to(AFTER_THE_RULE, tick=False)
    assert "Upcoming" not in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert mail.reminder_scan(now=timezone.now()) == 3
    assert FeedbackInvitation.objects.filter(meeting=meeting).count() == 3


def test_the_default_deadline_is_fourteen_days_after_the_meeting_ends(meeting):
    meetings.meeting_update(meeting=meeting, feedback_deadline=None)
    assert feedback_deadline(meeting) == meeting.ends + datetime.timedelta(days=14)
    assert feedback_deadline(meeting) == END + datetime.timedelta(days=14)
