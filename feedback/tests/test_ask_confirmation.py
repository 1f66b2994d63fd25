"""Asking for feedback from the meeting list: a confirmation page first (whom it emails, the
email, the deadline), and a closed window is reopened only with a new deadline."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.tests.factories import AttendanceFactory, MeetingFactory
from feedback import services, tokens
from feedback.models import FeedbackInvitation
from notifications import services as mail
from notifications.models import OutboundEmail
from stakeholders.tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/events/meeting/"


def ask(client, meeting, **data):
    return client.post(
        CHANGELIST, {"action": "ask_feedback", "_selected_action": [meeting.pk], **data}
    )


def confirm(client, meeting, **data):
    return ask(client, meeting, confirm="1", **data)


def invitations_sent(meeting):
    return OutboundEmail.objects.filter(
        kind=services.INVITATION_OUTBOX, subject_id=str(meeting.pk)
    ).count()


def test_the_action_first_shows_whom_it_emails_and_the_email(meeting, client, coordinator):
    client.force_login(coordinator)
    response = ask(client, meeting, index="0")
    page = response.content.decode()
    assert response.status_code == 200
    # By organization and person, the ministry's officer not among them.
    assert page.index("LG전자") < page.index("박가전") < page.index("포스코") < page.index("김철강")
    assert "kim@posco.example" in page and "lee@posco.example" in page
    assert "officer@motie.example" not in page and "other@lg.example" not in page
    assert "보낼 메일 3통" in page
    # The email as it goes, in each recipient's language, and the deadline it names.
    deadline = timezone.localtime(meeting.feedback_deadline)
    assert "[의견 요청] AI 팩토리 현장 간담회 후속 건의를 알려 주세요" in page
    assert f"{deadline.year}년 {deadline.month}월 {deadline.day}일까지" in page
    assert "Your requests after" in page
    assert "메일 3통 보내기" in page
    # Nothing is sent, and no link made, before the confirmation.
    assert invitations_sent(meeting) == 0
    assert not FeedbackInvitation.objects.exists()


def test_confirming_sends_and_sending_again_sends_nothing_twice(meeting, client, coordinator):
    client.force_login(coordinator)
    response = confirm(client, meeting)
    assert response.status_code == 302
    assert invitations_sent(meeting) == 3
    # The page sent twice (a double click), or the action run again later.
    confirm(client, meeting)
    assert invitations_sent(meeting) == 3
    page = ask(client, meeting, index="0").content.decode()
    assert page.count("다시 보내지 않음") == 3
    assert "통 보내기" not in page  # nobody left to email: no send button


def test_a_closed_window_refuses_to_send_and_asks_for_a_new_deadline(
    meeting, client, coordinator, smtp
):
    meeting.feedback_deadline = timezone.now() - datetime.timedelta(days=420)
    meeting.save()
    services.feedback_request(meeting=meeting)  # asked back then: the links now answer 410
    mail.outbox_drain()
    smtp.messages.clear()
    invitation = FeedbackInvitation.objects.get(person__email="kim@posco.example")
    link = tokens.url_for(invitation).removeprefix("http://127.0.0.1:8000")
    assert client.get(link).status_code == 410
    client.force_login(coordinator)

    page = ask(client, meeting, index="0").content.decode()
    assert "의견 접수가 마감되었습니다" in page
    assert 'name="deadline"' in page
    # Sent without a deadline, or with one already past: refused, nothing queued.
    for deadline in ("", (timezone.localdate() - datetime.timedelta(days=1)).isoformat()):
        response = confirm(client, meeting, deadline=deadline)
        assert response.status_code == 200
        assert 'class="errorlist' in response.content.decode()
    assert invitations_sent(meeting) == 3

    new_day = timezone.localdate() + datetime.timedelta(days=10)
    response = confirm(client, meeting, deadline=new_day.isoformat())
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.feedback_deadline) == datetime.datetime.combine(
        new_day, datetime.time(23, 59), tzinfo=timezone.get_default_timezone()
    )
    # Everyone asked before hears of the new deadline, once; their links work again.
    assert invitations_sent(meeting) == 6
    confirm(client, meeting, deadline=new_day.isoformat())
    assert invitations_sent(meeting) == 6
    mail.outbox_drain()
    [email] = smtp.to("kim@posco.example")
    assert f"{new_day.year}년 {new_day.month}월 {new_day.day}일까지" in (
        email.get_body(("plain",)).get_content()
    )
    assert client.get(link).status_code == 200


def test_a_viewer_is_not_offered_the_action(meeting, client, viewer):
    client.force_login(viewer)
    response = ask(client, meeting, index="0")
    assert invitations_sent(meeting) == 0
    assert response.status_code in (200, 302, 403)
    assert "kim@posco.example" not in response.content.decode()


def test_the_page_costs_the_same_queries_for_one_recipient_or_many(client, coordinator):
    client.force_login(coordinator)

    def meeting_with(companies):
        meeting = MeetingFactory(feedback_deadline=timezone.now() + datetime.timedelta(days=3))
        for number in range(companies):
            company = OrganizationFactory(name=f"기업 {companies}-{number}")
            PersonFactory(organization=company, email=f"c{companies}-{number}@example.com")
            PersonFactory(organization=company, email=f"d{companies}-{number}@example.com")
            AttendanceFactory(meeting=meeting, organization=company)
        return meeting

    ask(client, meeting_with(0), index="0")  # what the first page of a session loads once
    counts = []
    for meeting in (meeting_with(1), meeting_with(6)):
        with CaptureQueriesContext(connection) as queries:
            assert ask(client, meeting, index="0").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
