"""Invited people confirm, decline or name a substitute from their personal link."""

import datetime
import re

import pytest
from django.utils import timezone

from api.tests.clients import client_for
from events import rsvp, services
from events.models import Attendance, AttendanceReply, Meeting
from events.tests.factories import AttendanceFactory, MeetingFactory
from notifications import services as mail
from stakeholders.models import Person
from stakeholders.tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://127\.0\.0\.1:8000(/rsvp/[^/\s]+/)")


@pytest.fixture
def meeting():
    start = timezone.localtime() + datetime.timedelta(days=3)
    meeting = MeetingFactory(
        title="AI 팩토리 현장 간담회",
        all_day=False,
        start_date=None,
        end_date=None,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    posco = OrganizationFactory(name="포스코", name_en="POSCO")
    kim = PersonFactory(organization=posco, name="김철강", email="kim@posco.example")
    AttendanceFactory(meeting=meeting, organization=posco, person=kim)
    lg = OrganizationFactory(name="LG전자")
    PersonFactory(organization=lg, name="박가전", email="park@lg.example", language="en")
    PersonFactory(organization=lg, name="최가전", email="choi@lg.example")
    AttendanceFactory(meeting=meeting, organization=lg)  # no one named: all contacts
    return meeting


def links_in(smtp):
    return {
        m["To"]: LINK.search(m.get_body(("plain",)).get_content()).group(1) for m in smtp.messages
    }


def test_invitations_carry_a_reply_link_and_are_sent_once(meeting, smtp, coordinator, viewer):
    url = f"/api/v1/meetings/{meeting.pk}/invitations/"
    assert client_for(viewer).post(url).status_code == 403
    response = client_for(coordinator).post(url)
    assert (response.status_code, response.json()) == (202, {"invited": 3})
    assert client_for(coordinator).post(url).json() == {"invited": 0}
    mail.outbox_drain()
    assert sorted(links_in(smtp)) == ["choi@lg.example", "kim@posco.example", "park@lg.example"]
    [invitation] = smtp.to("kim@posco.example")
    assert invitation["Subject"].strip().startswith("[초대] AI 팩토리 현장 간담회")
    assert "text/calendar" in {part.get_content_type() for part in invitation.walk()}
    # The database keeps no link, only its hash.
    token = links_in(smtp)["kim@posco.example"].split("/")[2]
    assert not AttendanceReply.objects.filter(token_hash=token).exists()
    assert len(token) >= 32


def test_confirming_changes_the_attendance_and_the_meeting_version(meeting, smtp, client):
    services.invitations_send(meeting=meeting)
    mail.outbox_drain()
    path = links_in(smtp)["kim@posco.example"]
    page = client.get(path).content.decode()
    assert "AI 팩토리 현장 간담회" in page and "참석하시겠습니까?" in page
    version = meeting.version

    assert client.post(path, {"answer": "confirmed"}).status_code == 302
    attendance = Attendance.objects.get(person__email="kim@posco.example")
    assert attendance.status == "confirmed"
    meeting.refresh_from_db()
    assert meeting.version > version
    assert "회신을 기록했습니다" in client.get(f"{path}?saved=1").content.decode()

    # A change of mind is kept too.
    client.post(path, {"answer": "declined"})
    attendance.refresh_from_db()
    assert attendance.status == "absent"
    assert AttendanceReply.objects.get(person__email="kim@posco.example").answer == "declined"


def test_naming_a_substitute_puts_them_on_the_list(meeting, smtp, client):
    services.invitations_send(meeting=meeting)
    mail.outbox_drain()
    path = links_in(smtp)["kim@posco.example"]
    missing = client.post(path, {"answer": "substitute", "substitute_name": "이제선"})
    assert missing.status_code == 200
    html = missing.content.decode()
    assert 'id="id_substitute_email_error"' in html and "이제선" in html
    assert Attendance.objects.get(person__email="kim@posco.example").status == "invited"

    client.post(
        path,
        {
            "answer": "substitute",
            "substitute_name": "이제선",
            "substitute_email": "lee@posco.example",
            "substitute_position": "상무",
        },
    )
    kim = Attendance.objects.get(person__email="kim@posco.example")
    lee = Attendance.objects.get(person__email="lee@posco.example")
    assert kim.status == "absent"
    assert (lee.status, lee.replaces, lee.person.position) == ("substitute", kim.person, "상무")
    assert lee.person.organization == kim.organization


def test_a_reply_to_an_unnamed_organization_names_who_answered(meeting, smtp, client):
    services.invitations_send(meeting=meeting)
    mail.outbox_drain()
    links = links_in(smtp)
    client.post(links["park@lg.example"], {"answer": "confirmed"})
    client.post(links["choi@lg.example"], {"answer": "declined"})
    lg = {a.person.name: a.status for a in meeting.attendances.filter(organization__name="LG전자")}
    assert lg == {"박가전": "confirmed", "최가전": "absent"}


def test_pre_meeting_reminder_carries_the_reply_link(meeting, smtp):
    reminder_time = meeting.period_start - datetime.timedelta(days=1)
    assert mail.reminder_scan(now=reminder_time) == 3
    mail.outbox_drain()
    body = smtp.to("kim@posco.example")[0].get_body(("plain",)).get_content()
    assert "참석 여부를 알려 주세요" in body and LINK.search(body)
    english = smtp.to("park@lg.example")[0].get_body(("plain",)).get_content()
    assert "whether you will attend" in english and LINK.search(english)


def test_unknown_tampered_closed_and_withdrawn_links(meeting, smtp, client):
    services.invitations_send(meeting=meeting)
    mail.outbox_drain()
    links = links_in(smtp)
    path = links["kim@posco.example"]
    assert client.get("/rsvp/not-a-link/").status_code == 404
    assert client.get(path[:-3] + ("A" if path[-3] != "A" else "B") + "/").status_code == 404

    AttendanceReply.objects.filter(person__email="park@lg.example").revoke()
    assert client.get(links["park@lg.example"]).status_code == 410

    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    response = client.get(path)
    assert response.status_code == 410 and "취소" in response.content.decode()
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.PLANNED, period_start=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert client.get(path).status_code == 410
    assert client.post(path, {"answer": "confirmed"}).status_code == 410
    assert Attendance.objects.get(person__email="kim@posco.example").status == "invited"
    assert Person.objects.count() == 3


def link(attendance, person):
    return rsvp.url_for(rsvp.reply_for(attendance=attendance, person_id=person.pk)).removeprefix(
        "http://127.0.0.1:8000"
    )


NAMING_LEE = {
    "answer": "substitute",
    "substitute_name": "이제선",
    "substitute_email": "lee@posco.example",
}


def test_a_substitute_answers_for_themselves(meeting, client):
    kim_row = Attendance.objects.get(person__email="kim@posco.example")
    client.post(
        link(kim_row, kim_row.person),
        {
            "answer": "substitute",
            "substitute_name": "이제선",
            "substitute_email": "lee@posco.example",
        },
    )
    lee_row = Attendance.objects.get(person__email="lee@posco.example")
    assert client.post(link(lee_row, lee_row.person), {"answer": "confirmed"}).status_code == 302
    lee_row.refresh_from_db()
    assert (lee_row.status, lee_row.replaces) == ("confirmed", None)


def test_changing_ones_mind_takes_the_substitute_off_the_list(meeting, client):
    kim_row = Attendance.objects.get(person__email="kim@posco.example")
    path = link(kim_row, kim_row.person)
    client.post(
        path,
        {
            "answer": "substitute",
            "substitute_name": "이제선",
            "substitute_email": "lee@posco.example",
        },
    )
    client.post(path, {"answer": "confirmed"})
    kim_row.refresh_from_db()
    assert kim_row.status == "confirmed"
    assert not Attendance.objects.filter(person__email="lee@posco.example").exists()


def test_a_person_with_a_row_of_their_own_answers_on_it(meeting, client):
    lg_row = meeting.attendances.get(organization__name="LG전자")
    park = Person.objects.get(email="park@lg.example")
    own = AttendanceFactory(meeting=meeting, organization=park.organization, person=park)
    # The organization's unnamed row sent Park a link too (reminders reach every contact).
    assert client.post(link(lg_row, park), {"answer": "declined"}).status_code == 302
    own.refresh_from_db()
    lg_row.refresh_from_db()
    assert (own.status, lg_row.person, lg_row.status) == ("absent", None, "invited")


@pytest.mark.parametrize(
    "email, error",
    [
        ("kim@posco.example", "본인이 아닌"),  # oneself
        ("a" * 250 + "@x.kr", "254"),  # longer than an address may be
    ],
)
def test_a_substitute_who_cannot_be_named_is_a_form_error(meeting, client, email, error):
    kim_row = Attendance.objects.get(person__email="kim@posco.example")
    response = client.post(
        link(kim_row, kim_row.person),
        {"answer": "substitute", "substitute_name": "누군가", "substitute_email": email},
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    kim_row.refresh_from_db()
    assert kim_row.status == "invited" and Person.objects.count() == 3


def test_no_invitations_for_a_meeting_that_cannot_be_answered(meeting, smtp):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    meeting.refresh_from_db()
    assert services.invitations_send(meeting=meeting) == 0


def test_a_link_whose_person_left_the_organization_is_closed(meeting, client):
    kim_row = Attendance.objects.get(person__email="kim@posco.example")
    path = link(kim_row, kim_row.person)
    Person.objects.filter(pk=kim_row.person_id).update(organization=OrganizationFactory())
    response = client.get(path)
    assert response.status_code == 410 and "기관" in response.content.decode()
    key = f"{kim_row.pk}:{kim_row.person_id}"
    assert rsvp.url_for_ref(key) is None  # and reminders go out without it
