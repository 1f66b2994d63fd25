"""Bad input to the API is a 4xx in the API's error shape, never a 500, and every answer under
/api/ is JSON, also those Django writes itself and also with DJANGO_DEBUG=1."""

import json

import pytest
from django.test import Client

from events.tests.factories import AttendanceFactory
from followups.tests.factories import StakeholderRequestFactory
from pledges.tests.factories import CommitmentFactory
from stakeholders.tests.factories import PersonFactory
from webhooks import services as webhooks

from .clients import client_for

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # beyond any 64-bit id


@pytest.fixture
def one_of_each(coordinator):
    """An object of every collection that a write can address: {collection: id}."""
    person = PersonFactory()
    attendance = AttendanceFactory(organization=person.organization, person=person)
    request = StakeholderRequestFactory(
        meeting=attendance.meeting, organization=attendance.organization
    )
    return {
        "meetings": attendance.meeting.pk,
        "organizations": attendance.organization.pk,
        "people": attendance.person.pk,
        "attendances": attendance.pk,
        "requests": request.pk,
        "commitments": CommitmentFactory().pk,
        "webhooks": webhooks.subscription_create(
            owner=coordinator, url="https://hooks.example.com/in", events=["meeting.changed"]
        ).pk,
    }


def writes_with_a_body(coordinator, one_of_each):
    """(method, path) of every operation in the schema that takes a body."""
    schema = Client().get("/api/schema/", {"format": "json"}).json()
    writes = []
    for template, operations in schema["paths"].items():
        collection = template.removeprefix("/api/v1/").split("/")[0]
        path = template.replace("{id}", str(one_of_each.get(collection, "")))
        writes += [
            (method, path)
            for method, operation in operations.items()
            if method in ("post", "put", "patch") and "requestBody" in operation
        ]
    return writes


def nested(depth):
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    "body",
    [nested(5000), '{"a":' * 5000 + "1" + "}" * 5000, json.dumps({"name": json.loads(nested(33))})],
    ids=["5000 arrays", "5000 objects", "33 levels"],
)
def test_too_deeply_nested_json_is_a_400_on_every_write(coordinator, one_of_each, body):
    api = client_for(coordinator)
    writes = writes_with_a_body(coordinator, one_of_each)
    assert len(writes) >= 18  # POST, PUT and PATCH on six collections
    for method, path in writes:
        response = getattr(api, method)(path, body, content_type="application/json")
        assert response.status_code == 400, (method, path, response.content)
        error = response.json()
        assert error["code"] == "parse_error", (method, path, error)
        assert error["detail"]
    # As deep as a body of the API goes, it reaches the fields.
    body = {"name": "포스코", "kind": "company", "aliases": ["포항제철", "POSCO Holdings"]}
    assert api.post("/api/v1/organizations/", body, format="json").status_code == 201


def test_a_nul_character_in_a_json_body_is_a_400(coordinator):
    """PostgreSQL cannot store NUL; a series slug with one reached the database (a 500)."""
    meeting = {
        "series": "relay\u0000",
        "title": "AI 반도체 현장 간담회",
        "all_day": False,
        "starts_at": "2026-12-03T14:00:00+09:00",
        "ends_at": "2026-12-03T16:00:00+09:00",
        "venue": "판교",
        "status": "planned",
        "visibility": "public",
    }
    response = client_for(coordinator).post("/api/v1/meetings/", meeting, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize(
    "query",
    [
        "people/?notes=%00",  # kept in the contact-access record of the list
        "meetings/?notes=%00",
        f"meetings/?page={HUGE}",
    ],
)
def test_nul_characters_and_ids_beyond_range_in_a_query_are_400s(coordinator, query):
    response = client_for(coordinator).get(f"/api/v1/{query}")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    error = response.json()
    assert error["code"] == "invalid" and error["errors"], error


def test_a_nul_character_in_a_path_or_a_token_is_a_400(coordinator):
    response = client_for(coordinator).get("/api/v1/series/%00/")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    response = Client(HTTP_AUTHORIZATION="Token abc\x00def").get("/api/v1/meetings/")
    assert response.status_code == 400 and response.json()["code"] == "invalid"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/meetings/not-a-uuid/feedback-requests/",  # an id of the wrong form
        "/api/v1/nothing-here/",
        "/api/nothing/",
    ],
)
def test_unmatched_paths_under_the_api_are_json_also_with_debug(settings, viewer, path):
    # Django answers them with its HTML debug page; without DEBUG, see test_api.
    settings.DEBUG = True
    response = client_for(viewer).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("debug", [True, False], ids=["DEBUG", "production"])
def test_a_server_error_under_the_api_is_json_also_with_debug(settings, monkeypatch, viewer, debug):
    from events.api import MeetingViewSet

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(MeetingViewSet, "list", broken)
    settings.DEBUG = debug
    api = client_for(viewer)
    api.raise_request_exception = False
    response = api.get("/api/v1/meetings/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "error"
    assert "a bug" not in response.content.decode()  # no traceback, even with DEBUG


def test_a_request_django_refuses_itself_is_a_json_400_also_with_debug(settings, viewer):
    settings.DEBUG = True
    response = client_for(viewer).get("/api/v1/meetings/", HTTP_HOST="elsewhere.example")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "parse_error"


def test_the_schema_declares_a_400_on_every_operation():
    """Any operation can meet a NUL character or an id beyond range, reads by id too."""
    schema = Client().get("/api/schema/", {"format": "json"}).json()
    missing = [
        (method, path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "400" not in operation["responses"]
    ]
    assert missing == []
