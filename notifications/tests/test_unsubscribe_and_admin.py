"""Unsubscribe links (RFC 8058) and the coordinators' admin for rules and the send log."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from events.reminders import PRE_MEETING
from events.tests.factories import AttendanceFactory, MeetingFactory
from notifications import services
from notifications.models import OutboundEmail, ReminderRule, Unsubscription
from notifications.registry import Recipient
from stakeholders.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

# A Thursday morning in Seoul: no other rule (the Monday digest) is due while the scan runs.
THURSDAY = datetime.datetime(
    2026, 12, 3, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=9))
)


def link_path(email="kim@posco.example", kind=PRE_MEETING):
    return services.unsubscription_url(email=email, kind=kind).removeprefix("http://127.0.0.1:8000")


def test_get_asks_and_changes_nothing_post_unsubscribes(client):
    page = client.get(link_path())
    assert page.status_code == 200
    assert "kim@posco.example" in page.content.decode()
    assert not Unsubscription.objects.exists()
    assert client.post(link_path()).status_code == 200
    assert Unsubscription.objects.get().kind == PRE_MEETING


def test_one_click_post_from_a_mail_client_needs_no_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post(link_path(), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Unsubscription.objects.filter(email="kim@posco.example").exists()


def test_a_forged_link_is_404(client):
    assert client.get("/unsubscribe/forged/").status_code == 404
    assert client.post("/unsubscribe/forged/").status_code == 404


@pytest.mark.time_machine(THURSDAY)
def test_coordinator_edits_a_rule_and_sees_the_preview(client, coordinator):
    client.force_login(coordinator)
    rule = ReminderRule.objects.get(kind=PRE_MEETING)
    page = client.get(f"/admin/notifications/reminderrule/{rule.pk}/change/").content.decode()
    assert "AI 팩토리 현장 간담회" in page  # the preview, rendered from sample data
    assert "2025년 9월 19일" in page
    data = {
        "name": rule.name,
        "kind": rule.kind,
        "enabled": "on",
        "offset": "2 00:00:00",
        "grace": "2 00:00:00",
        "subject_ko": "[안내] {{ meeting.title }}",
        "body_ko": "{{ when }}",
        "subject_en": "{{ meeting.title }}",
        "body_en": "{{ when }}",
    }
    response = client.post(f"/admin/notifications/reminderrule/{rule.pk}/change/", data)
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.offset == datetime.timedelta(days=2)

    # The effect: the reminder now goes two days ahead, with the new wording.
    starts = timezone.now() + datetime.timedelta(days=2, hours=-1)
    meeting = MeetingFactory(
        all_day=False,
        start_date=None,
        end_date=None,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        title="AI 로봇 현장 간담회",
    )
    person = PersonFactory()
    AttendanceFactory(meeting=meeting, organization=person.organization, person=person)
    assert services.reminder_scan() == 1
    assert OutboundEmail.objects.get().subject == "[안내] AI 로봇 현장 간담회"


def test_a_broken_template_shows_an_error_in_the_preview(client, coordinator):
    client.force_login(coordinator)
    rule = ReminderRule.objects.get(kind=PRE_MEETING)
    rule.body_ko = "{% if %}"
    rule.save()
    page = client.get(f"/admin/notifications/reminderrule/{rule.pk}/change/")
    assert page.status_code == 200 and "errornote" in page.content.decode()


def test_send_log_lists_emails_and_retries_failed_ones(client, coordinator):
    services.email_queue(
        emails=[
            services.email_build(
                kind="test",
                recipient=Recipient(email="lee@lg.example"),
                subject="실패한 메일",
                body_text="본문",
            )
        ]
    )
    OutboundEmail.objects.update(state=OutboundEmail.State.FAILED, last_error="550 no")
    client.force_login(coordinator)
    listing = client.get("/admin/notifications/outboundemail/?state__exact=failed")
    assert "lee@lg.example" in listing.content.decode()
    email = OutboundEmail.objects.get()
    detail = client.get(f"/admin/notifications/outboundemail/{email.pk}/change/")
    assert "550 no" in detail.content.decode()
    client.post(
        "/admin/notifications/outboundemail/",
        {"action": "retry", "_selected_action": [email.pk]},
    )
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.QUEUED


def test_viewers_do_not_see_the_send_log(client, viewer):
    client.force_login(viewer)
    assert client.get("/admin/notifications/outboundemail/").status_code == 403
