"""A real client against a live server while other transactions write and commit.

The guarantee under test (README, REST API): a client that applies every page holds exactly the
server's meetings, even when a transaction that began earlier commits after later ones that the
client has already synced. A cursor on `updated_at` or on the change log's serial number fails
this test: the late transaction's change is numbered before changes the client already has.
"""

import json
import random
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.db import OperationalError, connection, transaction
from rest_framework.authtoken.models import Token

from events import services
from events.models import Attendance, Meeting
from events.tests.factories import AttendanceFactory, MeetingFactory
from stakeholders.tests.factories import OrganizationFactory

from .test_sync import URL, Calendar, server_versions

pytestmark = [
    pytest.mark.slow,
    pytest.mark.usefixtures("committed"),
    pytest.mark.skipif("connection.vendor != 'postgresql'"),
]

LATE_VENUE = "늦게 커밋된 변경"


class HttpApi:
    """Just enough of an API client over real HTTP for `Calendar`."""

    class Response:
        def __init__(self, status_code, body):
            self.status_code, self.content = status_code, body

        def json(self):
            return json.loads(self.content)

    def __init__(self, base_url, token):
        self.base_url, self.token = base_url, token

    def get(self, path, params):
        request = urllib.request.Request(
            f"{self.base_url}{path}?{urllib.parse.urlencode(params)}",
            headers={"Authorization": f"Token {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return self.Response(response.status, response.read())
        except urllib.error.HTTPError as error:
            return self.Response(error.code, error.read())


def random_write(rnd, spare_ids, organizations):
    """One committed change of a random kind, on any meeting but the late one."""
    kind = rnd.choice(["create", "edit", "attend", "visibility", "cancel", "delete"])
    with transaction.atomic():
        if kind == "create":
            MeetingFactory(visibility=rnd.choice(list(Meeting.Visibility)))
            return
        meeting = (
            Meeting.objects.select_for_update().exclude(pk__in=spare_ids).order_by("?").first()
        )
        if meeting is None:
            return
        if kind == "edit":
            services.meeting_update(meeting=meeting, venue=f"장소 {rnd.random():.6f}")
        elif kind == "attend":
            Attendance.objects.get_or_create(
                meeting=meeting, organization=rnd.choice(organizations), person=None
            )
        elif kind == "visibility":
            services.meeting_update(
                meeting=meeting, visibility=rnd.choice(list(Meeting.Visibility))
            )
        elif kind == "cancel":
            Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
        else:
            meeting.delete()


def writer(seed, until, spare_ids, organizations, errors):
    rnd = random.Random(seed)
    try:
        while time.monotonic() < until:
            try:
                random_write(rnd, spare_ids, organizations)
            except OperationalError:  # a deadlock between writers: the loser tries again
                continue
            time.sleep(rnd.uniform(0, 0.02))
    except Exception:  # reported by the test, not lost in the thread
        errors.append(traceback.format_exc())
    finally:
        connection.close()


def late_writer(meeting_id, started, release):
    try:
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
            services.meeting_update(meeting=meeting, venue=LATE_VENUE)
            AttendanceFactory(meeting=meeting)
            started.set()
            release.wait(timeout=60)
    finally:
        connection.close()


def writers_around_a_late_commit(late, organizations, seconds=4):
    """A transaction that changes `late` and stays open until `release` is set, and three
    writers changing the other meetings for `seconds` meanwhile; all started.
    Returns (late_thread, release, writers, errors, until)."""
    started, release, errors = threading.Event(), threading.Event(), []
    late_thread = threading.Thread(target=late_writer, args=(late.pk, started, release))
    late_thread.start()
    assert started.wait(timeout=30)
    until = time.monotonic() + seconds
    writers = [
        threading.Thread(target=writer, args=(seed, until, {late.pk}, organizations, errors))
        for seed in range(3)
    ]
    for thread in writers:
        thread.start()
    return late_thread, release, writers, errors, until


def test_clients_miss_nothing_under_concurrent_writers_and_a_late_commit(
    live_server, coordinator, partner
):
    organizations = OrganizationFactory.create_batch(5)
    MeetingFactory.create_batch(20)
    late = MeetingFactory()
    calendars = [
        Calendar(HttpApi(live_server.url, Token.objects.create(user=user).key))
        for user in (coordinator, partner)
    ]
    for calendar in calendars:
        calendar.sync(page_size=7)

    late_thread, release, writers, errors, until = writers_around_a_late_commit(late, organizations)
    rounds_while_late_open = 0
    while time.monotonic() < until - 1.5:
        for calendar in calendars:
            calendar.sync(page_size=7)
        rounds_while_late_open += 1
    # The client has synced changes committed after the late transaction began.
    assert rounds_while_late_open >= 3
    assert calendars[0].meetings[str(late.pk)]["venue"] != LATE_VENUE
    release.set()  # commits now, seconds after later transactions
    late_thread.join(timeout=30)

    while any(thread.is_alive() for thread in writers):
        for calendar in calendars:
            calendar.sync(page_size=7)
    for thread in writers:
        thread.join()
    assert not errors

    for calendar in calendars:
        calendar.sync(page_size=7)
    assert calendars[0].meetings[str(late.pk)]["venue"] == LATE_VENUE
    assert calendars[0].versions() == server_versions(coordinator)
    assert calendars[1].versions() == server_versions(partner)
    # Nothing left over: the next round is empty.
    assert calendars[0].sync() == []


def test_the_http_client_speaks_to_the_live_server(live_server, coordinator):
    """The harness itself: errors come back as status codes, not exceptions."""
    api = HttpApi(live_server.url, Token.objects.create(user=coordinator).key)
    assert api.get(URL, {"sync_token": "forged"}).status_code == 410
