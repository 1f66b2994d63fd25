"""Calendar sync as a client sees it (README, REST API): GET /api/v1/meetings/sync/.

Committed transactions (transactional_db): a token's position is the oldest transaction still
in flight, so changes made inside a test's own open transaction would all come again.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.tests.clients import client_for
from events import services
from events.models import Attendance, Meeting, MeetingChange
from events.tests.factories import AttendanceFactory, MeetingFactory
from stakeholders.tests.factories import OrganizationFactory

pytestmark = pytest.mark.usefixtures("committed")

URL = "/api/v1/meetings/sync/"


class Calendar:
    """A client's copy of the meetings, kept in step by sync as the contract describes."""

    def __init__(self, api):
        self.api = api
        self.meetings = {}
        self.token = None

    def sync(self, page_size=100):
        """Applies every page; returns the results of this round."""
        delivered = []
        params = {"page_size": page_size}
        if self.token:
            params["sync_token"] = self.token
        while True:
            response = self.api.get(URL, params)
            assert response.status_code == 200, response.content
            body = response.json()
            assert (body["next_page_token"] is None) != (body["next_sync_token"] is None)
            for item in body["results"]:
                if item.get("deleted"):
                    self.meetings.pop(item["id"], None)
                else:
                    self.meetings[item["id"]] = item
            delivered += body["results"]
            if body["next_sync_token"]:
                self.token = body["next_sync_token"]
                return delivered
            params = {"page_size": page_size, "page_token": body["next_page_token"]}

    def versions(self):
        return {pk: item["version"] for pk, item in self.meetings.items()}


def server_versions(user):
    return {
        str(pk): version
        for pk, version in Meeting.objects.visible_to(user).values_list("id", "version")
    }


def test_full_sync_pages_through_every_visible_meeting(coordinator):
    MeetingFactory.create_batch(5)
    MeetingFactory(status=Meeting.Status.CANCELLED)
    MeetingFactory(visibility=Meeting.Visibility.INTERNAL)
    calendar = Calendar(client_for(coordinator))
    delivered = calendar.sync(page_size=2)
    assert len(delivered) == 7
    assert calendar.versions() == server_versions(coordinator)


def test_incremental_sync_brings_changes_once_and_then_nothing(coordinator):
    kept, moved, dropped = MeetingFactory.create_batch(3)
    dropped_id = str(dropped.pk)
    calendar = Calendar(client_for(coordinator))
    calendar.sync()

    services.meeting_update(meeting=moved, venue="KAIST AI 팩토리 랩")
    AttendanceFactory(meeting=kept)
    dropped.delete()
    created = MeetingFactory()
    delivered = calendar.sync()

    assert {item["id"] for item in delivered} == {
        str(kept.pk),
        str(moved.pk),
        dropped_id,
        str(created.pk),
    }
    assert {"id": dropped_id, "deleted": True} in delivered
    assert calendar.meetings[str(moved.pk)]["venue"] == "KAIST AI 팩토리 랩"
    assert calendar.meetings[str(kept.pk)]["organizations"]
    assert calendar.versions() == server_versions(coordinator)
    assert calendar.sync() == []


def test_every_write_path_counts(coordinator):
    meeting, other = MeetingFactory.create_batch(2)
    attendance = AttendanceFactory(meeting=other)
    calendar = Calendar(client_for(coordinator))
    calendar.sync()

    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.POSTPONED)
    assert [item["status"] for item in calendar.sync()] == ["postponed"]

    Attendance.objects.filter(pk=attendance.pk).update(status=Attendance.Status.ATTENDED)
    assert [item["id"] for item in calendar.sync()] == [str(other.pk)]

    call_command("seed_relay", stdout=io.StringIO())
    assert len(calendar.sync()) == 4

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM events_meeting WHERE id = %s", [meeting.pk.hex])
    assert calendar.sync() == [{"id": str(meeting.pk), "deleted": True}]
    assert calendar.versions() == server_versions(coordinator)


def test_partner_gets_a_tombstone_when_a_meeting_turns_internal(partner):
    shown, hidden = MeetingFactory(), MeetingFactory(visibility=Meeting.Visibility.INTERNAL)
    calendar = Calendar(client_for(partner))
    assert [item["id"] for item in calendar.sync()] == [str(shown.pk)]

    services.meeting_update(meeting=hidden, venue="비공개 장소")
    assert calendar.sync() == []  # never visible: not even a tombstone

    services.meeting_update(meeting=shown, visibility=Meeting.Visibility.INTERNAL)
    services.meeting_update(meeting=hidden, visibility=Meeting.Visibility.PUBLIC)
    delivered = calendar.sync()
    assert {"id": str(shown.pk), "deleted": True} in delivered
    assert calendar.versions() == server_versions(partner) == {str(hidden.pk): hidden.version}


def test_unchanged_answer_is_304_with_the_etag(coordinator):
    MeetingFactory()
    api = client_for(coordinator)
    first = api.get(URL)
    token = first.json()["next_sync_token"]
    quiet = api.get(URL, {"sync_token": token})
    assert quiet.json()["results"] == []
    again = api.get(URL, {"sync_token": token}, HTTP_IF_NONE_MATCH=quiet["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == quiet["ETag"]

    MeetingFactory()
    changed = api.get(URL, {"sync_token": token}, HTTP_IF_NONE_MATCH=quiet["ETag"])
    assert changed.status_code == 200
    assert len(changed.json()["results"]) == 1


@pytest.mark.parametrize(
    "token",
    ["", "not-a-token", "eyJrIjoic3luYyJ9:1vAAAA:forged"],
    ids=["empty", "garbage", "forged"],
)
def test_bad_tokens_are_410(coordinator, token):
    api = client_for(coordinator)
    response = api.get(URL, {"sync_token": token or "x"})
    assert response.status_code == 410
    assert response.json()["code"] == "sync_token_invalid"
    assert api.get(URL, {"page_token": token or "x"}).status_code == 410


def test_tampered_token_is_410(coordinator):
    api = client_for(coordinator)
    token = api.get(URL).json()["next_sync_token"]
    tampered = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
    assert api.get(URL, {"sync_token": tampered}).status_code == 410


def test_a_sync_token_is_not_a_page_token(coordinator):
    api = client_for(coordinator)
    token = api.get(URL).json()["next_sync_token"]
    assert api.get(URL, {"page_token": token}).status_code == 410


def test_expired_token_is_410(coordinator, settings):
    api = client_for(coordinator)
    token = api.get(URL).json()["next_sync_token"]
    settings.MEETING_SYNC_RETENTION = datetime.timedelta(seconds=-1)
    assert api.get(URL, {"sync_token": token}).json()["code"] == "sync_token_invalid"


def test_token_older_than_the_kept_history_is_410_and_full_sync_recovers(coordinator):
    meeting = MeetingFactory()
    calendar = Calendar(client_for(coordinator))
    calendar.sync()
    services.meeting_update(meeting=meeting, venue="판교")
    assert services.meeting_changes_prune(older_than=datetime.timedelta(0)) > 0
    assert not MeetingChange.objects.exists()

    response = calendar.api.get(URL, {"sync_token": calendar.token})
    assert response.status_code == 410
    calendar.token = None
    calendar.sync()
    assert calendar.versions() == server_versions(coordinator)


def test_pruning_keeps_recent_changes_and_their_tokens(coordinator):
    MeetingFactory()
    calendar = Calendar(client_for(coordinator))
    calendar.sync()
    assert services.meeting_changes_prune() == 0
    assert calendar.sync() == []


def test_token_of_a_caller_whose_sight_changed_is_410(partner, coordinator):
    token = client_for(partner).get(URL).json()["next_sync_token"]
    assert client_for(coordinator).get(URL, {"sync_token": token}).status_code == 410


@pytest.mark.parametrize("page_size", ["0", "1001", "many"])
def test_bad_page_size_is_400(coordinator, page_size):
    response = client_for(coordinator).get(URL, {"page_size": page_size})
    assert response.status_code == 400
    assert "page_size" in response.json()["errors"]


def test_anonymous_is_401_and_without_permission_403(django_user_model):
    from rest_framework.test import APIClient

    assert APIClient().get(URL).status_code == 401
    stranger = django_user_model.objects.create_user("stranger")
    assert client_for(stranger).get(URL).status_code == 403


@pytest.mark.parametrize("changes", [1, 40])
def test_incremental_sync_costs_the_same_queries_for_one_or_many_changes(coordinator, changes):
    MeetingFactory.create_batch(60)
    api = client_for(coordinator)
    token = api.get(URL, {"page_size": 1000}).json()["next_sync_token"]
    organization = OrganizationFactory()
    for meeting in Meeting.objects.all()[:changes]:
        AttendanceFactory(meeting=meeting, organization=organization)
    with CaptureQueriesContext(connection) as queries:
        body = api.get(URL, {"sync_token": token}).json()
    assert len(body["results"]) == changes
    # token, permissions (two), horizon, history kept, changes, meetings, organizations
    assert len(queries) == 8, [q["sql"][:60] for q in queries]
