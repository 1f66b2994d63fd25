"""A substitute named on the reply page: the reply adds, and later takes off, only the row it
added; a colleague already on the list keeps their own row and link; an address held outside
the organization gets one neutral answer, whoever holds it."""

import datetime
import re
import threading
import time

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from events.models import Attendance, AttendanceReply, Meeting
from events.tests.factories import AttendanceFactory, MeetingFactory
from stakeholders.models import Person
from stakeholders.tests.factories import OrganizationFactory, PersonFactory

from .test_replies import link

pytestmark = pytest.mark.django_db

ALREADY_LISTED = "This colleague is already on this meeting"  # 's list (&#x27; in the page)
NOT_NAMEABLE = "This address cannot be named as a substitute"


@pytest.fixture
def meeting():
    start = timezone.localtime() + datetime.timedelta(days=3)
    meeting = MeetingFactory(
        all_day=False,
        start_date=None,
        end_date=None,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    posco = OrganizationFactory(name="포스코")
    for name, email in [("김철강", "kim"), ("이제선", "lee")]:
        person = PersonFactory(organization=posco, name=name, email=f"{email}@posco.example")
        AttendanceFactory(meeting=meeting, organization=posco, person=person)
    PersonFactory(organization=posco, name="정압연", email="jung@posco.example")  # not invited
    lg = OrganizationFactory(name="LG전자")
    park = PersonFactory(organization=lg, name="박가전", email="park@lg.example")
    AttendanceFactory(meeting=meeting, organization=lg, person=park)
    PersonFactory(organization=lg, name="최가전", email="choi@lg.example")  # not invited
    return meeting


def row(email):
    return Attendance.objects.get(person__email=email)


def path_of(email):
    attendance = row(email)
    return link(attendance, attendance.person)


def naming(email, name="대리인"):
    return {"answer": "substitute", "substitute_name": name, "substitute_email": email}


def post(client, path, data):
    return client.post(path, data, HTTP_ACCEPT_LANGUAGE="en")


def snapshot(email):
    """Everything of a listed person's that no one else's reply may change."""
    attendance = row(email)
    return (
        attendance.pk,
        attendance.status,
        attendance.replaces_id,
        attendance.role,
        sorted(attendance.replies.values_list("pk", "person_id", "token_hash", "answer")),
        Person.objects.filter(email=email).values_list("pk", "name", "organization_id").get(),
    )


def substitutes_of(email):
    return list(
        Attendance.objects.filter(status="substitute", replaces__email=email).values_list(
            "person__email", flat=True
        )
    )


def test_a_colleague_already_on_the_list_is_refused_and_keeps_their_row(meeting, client):
    kim, lee = path_of("kim@posco.example"), path_of("lee@posco.example")
    assert client.post(lee, {"answer": "confirmed"}).status_code == 302
    lee_before, kim_before = snapshot("lee@posco.example"), snapshot("kim@posco.example")

    for email in ("lee@posco.example", "Lee@POSCO.example"):
        response = post(client, kim, naming(email))
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="id_substitute_email_error"' in html and ALREADY_LISTED in html
    assert snapshot("lee@posco.example") == lee_before
    assert snapshot("kim@posco.example") == kim_before  # the refused answer changed nothing

    # Whatever Kim answers afterwards, Lee's row and link stay as Lee left them.
    for answer in ("confirmed", "declined", "confirmed"):
        assert client.post(kim, {"answer": answer}).status_code == 302
        assert snapshot("lee@posco.example") == lee_before
        assert client.get(lee).status_code == 200
    # Nor can Lee, from his link, take Kim's row as his substitute.
    response = post(client, lee, naming("kim@posco.example"))
    assert response.status_code == 200 and ALREADY_LISTED in response.content.decode()
    assert row("kim@posco.example").status == "confirmed"
    assert client.post(lee, {"answer": "declined"}).status_code == 302
    assert row("kim@posco.example").status == "confirmed"
    assert client.get(kim).status_code == 200


def test_a_colleague_listed_under_a_former_organization_is_refused(meeting, client):
    lee = Person.objects.get(email="lee@posco.example")
    AttendanceFactory(meeting=meeting, organization=OrganizationFactory(), person=lee)
    Attendance.objects.filter(meeting=meeting, person=lee, organization__name="포스코").delete()
    response = post(client, path_of("kim@posco.example"), naming("lee@posco.example"))
    assert response.status_code == 200 and ALREADY_LISTED in response.content.decode()
    assert Attendance.objects.filter(person=lee).count() == 1


def test_changing_the_substitute_removes_only_what_the_reply_added(meeting, client):
    kim, lee = path_of("kim@posco.example"), path_of("lee@posco.example")
    lee_before = snapshot("lee@posco.example")
    people = Person.objects.count()

    # An existing contact not yet on the list: the reply adds their row.
    assert post(client, kim, naming("jung@posco.example")).status_code == 302
    jung = row("jung@posco.example")
    assert (jung.status, jung.replaces.email) == ("substitute", "kim@posco.example")

    # Changing to a colleague who is on the list is refused, and keeps the substitute named.
    response = post(client, kim, naming("lee@posco.example"))
    assert response.status_code == 200 and ALREADY_LISTED in response.content.decode()
    assert row("jung@posco.example").pk == jung.pk
    assert snapshot("lee@posco.example") == lee_before

    # A new colleague in Jung's place: Jung's row goes, the contact stays.
    assert post(client, kim, naming("yoon@posco.example", "윤신입")).status_code == 302
    assert not Attendance.objects.filter(person__email="jung@posco.example").exists()
    assert Person.objects.filter(email="jung@posco.example").exists()
    yoon = row("yoon@posco.example")
    yoon_link = link(yoon, yoon.person)

    # The same answer again (a second tab, a resent form) keeps the same row and its link.
    assert post(client, kim, naming("yoon@posco.example", "윤신입")).status_code == 302
    assert row("yoon@posco.example").pk == yoon.pk
    assert client.get(yoon_link).status_code == 200
    assert substitutes_of("kim@posco.example") == ["yoon@posco.example"]

    # Declining takes the added row off; the contact the reply added stays a contact.
    assert client.post(kim, {"answer": "declined"}).status_code == 302
    assert substitutes_of("kim@posco.example") == []
    assert Person.objects.count() == people + 1
    assert snapshot("lee@posco.example") == lee_before
    assert client.get(lee).status_code == 200


def test_a_substitute_row_someone_else_put_there_stays(meeting, client):
    kim = path_of("kim@posco.example")
    assert post(client, kim, naming("jung@posco.example")).status_code == 302
    # The coordinators take the row off and put Jung back by hand, as Kim's substitute.
    jung = Person.objects.get(email="jung@posco.example")
    Attendance.objects.filter(person=jung).delete()
    by_hand = AttendanceFactory(
        meeting=meeting,
        organization=jung.organization,
        person=jung,
        status="substitute",
        replaces=Person.objects.get(email="kim@posco.example"),
    )
    jung_link = link(by_hand, jung)
    assert client.post(kim, {"answer": "confirmed"}).status_code == 302
    assert Attendance.objects.get(person=jung).pk == by_hand.pk
    assert client.get(jung_link).status_code == 200


def test_a_substitute_who_answered_keeps_their_row(meeting, client):
    kim = path_of("kim@posco.example")
    assert post(client, kim, naming("jung@posco.example")).status_code == 302
    jung = path_of("jung@posco.example")
    assert client.post(jung, {"answer": "confirmed"}).status_code == 302
    for answer in ("declined", "confirmed"):
        assert client.post(kim, {"answer": answer}).status_code == 302
        assert (row("jung@posco.example").status, client.get(jung).status_code) == (
            "confirmed",
            200,
        )
    # Named again, Jung (on the list for himself now) is refused like any listed colleague.
    response = post(client, kim, naming("jung@posco.example"))
    assert response.status_code == 200 and ALREADY_LISTED in response.content.decode()


def neutralised(response, email):
    """The page with what differs by request alone (the CSRF token, the typed address) out."""
    html = response.content.decode().replace(email, "EMAIL")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_an_address_held_outside_the_organization_gets_one_neutral_answer(
    meeting, client, coordinator
):
    kim = path_of("kim@posco.example")
    before = (Person.objects.count(), Attendance.objects.count())
    held = [
        "park@lg.example",  # another organization's contact, on this meeting's list
        "choi@lg.example",  # another organization's contact, not on it
        "CHOI@lg.example",
        coordinator.email,  # a ministry sign-in account's address
    ]
    pages = set()
    for email in held:
        response = post(client, kim, naming(email))
        assert response.status_code == 200, email
        page = neutralised(response, email)  # the token's random letters could spell "LG"
        assert NOT_NAMEABLE in page and ALREADY_LISTED not in page
        assert "another organization" not in page and "LG" not in page
        pages.add(page)
    assert len(pages) == 1  # word for word the same page
    assert (Person.objects.count(), Attendance.objects.count()) == before
    assert AttendanceReply.objects.get(person__email="kim@posco.example").answer == ""


# --- At the same time --------------------------------------------------------------------


def waiting_for_locks(count):
    """Waits until `count` other sessions of this test database wait for a lock."""
    deadline = time.monotonic() + 20
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0] >= count:
                return
            time.sleep(0.05)
    raise AssertionError(f"{count} sessions never waited for a lock")


def at_once(hold, posts):
    """Sends the posts from threads of their own while `hold` (a query) keeps a row locked;
    lets go once every post waits. Returns the responses in the order of `posts`."""
    responses, errors = [None] * len(posts), []

    def send(index, path, data):
        try:
            responses[index] = post(Client(), path, data)
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=send, args=(i, path, data)) for i, (path, data) in enumerate(posts)
    ]
    with transaction.atomic():
        hold()
        for thread in threads:
            thread.start()
        waiting_for_locks(len(posts))
    for thread in threads:
        thread.join(30)
    assert not errors
    return responses


postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="SQLite runs one writer at a time anyway"
)


@postgresql_only
@pytest.mark.usefixtures("committed")
def test_two_tabs_on_one_link_leave_one_substitute(meeting):
    kim = path_of("kim@posco.example")
    kim_row = row("kim@posco.example").pk

    def hold():
        Attendance.objects.select_for_update().get(pk=kim_row)

    tabs = [(kim, naming("jung@posco.example")), (kim, naming("yoon@posco.example"))]
    assert [r.status_code for r in at_once(hold, tabs)] == [302, 302]
    reply = AttendanceReply.objects.get(person__email="kim@posco.example")
    assert substitutes_of("kim@posco.example") == [reply.substitute.email]

    # A double submit of one answer: one row.
    twice = [(kim, naming("choi.new@posco.example"))] * 2
    assert [r.status_code for r in at_once(hold, twice)] == [302, 302]
    assert substitutes_of("kim@posco.example") == ["choi.new@posco.example"]
    assert Person.objects.filter(email="choi.new@posco.example").count() == 1


@postgresql_only
@pytest.mark.usefixtures("committed")
def test_two_colleagues_naming_one_new_person_at_once_add_them_once(meeting):
    colleagues = [path_of("kim@posco.example"), path_of("lee@posco.example")]

    def hold():
        Meeting.objects.select_for_update().get(pk=meeting.pk)

    responses = at_once(hold, [(path, naming("yoon@posco.example")) for path in colleagues])
    assert sorted(r.status_code for r in responses) == [200, 302]
    [refused] = [r for r in responses if r.status_code == 200]
    assert ALREADY_LISTED in refused.content.decode()
    assert Person.objects.filter(email="yoon@posco.example").count() == 1
    assert Attendance.objects.filter(person__email="yoon@posco.example").count() == 1
