"""The reminder before a meeting, as the minute scan queues it."""

import datetime

import pytest

from events import services
from events.models import Attendance, Meeting
from events.reminders import PRE_MEETING
from events.tests.factories import AttendanceFactory, MeetingFactory
from notifications import services as mail
from notifications.models import OutboundEmail, ReminderRule
from stakeholders.tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db

KST = datetime.timezone(datetime.timedelta(hours=9))
NOW = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=KST)


def meeting_starting(after, **fields):
    return MeetingFactory(
        all_day=False,
        start_date=None,
        end_date=None,
        starts_at=NOW + after,
        ends_at=NOW + after + datetime.timedelta(hours=2),
        title="AI 반도체 현장 간담회",
        title_en="AI chips roundtable",
        **fields,
    )


def invite(meeting, **person_fields):
    person = PersonFactory(**person_fields)
    AttendanceFactory(meeting=meeting, organization=person.organization, person=person)
    return person


def test_default_rule_exists_and_is_enabled():
    rule = ReminderRule.objects.get(kind=PRE_MEETING)
    assert rule.enabled and rule.offset == datetime.timedelta(days=1)


def test_attendees_get_one_reminder_in_their_language_with_the_ics():
    meeting = meeting_starting(datetime.timedelta(hours=20))
    korean = invite(meeting)
    english = invite(meeting, language="en")
    assert mail.reminder_scan(now=NOW) == 2
    assert mail.reminder_scan(now=NOW) == 0
    to_korean = OutboundEmail.objects.get(recipient=korean.email)
    assert to_korean.subject.startswith("[안내] AI 반도체 현장 간담회")
    assert "2026년 12월 3일" in to_korean.subject
    assert to_korean.attachments[0]["filename"] == "meeting.ics"
    assert "BEGIN:VEVENT" in to_korean.attachments[0]["content"]
    assert "/unsubscribe/" in to_korean.headers["List-Unsubscribe"]
    # Every email links the privacy notice (PIPA), in its text and HTML parts.
    assert "개인정보 처리방침: http://127.0.0.1:8000/privacy/" in to_korean.body_text
    assert 'href="http://127.0.0.1:8000/privacy/"' in to_korean.body_html
    assert "List-Unsubscribe-Post" not in to_korean.headers  # one person, one meeting
    to_english = OutboundEmail.objects.get(recipient=english.email)
    assert to_english.subject.startswith("Reminder: AI chips roundtable")


def test_moving_a_meeting_moves_its_reminder():
    meeting = meeting_starting(datetime.timedelta(hours=20))
    invite(meeting)
    services.meeting_update(
        meeting=meeting,
        starts_at=NOW + datetime.timedelta(days=3),
        ends_at=NOW + datetime.timedelta(days=3, hours=2),
    )
    assert mail.reminder_scan(now=NOW) == 0
    assert mail.reminder_scan(now=NOW + datetime.timedelta(days=2)) == 1


def test_cancelled_meetings_and_history_send_nothing(seeded):
    meeting = meeting_starting(datetime.timedelta(hours=20), status=Meeting.Status.CANCELLED)
    invite(meeting)
    old = meeting_starting(-datetime.timedelta(days=5))
    invite(old)
    assert mail.reminder_scan(now=NOW) == 0


def test_organization_without_a_named_person_reaches_its_willing_contacts():
    meeting = meeting_starting(datetime.timedelta(hours=20))
    company = OrganizationFactory()
    willing = PersonFactory(organization=company)
    PersonFactory(organization=company, accepts_email=False)
    PersonFactory(organization=company, email="")
    AttendanceFactory(meeting=meeting, organization=company, person=None)
    AttendanceFactory(
        meeting=meeting, organization=OrganizationFactory(), status=Attendance.Status.ABSENT
    )
    assert mail.reminder_scan(now=NOW) == 1
    assert OutboundEmail.objects.get().recipient == willing.email


def test_unsubscribed_contacts_get_nothing():
    meeting = meeting_starting(datetime.timedelta(hours=20))
    person = invite(meeting)
    mail.unsubscription_create(email=person.email, kind=PRE_MEETING)
    assert mail.reminder_scan(now=NOW) == 0


def test_a_disabled_rule_sends_nothing():
    meeting = meeting_starting(datetime.timedelta(hours=20))
    invite(meeting)
    ReminderRule.objects.filter(kind=PRE_MEETING).update(enabled=False)
    assert mail.reminder_scan(now=NOW) == 0
