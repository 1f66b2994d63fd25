"""RFC 6578 sync-collection in hand-written XML: full and incremental, removed and
hidden meetings as 404, bad tokens refused with valid-sync-token, truncation, and a collection
token that stays the same while nothing the user may see changes.

Committed transactions: a token's position is the oldest transaction still in flight, so
changes made inside a test's own open transaction would all come again."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import services
from events.models import Meeting
from events.tests.factories import AttendanceFactory, MeetingFactory

from .helpers import Dav, multistatus, propfind, sync_token

pytestmark = pytest.mark.usefixtures("committed")


class Copy:
    """A calendar app's copy of the collection: {href: etag}, kept by sync-collection."""

    def __init__(self, dav):
        self.dav = dav
        self.etags = {}
        self.token = ""

    def sync(self, limit=None) -> dict:
        """One round (following truncation); returns {href: etag or None (removed)}."""
        delivered = {}
        while True:
            response = self.dav.sync(self.token, limit=limit)
            truncated = False
            for href, entry in multistatus(response).items():
                if href == self.dav.calendar:
                    assert entry["status"] == 507
                    truncated = True
                elif entry["status"] == 404:
                    self.etags.pop(href, None)
                    delivered[href] = None
                else:
                    etag = entry["props"]["D:getetag"].text
                    self.etags[href] = delivered[href] = etag
            self.token = sync_token(response)
            if not truncated:
                return delivered


def server_etags(dav):
    listing = multistatus(dav.propfind(dav.calendar, propfind("D:getetag"), depth="1"))
    return {
        href: entry["props"]["D:getetag"].text
        for href, entry in listing.items()
        if href != dav.calendar
    }


def collection_state(dav):
    props = multistatus(dav.propfind(dav.calendar, propfind("D:sync-token", "CS:getctag")))
    props = props[dav.calendar]["props"]
    return props["D:sync-token"].text, props["CS:getctag"].text


def test_full_then_incremental_sync_with_removed_meetings_as_404(client, coordinator):
    kept, moved, dropped = MeetingFactory.create_batch(3)
    MeetingFactory(status=Meeting.Status.CANCELLED)
    MeetingFactory(visibility=Meeting.Visibility.INTERNAL)
    dav = Dav(client, coordinator)
    copy = Copy(dav)
    assert len(copy.sync()) == 5
    assert copy.etags == server_etags(dav)

    services.meeting_update(meeting=moved, venue="옮긴 장소")
    AttendanceFactory(meeting=kept)
    dropped_href = f"{dav.calendar}{dropped.pk}.ics"
    dropped.delete()
    delivered = copy.sync()
    assert delivered == {
        f"{dav.calendar}{moved.pk}.ics": copy.etags[f"{dav.calendar}{moved.pk}.ics"],
        f"{dav.calendar}{kept.pk}.ics": copy.etags[f"{dav.calendar}{kept.pk}.ics"],
        dropped_href: None,
    }
    assert copy.etags == server_etags(dav)
    assert copy.sync() == {}


def test_a_meeting_that_turns_internal_is_removed_for_who_cannot_see_it(client, partner):
    meeting = MeetingFactory()
    MeetingFactory(visibility=Meeting.Visibility.INTERNAL)
    copy = Copy(Dav(client, partner))
    assert len(copy.sync()) == 1
    services.meeting_update(meeting=meeting, visibility=Meeting.Visibility.INTERNAL)
    assert copy.sync() == {f"{copy.dav.calendar}{meeting.pk}.ics": None}
    assert copy.etags == {}


def test_the_collection_token_is_the_last_sync_token_until_something_visible_changes(
    client, partner, django_user_model
):
    public = MeetingFactory()
    internal = MeetingFactory(visibility=Meeting.Visibility.INTERNAL)
    dav = Dav(client, partner)
    copy = Copy(dav)
    copy.sync()
    token, ctag = collection_state(dav)
    assert token == copy.token
    # Other writes (another table; a meeting the partner cannot see) change nothing for it.
    django_user_model.objects.create_user("someone-else")
    services.meeting_update(meeting=internal, venue="내부 장소")
    assert collection_state(dav) == (token, ctag)
    assert copy.sync() == {}
    assert copy.token == token
    # A visible change does.
    services.meeting_update(meeting=public, venue="새 장소")
    new_token, new_ctag = collection_state(dav)
    assert new_token != token and new_ctag != ctag
    assert list(copy.sync()) == [f"{dav.calendar}{public.pk}.ics"]
    assert copy.token == new_token


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        "http://127.0.0.1:8000/dav/sync/s/forged",
        "http://127.0.0.1:8000/dav/sync/p/eyJrIjoic3luYyJ9:1xYuEy:nope",
        "http://127.0.0.1:8000/dav/sync/x/abc",
    ],
)
def test_bad_tokens_are_refused_with_valid_sync_token(client, coordinator, token):
    response = Dav(client, coordinator).sync(token)
    assert response.status_code == 403
    assert b"valid-sync-token" in response.body


def test_a_token_of_another_sight_or_past_the_kept_history_is_refused(client, coordinator, partner):
    MeetingFactory()
    coordinators = Copy(Dav(client, coordinator))
    coordinators.sync()
    partners = Dav(client, partner)
    refused = partners.sync(coordinators.token)
    assert refused.status_code == 403 and b"valid-sync-token" in refused.body

    MeetingFactory()
    assert services.meeting_changes_prune(older_than=datetime.timedelta(0)) > 0
    refused = coordinators.dav.sync(coordinators.token)
    assert refused.status_code == 403 and b"valid-sync-token" in refused.body
    # The app starts again with a full sync.
    coordinators.token = ""
    assert len(coordinators.sync()) == 2


def test_a_limit_truncates_with_507_and_a_token_to_go_on(client, coordinator):
    MeetingFactory.create_batch(5)
    dav = Dav(client, coordinator)
    first = multistatus(dav.sync(limit=2))
    assert first[dav.calendar]["status"] == 507
    assert len(first) == 3
    copy = Copy(dav)
    assert len(copy.sync(limit=2)) == 5
    assert copy.etags == server_etags(dav)
    MeetingFactory.create_batch(3)
    assert len(copy.sync(limit=2)) == 3
    assert copy.etags == server_etags(dav)


def test_queries_do_not_grow_with_the_changes(client, coordinator):
    meetings = MeetingFactory.create_batch(40)
    dav = Dav(client, coordinator)
    copy = Copy(dav)
    copy.sync()
    counts = []
    for changed in (1, 40):
        for meeting in meetings[:changed]:
            services.meeting_update(meeting=meeting, venue=f"바뀐 장소 {changed}")
        with CaptureQueriesContext(connection) as queries:
            response = dav.sync(copy.token, props="<D:getetag/><C:calendar-data/>")
        assert len(multistatus(response)) == changed
        copy.token = sync_token(response)
        counts.append(len(queries))
    # Sign-in (lock-out check, app password, reset), permissions, horizon and settling, the
    # history check, the changes, their meetings and organizations, what their rendering needs.
    assert counts[0] == counts[1] <= 14, counts
