"""A link that no longer works (410) says whom to write to: the meeting's host, at the
ministry's contact address."""

import datetime

import pytest
from django.utils import timezone

from events import rsvp
from events.tests.factories import AttendanceFactory, MeetingFactory
from feedback import services, tokens
from stakeholders.models import Person

pytestmark = pytest.mark.django_db


def path_of(url):
    return url.removeprefix("http://127.0.0.1:8000")


@pytest.fixture
def kim(meeting, settings):
    settings.MINISTRY_CONTACT_EMAIL = "ai-relay@moef.example"
    return Person.objects.get(email="kim@posco.example")


def test_a_closed_feedback_link_names_the_host_and_the_address(client, meeting, kim):
    meeting.host = "산업통상자원부 산업인공지능정책과"
    meeting.feedback_deadline = datetime.datetime(
        2025, 10, 3, 18, 0, tzinfo=timezone.get_default_timezone()
    )
    meeting.save()
    link = tokens.url_for(services.invitation_for(meeting=meeting, person=kim))
    response = client.get(path_of(link))
    assert response.status_code == 410
    html = response.content.decode()
    assert "2025년 10월 3일 오후 6:00에" in html
    assert "간담회 주관 기관인 산업통상자원부 산업인공지능정책과에" in html
    assert 'href="mailto:ai-relay@moef.example"' in html


def test_without_a_host_the_ministry_is_named(client, meeting, kim):
    meeting.host = ""
    meeting.feedback_deadline = timezone.now() - datetime.timedelta(days=1)
    meeting.save()
    invitation = services.invitation_for(meeting=meeting, person=kim)
    type(invitation).objects.filter(pk=invitation.pk).revoke()
    html = client.get(path_of(tokens.url_for(invitation)), HTTP_ACCEPT_LANGUAGE="en").content
    assert b"please write to the ministry at" in html and b"ai-relay@moef.example" in html


def test_a_closed_reply_link_names_them_too(client, kim):
    started = MeetingFactory(start_date=timezone.localdate(), host="기획재정부")
    attendance = AttendanceFactory(meeting=started, organization=kim.organization)
    link = rsvp.url_for(rsvp.reply_for(attendance=attendance, person_id=kim.pk))
    response = client.get(path_of(link))
    assert response.status_code == 410
    html = response.content.decode()
    assert "기획재정부에 메일로" in html and "mailto:ai-relay@moef.example" in html
