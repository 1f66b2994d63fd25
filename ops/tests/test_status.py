"""Coordinators see at a glance whether emails fail, wait, or beat has stopped."""

import datetime
import re

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from notifications.models import OutboundEmail
from ops.selectors import SCAN_TASK

pytestmark = pytest.mark.django_db
STATUS = "/admin/status/"


def email(state, *, due_minutes_ago=0, n=0):
    return OutboundEmail.objects.create(
        kind="digest",
        recipient=f"coordinator{n}@example.go.kr",
        occurrence=str(n),
        from_email="roundtable@example.go.kr",
        subject="주간 요약",
        body_text="…",
        message_id=f"<{state}-{n}@roundtable>",
        state=state,
        next_try_at=timezone.now() - datetime.timedelta(minutes=due_minutes_ago),
    )


def beat_ran(minutes_ago):
    PeriodicTask.objects.filter(task=SCAN_TASK).update(
        last_run_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )


def test_all_well(client, coordinator):
    beat_ran(0.5)
    email(OutboundEmail.State.QUEUED, due_minutes_ago=1)  # just queued: workers are on it
    client.force_login(coordinator)
    html = client.get(STATUS).content.decode()
    assert "모두 정상적으로 돌아가고 있습니다" in html
    assert f'href="{STATUS}"' in client.get("/admin/").content.decode()  # linked at the top


def test_failures_waiting_emails_and_a_silent_beat_ask_for_attention(client, coordinator):
    beat_ran(12)
    email(OutboundEmail.State.FAILED, n=1)
    email(OutboundEmail.State.QUEUED, due_minutes_ago=25, n=2)
    client.force_login(coordinator)
    html = client.get(STATUS).content.decode()
    assert "확인이 필요합니다" in html
    assert "?state__exact=failed" in html
    assert "워커가 돌아가고 있나요" in html and "비트가 (하나만) 돌아가고 있나요" in html


def test_only_those_who_run_the_emails_see_it(client, viewer, officer):
    assert client.get(STATUS).status_code == 302
    for user in (viewer, officer):
        client.force_login(user)
        assert client.get(STATUS).status_code == 403


def test_contacts_past_retention_are_counted_and_the_nightly_run_erases_them(
    client, coordinator, settings
):
    from stakeholders.models import Person
    from stakeholders.tasks import anonymise_contacts
    from stakeholders.tests.factories import PersonFactory

    forgotten, recent = PersonFactory(), PersonFactory()
    long_ago = timezone.now() - datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS + 1)
    Person.objects.filter(pk=forgotten.pk).update(updated_at=long_ago)
    client.force_login(coordinator)
    html = client.get(STATUS).content.decode()
    assert re.search(r"보존 기간이 지난 연락처</th>\s*<td><strong>1</strong>", html)
    # Created switched off: the dry run comes first.
    nightly = PeriodicTask.objects.get(task="stakeholders.tasks.anonymise_contacts")
    assert not nightly.enabled
    assert anonymise_contacts.apply().get() == 1
    assert anonymise_contacts.apply().get() == 0  # safe to run twice
    assert Person.objects.get(pk=forgotten.pk).anonymised_at is not None
    assert Person.objects.get(pk=recent.pk).anonymised_at is None
