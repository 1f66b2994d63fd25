"""The API as a developer first meets it: docs grouped by resource, each operation with a
summary and a description, how to get a token and send it, and errors in their language."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from .clients import client_for

pytestmark = pytest.mark.django_db

METHODS = {"get", "post", "put", "patch", "delete"}


def schema(language):
    response = Client().get("/api/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.json()


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_operation_has_one_resource_tag_a_summary_and_a_description(language):
    document = schema(language)
    declared = [tag["name"] for tag in document["tags"]]
    assert len(declared) == len(set(declared))
    for name, operation in operations(document):
        assert len(operation["tags"]) == 1 and operation["tags"][0] in declared, name
        assert operation.get("summary", "").strip(), name
        assert operation.get("description", "").strip(), name
        assert len(operation["summary"]) <= 60, (name, operation["summary"])


@pytest.mark.parametrize(
    ("language", "meetings", "summaries"),
    [
        (
            "ko",
            "간담회",
            {
                "GET /api/v1/meetings/": "간담회 목록",
                "POST /api/v1/meetings/": "간담회 등록",
                "PATCH /api/v1/meetings/{id}/": "간담회 일부 수정",
                "POST /api/v1/meetings/{id}/invitations/": "초청장 보내기",
                "GET /api/v1/meetings/sync/": "캘린더로 간담회 동기화",
            },
        ),
        (
            "en",
            "Meetings",
            {
                "GET /api/v1/meetings/": "List meetings",
                "POST /api/v1/meetings/": "Create meeting",
                "PATCH /api/v1/meetings/{id}/": "Change meeting",
                "POST /api/v1/meetings/{id}/invitations/": "Send the invitations",
                "GET /api/v1/meetings/sync/": "Sync meetings to a calendar",
            },
        ),
    ],
)
def test_operations_are_grouped_by_resource_in_the_readers_language(language, meetings, summaries):
    document = schema(language)
    assert document["tags"][0]["name"] == meetings  # the URLconf's order: meetings first
    found = dict(operations(document))
    for name, summary in summaries.items():
        assert found[name]["summary"] == summary
        assert found[name]["tags"] == [meetings]
    # Calls under a meeting are with the meetings, not a group of their own.
    assert found["POST /api/v1/meetings/{id}/feedback-requests/"]["tags"] == [meetings]


@pytest.mark.parametrize(
    ("language", "page"),
    [("ko", "**API 토큰**([/admin/my-token/](/admin/my-token/))"), ("en", "**API token**")],
)
def test_the_introduction_says_how_to_get_a_token_and_send_it(language, page):
    introduction = schema(language)["info"]["description"]
    assert page in introduction
    assert "/admin/my-token/" in introduction
    assert "Authorization: Token 9944b" in introduction
    assert "`Bearer`" in introduction


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("ko", "이 API는 토큰을 “Bearer”가 아니라 “Authorization: Token <키>” 형식으로 받습니다."),
        ("en", "This API takes its token as “Authorization: Token <key>”, not “Bearer”"),
    ],
)
def test_a_bearer_token_is_refused_with_the_prefix_explained(viewer, language, detail):
    key = Token.objects.create(user=viewer).key
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE=language)
    response = api.get("/api/v1/meetings/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    body = response.json()
    assert body["code"] == "authentication_failed"
    assert body["detail"].startswith(detail)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/meetings/").status_code == 200  # the same key, sent as Token


@pytest.mark.parametrize(
    ("language", "detail", "required", "missing", "anonymous"),
    [
        (
            "ko",
            "요청에 올바르지 않은 항목이 있습니다.",
            "이 필드는 필수 항목입니다.",
            "찾을 수 없습니다.",
            "인증 정보가 없습니다. API 토큰을 “Authorization: Token <키>” 헤더로 보내세요.",
        ),
        (
            "en",
            "The request has invalid fields.",
            "This field is required.",
            "Not found.",
            "Authentication credentials were not provided.",
        ),
    ],
)
def test_errors_are_in_the_language_of_the_request(
    coordinator, language, detail, required, missing, anonymous
):
    api = client_for(coordinator)
    api.credentials(**api._credentials, HTTP_ACCEPT_LANGUAGE=language)
    invalid = api.post("/api/v1/meetings/", {}, format="json")
    assert invalid.status_code == 400
    assert invalid.json()["detail"] == detail
    assert invalid.json()["errors"]["title"] == [required]
    assert invalid["Content-Language"] == language
    gone = api.get("/api/v1/meetings/00000000-0000-0000-0000-000000000000/")
    assert (gone.status_code, gone.json()["detail"]) == (404, missing)
    nobody = APIClient().get("/api/v1/meetings/", HTTP_ACCEPT_LANGUAGE=language)
    assert (nobody.status_code, nobody.json()["detail"]) == (401, anonymous)


def test_a_bad_value_reads_as_korean_not_as_drfs_translation(coordinator):
    api = client_for(coordinator)
    api.credentials(**api._credentials, HTTP_ACCEPT_LANGUAGE="ko")
    response = api.post(
        "/api/v1/meetings/", {"title": "", "all_day": "아마도", "status": "없음"}, format="json"
    )
    errors = response.json()["errors"]
    assert errors["title"] == ["비워 둘 수 없습니다."]
    assert errors["all_day"] == ["true 또는 false여야 합니다."]
    assert errors["status"] == ["“없음” 값은 고를 수 있는 값이 아닙니다."]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_docs_page_opens_in_either_language(language):
    response = Client().get("/api/docs/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Language"] == language
