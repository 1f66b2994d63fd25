"""CalDAV sync-collection against a live server while other transactions write and commit, and
one that began earlier commits after the client has synced later ones (the guarantee of the REST
sync: README, REST API). A DAV token carrying a cursor on updated_at or on the change log's serial
number fails here: the late transaction's change is numbered before changes already synced.
The collection's sync-token (what DAVx⁵ compares before syncing) must move when the late
transaction commits, though no newer change came with it."""

import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.utils import translation

from dav.views import etag
from events.models import Meeting
from events.tests.factories import MeetingFactory
from events.tests.test_sync_concurrency import LATE_VENUE, writers_around_a_late_commit
from stakeholders.tests.factories import OrganizationFactory

from .helpers import NS, app_password, basic

pytestmark = [
    pytest.mark.slow,
    pytest.mark.usefixtures("committed"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the late commit is PostgreSQL's (xmin)"
    ),
]

PROPS = "<D:prop><D:getetag/><C:calendar-data/></D:prop>"


class App:
    """A calendar app over real HTTP: its copy {href: (etag, data)} and its sync token."""

    def __init__(self, base_url, user):
        self.base_url = base_url
        self.calendar = f"/dav/calendars/{user.username}/meetings/"
        self.authorization = basic(user.username, app_password(user))
        self.items = {}
        self.token = ""

    def request(self, method, body, depth):
        request = urllib.request.Request(
            f"{self.base_url}{self.calendar}",
            data=body.encode(),
            method=method,
            headers={
                "Authorization": self.authorization,
                "Content-Type": "application/xml",
                "Depth": depth,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def sync(self, limit=7) -> list[str]:
        """One round, following truncation; returns the hrefs delivered."""
        delivered = []
        while True:
            status, body = self.request(
                "REPORT",
                '<D:sync-collection xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
                f"<D:sync-token>{self.token}</D:sync-token><D:sync-level>1</D:sync-level>"
                f"<D:limit><D:nresults>{limit}</D:nresults></D:limit>{PROPS}"
                "</D:sync-collection>",
                "0",
            )
            assert status == 207, body[:500]
            root = ET.fromstring(body)
            truncated = False
            for item in root.findall("D:response", NS):
                href = item.findtext("D:href", namespaces=NS)
                status_line = item.findtext("D:status", namespaces=NS) or ""
                if href == self.calendar:
                    assert " 507 " in status_line
                    truncated = True
                    continue
                delivered.append(href)
                if " 404 " in status_line:
                    self.items.pop(href, None)
                else:
                    prop = item.find("D:propstat/D:prop", NS)
                    self.items[href] = (
                        prop.findtext("D:getetag", namespaces=NS),
                        prop.findtext("C:calendar-data", namespaces=NS),
                    )
            self.token = root.findtext("D:sync-token", namespaces=NS)
            if not truncated:
                return delivered

    def collection_token(self) -> str:
        status, body = self.request(
            "PROPFIND",
            '<D:propfind xmlns:D="DAV:"><D:prop><D:sync-token/></D:prop></D:propfind>',
            "0",
        )
        assert status == 207
        return ET.fromstring(body).findtext(".//D:sync-token", namespaces=NS)

    def etags(self):
        return {href: tag for href, (tag, _data) in self.items.items()}


def server_etags(app, user):
    with translation.override("ko"):
        return {
            f"{app.calendar}{pk}.ics": etag(pk, version)
            for pk, version in Meeting.objects.visible_to(user).values_list("id", "version")
        }


def test_apps_miss_nothing_under_concurrent_writers_and_a_late_commit(
    live_server, coordinator, partner
):
    organizations = OrganizationFactory.create_batch(5)
    MeetingFactory.create_batch(20)
    late = MeetingFactory()
    apps = [App(live_server.url, user) for user in (coordinator, partner)]
    for app in apps:
        app.sync()

    late_thread, release, writers, errors, _until = writers_around_a_late_commit(
        late, organizations
    )
    rounds = 0
    while any(thread.is_alive() for thread in writers):
        for app in apps:
            app.sync()
        rounds += 1
    for thread in writers:
        thread.join()
    assert not errors
    # The apps have synced changes committed after the late transaction began.
    assert rounds >= 3
    for app in apps:
        app.sync()
    late_href = f"{apps[0].calendar}{late.pk}.ics"
    assert LATE_VENUE not in apps[0].items[late_href][1]
    # Nothing visible is new: the collection's token is the one the app holds.
    assert apps[0].collection_token() == apps[0].token

    release.set()  # commits now, seconds after later transactions
    late_thread.join(timeout=30)
    # The late commit moves the collection's token, so an app that compares tokens syncs.
    assert apps[0].collection_token() != apps[0].token

    for app in apps:
        app.sync()
    assert LATE_VENUE in apps[0].items[late_href][1]
    assert apps[0].etags() == server_etags(apps[0], coordinator)
    assert apps[1].etags() == server_etags(apps[1], partner)
    # Nothing left over: the next round is empty, and the token the collection's.
    assert apps[0].sync() == []
    assert apps[0].collection_token() == apps[0].token
