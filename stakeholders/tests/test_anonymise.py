"""Contacts no longer needed are anonymised after the retention period (PIPA): a dry run
first; their requests stay, their personal details go, also from past versions and emails."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.tests.factories import AttendanceFactory
from followups.models import StakeholderRequest
from followups.tests.factories import StakeholderRequestFactory
from notifications.models import OutboundEmail
from stakeholders.models import Person
from stakeholders.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
LONG_AGO = timezone.now() - datetime.timedelta(days=4 * 365)


def aged(person, *rows):
    """Backdates the person and their rows (auto_now fields cannot be set otherwise)."""
    for row in rows:
        type(row).objects.filter(pk=row.pk).update(created_at=LONG_AGO, updated_at=LONG_AGO)
    Person.objects.filter(pk=person.pk).update(updated_at=LONG_AGO)


def run(*arguments) -> str:
    out = io.StringIO()
    call_command("anonymise_contacts", *arguments, stdout=out)
    return out.getvalue()


@pytest.fixture
def former():
    person = PersonFactory(name="박가전", email="park@lg.example", phone="010-1234-5678")
    request = StakeholderRequestFactory(person=person, organization=person.organization)
    OutboundEmail.objects.create(
        kind="feedback-request",
        recipient=person.email,
        person=person,
        from_email="roundtable@example.go.kr",
        subject="의견을 보내 주세요",
        body_text="박가전 님께",
        message_id="<1@roundtable>",
        state="sent",
        sent_at=LONG_AGO,
    )
    aged(person, request)
    OutboundEmail.objects.filter(person=person).update(created_at=LONG_AGO)
    return person


def test_a_dry_run_lists_and_changes_nothing(former):
    assert "박가전" in run() and "1 contact(s)" in run()
    former.refresh_from_db()
    assert former.email == "park@lg.example" and former.anonymised_at is None


def test_applying_erases_personal_details_everywhere_but_keeps_requests(former):
    request_text = StakeholderRequest.objects.get(person=former).text
    assert "1 contact(s) anonymised" in run("--apply")
    former.refresh_from_db()
    assert (former.email, former.phone, former.accepts_email) == ("", "", False)
    assert former.name.startswith("삭제된 관계자") and former.anonymised_at is not None
    assert not former.history.filter(email="park@lg.example").exists()
    assert not former.history.filter(name="박가전").exists()
    assert "개인정보" in former.history.latest().history_change_reason
    assert StakeholderRequest.objects.get(person=former).text == request_text
    email = OutboundEmail.objects.get(person=former)
    assert "park@lg.example" not in email.recipient and email.body_text == ""
    assert "0 contact(s)" in run()  # done once


def test_contacts_with_recent_traces_or_accounts_stay(former, officer):
    AttendanceFactory(person=former, organization=former.organization)  # attends again
    Person.objects.filter(user=officer).update(updated_at=LONG_AGO)
    assert "0 contact(s)" in run()
