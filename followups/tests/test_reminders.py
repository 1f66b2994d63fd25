"""Reminders about requests: due soon, overdue weekly, escalation, and the weekly digest."""

import datetime

import pytest

from followups.models import StakeholderRequest
from followups.tests.factories import StakeholderRequestFactory
from notifications import services as mail
from notifications.models import OutboundEmail
from stakeholders.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

KST = datetime.timezone(datetime.timedelta(hours=9))
MONDAY = datetime.datetime(2026, 11, 30, 9, 30, tzinfo=KST)


def at(day, hour=9, minute=30):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=KST)


def kinds():
    return sorted(OutboundEmail.objects.values_list("rule__kind", flat=True))


@pytest.fixture
def assigned(officer, ministry):
    officer.email = "officer@msit.go.kr"
    officer.save()
    return StakeholderRequestFactory(
        ministry=ministry,
        assignee=officer,
        status=StakeholderRequest.Status.ASSIGNED,
        due_date=datetime.date(2026, 12, 10),
    )


def test_officer_is_reminded_three_days_before_the_due_date(assigned):
    assert mail.reminder_scan(now=at(datetime.date(2026, 12, 6))) == 0
    assert mail.reminder_scan(now=at(datetime.date(2026, 12, 7))) == 1
    email = OutboundEmail.objects.get()
    assert email.recipient == "officer@msit.go.kr"
    assert email.subject.startswith("[답변 기한 임박]")
    assert f"/followups/stakeholderrequest/{assigned.pk}/" in email.body_text


def test_overdue_requests_are_chased_weekly_until_answered(assigned):
    first = at(datetime.date(2026, 12, 11))
    assert mail.reminder_scan(now=first) == 1
    assert mail.reminder_scan(now=first + datetime.timedelta(days=3)) == 0
    assert mail.reminder_scan(now=first + datetime.timedelta(days=7)) == 1
    assert kinds() == ["followups.overdue", "followups.overdue"]
    overdue = OutboundEmail.objects.filter(rule__kind="followups.overdue").first()
    assert overdue.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    assigned.status = StakeholderRequest.Status.ANSWERED
    assigned.save()
    assert mail.reminder_scan(now=first + datetime.timedelta(days=14)) == 0


def test_without_an_assignee_the_ministry_contacts_are_reminded(ministry):
    contact = PersonFactory(organization=ministry, language="en")
    StakeholderRequestFactory(ministry=ministry, due_date=datetime.date(2026, 12, 10))
    assert mail.reminder_scan(now=at(datetime.date(2026, 12, 11))) == 1
    email = OutboundEmail.objects.get()
    assert email.recipient == contact.email
    assert email.subject.startswith("Overdue: request from")


def test_long_overdue_requests_are_escalated_to_coordinators(assigned, coordinator):
    mail.reminder_scan(now=at(datetime.date(2026, 12, 24)))
    escalations = OutboundEmail.objects.filter(rule__kind="followups.escalation")
    assert [e.recipient for e in escalations] == [coordinator.email]


def test_coordinators_get_the_weekly_digest_on_monday_once(coordinator, assigned):
    StakeholderRequestFactory(status=StakeholderRequest.Status.ANSWERED)
    assert mail.reminder_scan(now=MONDAY - datetime.timedelta(hours=1)) == 0
    assert mail.reminder_scan(now=MONDAY) == 1
    assert mail.reminder_scan(now=MONDAY + datetime.timedelta(hours=5)) == 0
    digest = OutboundEmail.objects.get(rule__kind="followups.weekly_digest")
    assert digest.recipient == coordinator.email
    assert "답변율: 50% (1/2)" in digest.body_text
    assert digest.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
