"""CalDAV sync-collection under a large relay series (issue 18): a REPORT that returns k changes
costs about the same at 100,000 meetings as at 1,000, in time and in queries.

Part of `make bench` (bench/run.py, the `reads` part), on the dataset of bench/api_reads.py: a
calendar app signed in with an app password asks, through Django's test client and the whole
middleware stack, what changed since the collection's sync-token, as DAVx⁵ does (getetag).
"""

import xml.etree.ElementTree as ET

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.api_reads import CHANGES, QUICK_REPEATS, Dataset, settle
from bench.common import best_of

DAV_NS = {"D": "DAV:"}
_apps: dict = {}


def _app(data: Dataset):
    """(client, Authorization header, calendar path) for the dataset's user, made once."""
    if data.user.pk not in _apps:
        from dav import services
        from dav.tests.helpers import basic

        _password, secret = services.app_password_create(user=data.user, name="bench")
        _apps[data.user.pk] = (
            Client(),
            basic(data.user.username, secret),
            f"/dav/calendars/{data.user.username}/meetings/",
        )
    return _apps[data.user.pk]


def _request(data, method, body, depth) -> bytes:
    client, authorization, path = _app(data)
    response = client.generic(
        method,
        path,
        body,
        content_type="application/xml",
        HTTP_AUTHORIZATION=authorization,
        HTTP_DEPTH=depth,
    )
    assert response.status_code == 207, (method, response.status_code)
    return b"".join(response.streaming_content)


def _collection_token(data) -> str:
    body = _request(
        data,
        "PROPFIND",
        b'<D:propfind xmlns:D="DAV:"><D:prop><D:sync-token/></D:prop></D:propfind>',
        "0",
    )
    return ET.fromstring(body).findtext(".//D:sync-token", namespaces=DAV_NS)


def _sync(data, token) -> int:
    """One sync-collection since `token`; how many meetings it returned."""
    body = _request(
        data,
        "REPORT",
        (
            '<D:sync-collection xmlns:D="DAV:"><D:sync-token>'
            f"{token}</D:sync-token><D:sync-level>1</D:sync-level>"
            "<D:prop><D:getetag/></D:prop></D:sync-collection>"
        ).encode(),
        "0",
    )
    return len(ET.fromstring(body).findall("D:response", DAV_NS))


def sync_figures(data: Dataset, size: int) -> tuple[dict[int, float], dict[int, int], list[str]]:
    """Seconds and queries of a sync-collection after 1 and 100 changes, at the current size;
    with notes on any answer that carried more than the changes."""
    from events.models import Meeting

    notes = []
    if not settle():
        notes.append(f"at {size:,}: another transaction kept the sync horizon back")
    token = _collection_token(data)
    ids = list(Meeting.objects.order_by("?").values_list("pk", flat=True)[: max(CHANGES)])
    seconds, queries = {}, {}
    for changes in CHANGES:
        Meeting.objects.filter(pk__in=ids[:changes]).update(venue=f"오송 {size} {changes}")
        settle(timeout=30)
        seconds[changes] = best_of(lambda t=token: _sync(data, t), repeats=QUICK_REPEATS)
        with CaptureQueriesContext(connection) as captured:
            returned = _sync(data, token)
        queries[changes] = len(captured)
        # The previous round's change may come again (a change may come twice, never not).
        if not changes <= returned <= changes + 1:
            notes.append(f"at {size:,}, {changes:,} changed: the answer carried {returned:,}")
        token = _collection_token(data)
    return seconds, queries, notes
