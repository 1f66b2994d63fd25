"""The API's request list renders rows read as values() (followups.selectors.request_rows), not
serializers: what a client receives, and what the schema declares, are as the serializer's."""

import datetime
from pathlib import Path
from types import SimpleNamespace

import orjson
import pytest
from django.contrib.auth.models import Permission
from drf_orjson_renderer.renderers import ORJSONRenderer

from api.tests import schema
from api.tests.clients import client_for
from events.tests.factories import MeetingFactory
from followups.api import StakeholderRequestSerializer, StakeholderRequestViewSet
from followups.models import StakeholderRequest
from followups.tests.factories import StakeholderRequestFactory
from pledges.tests.factories import CommitmentFactory
from stakeholders.tests.factories import MinistryFactory, PersonFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/requests/"
Status, Category, Source = (
    StakeholderRequest.Status,
    StakeholderRequest.Category,
    StakeholderRequest.Source,
)


@pytest.fixture
def varied(ministry, coordinator):
    """Requests in every status, category and source; each related row, date and text present
    on some, absent on others; the officer's ministry's, another's and none."""
    later = MeetingFactory(start_date=datetime.date(2026, 3, 1))
    earlier = MeetingFactory(start_date=datetime.date(2026, 2, 1), visibility="internal")
    # Made in this order, listed in the pledges' own (by their meeting, then id).
    pledges = [
        CommitmentFactory(meeting=later),
        CommitmentFactory(meeting=earlier),
        CommitmentFactory(meeting=None),
    ]
    person = PersonFactory()
    ministries = (ministry, MinistryFactory(), None)
    statuses = list(Status)
    made = []
    for n, category in enumerate(Category):
        status = statuses[n % len(statuses)]
        done = status in StakeholderRequest.DONE_STATUSES
        responded = datetime.datetime(2026, 3, 2, 5, 30, n, 123456 * (n % 2), tzinfo=datetime.UTC)
        request = StakeholderRequestFactory(
            meeting=(later, earlier)[n % 2],
            organization=person.organization,
            person=person if n % 2 else None,
            category=category,
            text=f'AI 반도체 "규제" 완화 요청 {n}\n두 번째 줄',
            source=list(Source)[n % len(Source)],
            status=status,
            ministry=ministries[n % 3],
            assignee=coordinator if n % 3 == 0 else None,
            due_date=datetime.date(2026, 4, n + 1) if n % 2 == 0 else None,
            response="반영하겠습니다." if done else "",
            responded_at=responded if done else None,
            published_at=responded if done and n % 2 else None,
            is_public=n % 2 == 0,
            public_summary="공개 요약" if n % 2 == 0 else "",
            notes="내부 메모" if n % 3 else "",
            same_as=made[0] if made and n % 2 else None,
        )
        request.commitments.set(pledges[: n % 4])
        made.append(request)
    return made


def serialized(user) -> list:
    """The serializer's JSON for the list's queryset as `user` sees it, through the API's
    renderer."""
    view = StakeholderRequestViewSet(request=SimpleNamespace(user=user))
    requests = StakeholderRequestSerializer(
        view.get_queryset(), many=True, context={"request": view.request}
    )
    return orjson.loads(ORJSONRenderer().render(requests.data))


@pytest.mark.parametrize("role", ["viewer", "officer", "coordinator"])
def test_list_rows_equal_the_serializer_representation(request, varied, ministry, role):
    user = request.getfixturevalue(role)
    body = client_for(user).get(API, {"page_size": 100}).json()
    expected = serialized(user)
    assert body["count"] == len(body["results"]) == len(expected)
    assert body["results"] == expected
    mine = [row for row in varied if row.ministry_id == ministry.pk]
    assert len(expected) == (len(mine) if role == "officer" else len(varied))
    # Every kind of value the list writes is in the comparison.
    assert {row["status"] for row in expected} == (
        {row.status for row in mine} if role == "officer" else set(Status)
    )
    if role != "officer":
        assert {row["category"] for row in expected} == set(Category)
        assert {len(row["commitments"]) for row in expected} == {0, 1, 2, 3}
        assert {row["responded_at"] is None for row in expected} == {True, False}


def test_filtered_and_ordered_rows_equal_each_request_read_alone(varied, viewer):
    api = client_for(viewer)
    # Only the order asked for: these have due dates, and none the same.
    query = {"status": ["new", "closed"], "ordering": "-due_date", "page_size": 2}
    body = api.get(API, query).json()
    assert body["count"] == 3 and len(body["results"]) == 2 and "page=2" in body["next"]
    listed = body["results"] + api.get(body["next"]).json()["results"]
    assert [row["id"] for row in listed] == [
        request.pk
        for request in StakeholderRequest.objects.filter(status__in=query["status"]).order_by(
            "-due_date"
        )
    ]
    for row in listed:
        assert row == api.get(f"{API}{row['id']}/").json()


# token, permissions (2), count, requests, their pledges; an officer's contact record, and its
# organization, name their ministry.
QUERIES = {"viewer": 6, "officer": 8}


@pytest.mark.parametrize("rows", [1, 30])
@pytest.mark.parametrize("role", ["viewer", "officer"])
def test_list_queries_do_not_grow_with_the_rows(
    request, ministry, role, rows, django_assert_num_queries
):
    pledges = CommitmentFactory.create_batch(2)
    for _ in range(rows):
        StakeholderRequestFactory(ministry=ministry).commitments.set(pledges)
    api = client_for(request.getfixturevalue(role))
    api.get(API)
    with django_assert_num_queries(QUERIES[role]):
        body = api.get(API, {"page_size": 100}).json()
    assert len(body["results"]) == rows
    assert all(len(row["commitments"]) == 2 for row in body["results"])


def test_the_list_declares_what_it_declared_when_serializers_wrote_it():
    kept = Path(__file__).with_name("requests_list_schema.json").read_text()
    assert schema.operation(API) == kept


def test_one_who_may_not_see_internal_meetings_lists_only_public_meetings_requests(
    django_user_model,
):
    reader = django_user_model.objects.create_user("reader", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_stakeholderrequest"))
    public = StakeholderRequestFactory(meeting=MeetingFactory(visibility="public"))
    StakeholderRequestFactory(meeting=MeetingFactory(visibility="internal"))
    body = client_for(reader).get(API).json()
    assert [row["id"] for row in body["results"]] == [public.pk] and body["count"] == 1
