"""The API's organization list renders rows read as values()
(stakeholders.selectors.organization_rows), not serializers: what a client receives, and what
the schema declares, are as the serializer's."""

from pathlib import Path

import orjson
import pytest
from drf_orjson_renderer.renderers import ORJSONRenderer

from api.tests import schema
from api.tests.clients import client_for
from stakeholders import services
from stakeholders.api import OrganizationSerializer, OrganizationViewSet
from stakeholders.business_number import check_digit
from stakeholders.models import Organization
from stakeholders.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/organizations/"


@pytest.fixture
def varied(db):
    """Organizations of every kind; with and without an English name, aliases (given out of
    their order), a sector, a website and a business number."""
    made = []
    for n, kind in enumerate(Organization.Kind):
        made.append(
            services.organization_create(
                name=f"한국{n}전자 주식회사",
                name_en=f"Korea {n} Electronics" if n % 2 else "",
                kind=kind,
                aliases=[f"코리아{n}일렉", f"가나{n}전자", f"Korea{n}"][: n % 4],
                sector="AI 반도체" if n % 3 else "",
                website=f"https://korea{n}.example.kr/" if n % 2 == 0 else "",
                business_number=with_check_digit(f"{120810000 + n}") if n % 3 == 0 else "",
            )
        )
    return made


def with_check_digit(first_nine: str) -> str:
    return f"{first_nine}{check_digit(first_nine)}"


def serialized() -> list:
    """The serializer's JSON for the list's queryset, through the API's renderer."""
    organizations = OrganizationSerializer(OrganizationViewSet.queryset.all(), many=True)
    return orjson.loads(ORJSONRenderer().render(organizations.data))


@pytest.mark.parametrize("role", ["viewer", "officer", "coordinator"])
def test_list_rows_equal_the_serializer_representation(request, varied, role):
    body = client_for(request.getfixturevalue(role)).get(API, {"page_size": 100}).json()
    expected = serialized()
    assert body["count"] == len(body["results"]) == len(expected)
    assert body["results"] == expected
    # Every kind of value the list writes is in the comparison (the ministry of `officer` too).
    assert {row["kind"] for row in expected} == set(Organization.Kind)
    assert {len(row["aliases"]) for row in expected} == {0, 1, 2, 3}
    assert {row["name_en"] == "" for row in expected} == {True, False}


def test_filtered_and_ordered_rows_equal_each_organization_read_alone(varied, viewer):
    api = client_for(viewer)
    # The alias 코리아…일렉 is on five of the seven.
    body = api.get(API, {"q": "일렉", "ordering": "-name", "page_size": 3}).json()
    assert body["count"] == 5 and "page=2" in body["next"]
    listed = body["results"] + api.get(body["next"]).json()["results"]
    assert [row["id"] for row in listed] == [
        organization.pk for organization in Organization.objects.matching("일렉").order_by("-name")
    ]
    for row in listed:
        assert row == api.get(f"{API}{row['id']}/").json()


@pytest.mark.parametrize("rows", [1, 30])
@pytest.mark.parametrize("role", ["viewer", "officer"])
def test_list_queries_do_not_grow_with_the_rows(request, role, rows, django_assert_num_queries):
    for organization in OrganizationFactory.create_batch(rows):
        organization.set_aliases([f"{organization.name} 별칭"])
    api = client_for(request.getfixturevalue(role))
    api.get(API)
    # token, permissions (2), count, organizations, their aliases
    with django_assert_num_queries(6):
        body = api.get(API, {"page_size": 100}).json()
    assert body["count"] == Organization.objects.count() >= rows
    assert sum(len(row["aliases"]) for row in body["results"]) == rows


def test_the_list_declares_what_it_declared_when_serializers_wrote_it():
    kept = Path(__file__).with_name("organizations_list_schema.json").read_text()
    assert schema.operation(API) == kept
