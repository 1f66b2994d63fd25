"""`?ordering=` on a field many rows share still pages through every row once: ties come by
the primary key."""

import pytest

from api.tests.clients import client_for
from events.models import Meeting
from events.tests.factories import MeetingFactory
from followups.tests.factories import StakeholderRequestFactory

pytestmark = pytest.mark.django_db


def walk(client, url, ordering):
    ids, page = [], 1
    while page:
        body = client.get(url, {"ordering": ordering, "page": page, "page_size": 2}).json()
        ids += [row["id"] for row in body["results"]]
        page = page + 1 if body["next"] else None
    return ids


@pytest.mark.parametrize(
    "url, make, ordering",
    [
        ("/api/v1/meetings/", lambda: MeetingFactory(title="같은 제목"), "-title"),
        ("/api/v1/requests/", StakeholderRequestFactory, "status"),
    ],
)
def test_rows_with_equal_values_come_once_each_in_the_order_of_their_ids(
    coordinator, url, make, ordering
):
    rows = [make() for _ in range(7)]
    # An update moves a row's tuple to the end of the table, away from its id's place.
    for row in rows[:3]:
        type(row).objects.filter(pk=row.pk).update(updated_at=row.updated_at)
    expected = sorted(str(row.pk) if isinstance(row, Meeting) else row.pk for row in rows)
    assert walk(client_for(coordinator), url, ordering) == expected
