"""Pages at personal links (the feedback form, the attendance reply, unsubscribe) and every
answer they give, refusals included, are kept by no cache and name no link in a Referer."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from events import rsvp
from events.reminders import PRE_MEETING
from events.tests.factories import AttendanceFactory, MeetingFactory
from feedback import services as feedback
from feedback import tokens
from feedback.models import FeedbackInvitation
from files.tests.samples import upload
from followups.models import RequestAttachment
from notifications import services
from stakeholders.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def assert_private(response):
    assert "no-store" in response["Cache-Control"], response["Cache-Control"]
    # The site may be named, never the address with its token.
    assert response["Referrer-Policy"] == "strict-origin"


@pytest.fixture
def person():
    return PersonFactory(name="김철강", email="kim@posco.example")


@pytest.fixture
def meeting(person):
    start = timezone.now() + datetime.timedelta(days=3)
    meeting = MeetingFactory(
        all_day=False,
        start_date=None,
        end_date=None,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        feedback_deadline=start + datetime.timedelta(days=14),
    )
    AttendanceFactory(meeting=meeting, organization=person.organization, person=person)
    return meeting


# The guess limit counts in windows of the clock's minutes: a stopped clock keeps the attempts
# in one.
@pytest.mark.time_machine(
    datetime.datetime(2026, 12, 3, 10, 0, 30, tzinfo=datetime.UTC), tick=False
)
def test_the_feedback_form_and_its_refusals(client, settings, meeting, person):
    invitation = feedback.invitation_for(meeting=meeting, person=person)
    path = tokens.url_for(invitation).removeprefix(settings.SITE_URL)
    assert_private(client.get(path))
    feedback.feedback_submit(
        invitation=invitation,
        comments="",
        name="김철강",
        position="",
        items=[{"category": "data", "text": "데이터 개방", "files": [upload("건의서.pdf")]}],
    )
    download = client.get(f"{path}files/{RequestAttachment.objects.get().pk}/")
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    assert_private(download)
    missing = client.get(f"{path}files/999999/")
    assert missing.status_code == 404
    assert_private(missing)

    FeedbackInvitation.objects.all().revoke()
    revoked = client.get(path)
    assert revoked.status_code == 410
    assert_private(revoked)

    settings.PERSONAL_LINK_GUESS_RATE = "1/m"
    unknown = client.get("/feedback/not-a-link/")
    assert unknown.status_code == 404
    assert_private(unknown)
    client.get("/feedback/another-guess/")
    throttled = client.get(path)
    assert throttled.status_code == 429
    assert_private(throttled)


def test_the_attendance_reply_page_and_its_refusals(client, meeting, person):
    attendance = meeting.attendances.get()
    reply = rsvp.reply_for(attendance=attendance, person_id=person.pk)
    path = rsvp.url_for(reply).removeprefix(settings.SITE_URL)
    assert_private(client.get(path))
    answered = client.post(path, {"answer": "attend"})
    assert answered.status_code in (200, 302)
    assert_private(answered)
    assert_private(client.get("/rsvp/not-a-link/"))
    meeting.status = meeting.Status.CANCELLED
    meeting.save()
    closed = client.get(path)
    assert closed.status_code == 410
    assert_private(closed)


def test_the_unsubscribe_page_and_its_refusal(client):
    path = services.unsubscription_url(email="kim@posco.example", kind=PRE_MEETING).removeprefix(
        settings.SITE_URL
    )
    assert_private(client.get(path))
    assert_private(client.post(path))
    forged = client.get("/unsubscribe/forged/")
    assert forged.status_code == 404
    assert_private(forged)
