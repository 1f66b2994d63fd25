"""The public results (README, "Answering requests → Publishing answers"): /results/ and
GET /api/v1/public/results/ show the pledges of a series' public meetings and the requests a
coordinator marked public, with published answers only, and nothing internal."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from events.models import Meeting
from events.tests.factories import MeetingFactory, SeriesFactory
from followups import services
from followups.models import StakeholderRequest
from followups.tests.factories import StakeholderRequestFactory
from pledges.tests.factories import CommitmentFactory, ProgressEntryFactory
from stakeholders.tests.factories import MinistryFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db

PAGE = "/results/"
API = "/api/v1/public/results/"
ANSWERED = StakeholderRequest.Status.ANSWERED


@pytest.fixture
def series():
    return SeriesFactory(holds_answers=True)


@pytest.fixture
def world(series):
    """A public and an internal meeting, each with a pledge and public-marked requests."""
    public = MeetingFactory(series=series, title="AI 팩토리 간담회", title_en="AI factory meeting")
    internal = MeetingFactory(
        series=series, title="내부 점검 회의", visibility=Meeting.Visibility.INTERNAL
    )
    ministry = MinistryFactory(name="산업통상자원부", name_en="Ministry of Industry")
    person = PersonFactory(name="김비밀", name_en="Kim Secret", email="kim.secret@example.com")
    company = OrganizationFactory(name="포스코", name_en="POSCO")
    pledge = CommitmentFactory(
        meeting=public, title="AI 팩토리 500개", title_en="500 AI factories", unit="개"
    )
    pledge.baseline_value, pledge.target_value = Decimal(100), Decimal(500)
    pledge.save()
    ProgressEntryFactory(commitment=pledge, date=datetime.date(2026, 3, 31), value=Decimal(180))
    ProgressEntryFactory(commitment=pledge, date=datetime.date(2026, 6, 30), value=Decimal(230))
    CommitmentFactory(meeting=internal, title="내부 목표 비공개", title_en="Internal target")
    shown = StakeholderRequestFactory(
        meeting=public,
        organization=company,
        person=person,
        ministry=ministry,
        category=StakeholderRequest.Category.REGULATION,
        text="규제를 완화해 주십시오",
        notes="내부 메모 보지 마세요",
        is_public=True,
        status=ANSWERED,
        response="검토 후 완화하겠습니다",
    )
    summarised = StakeholderRequestFactory(
        meeting=public,
        organization=company,
        category=StakeholderRequest.Category.TALENT,
        text="원문 긴 요청",
        public_summary="인재양성 지원 요청 요약",
        is_public=True,
    )
    StakeholderRequestFactory(meeting=public, text="공개 안 된 요청", is_public=False)
    StakeholderRequestFactory(meeting=internal, text="내부 회의의 요청", is_public=True)
    return {"public": public, "shown": shown, "summarised": summarised, "pledge": pledge}


SECRETS = [
    "내부 점검 회의",
    "내부 목표 비공개",
    "Internal target",
    "내부 회의의 요청",
    "공개 안 된 요청",
    "내부 메모 보지 마세요",
    "김비밀",
    "Kim Secret",
    "kim.secret@example.com",
    "원문 긴 요청",
]


def page(client, language="ko", **params):
    return client.get(PAGE, params, HTTP_ACCEPT_LANGUAGE=language)


def api(language="ko", **params):
    return APIClient().get(API, params, HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize(
    ("language", "heading", "pledge", "status"),
    [
        ("ko", "건의와 답변", "AI 팩토리 500개", "처리 중"),
        ("en", "Requests raised and answers", "500 AI factories", "In progress"),
    ],
)
def test_the_page_shows_public_pledges_and_requests_and_nothing_internal(
    client, world, language, heading, pledge, status
):
    response = page(client, language)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html or f'lang="{language}"' in html
    assert heading in html
    assert pledge in html
    assert 'class="pledge-chart"' in html
    assert "규제를 완화해 주십시오" in html
    assert "인재양성 지원 요청 요약" in html
    assert "포스코" in html or "POSCO" in html
    assert status in html  # the held answer reads as being worked on
    assert "검토 후 완화하겠습니다" not in html  # not published yet
    for secret in SECRETS:
        assert secret not in html, secret
    assert "산업통상자원부" not in html and "Ministry of Industry" not in html


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_api_shows_the_same_to_anyone_without_a_token(world, language):
    response = api(language)
    assert response.status_code == 200
    body = response.json()
    assert body["series"]["slug"] == "test-series"
    [pledge] = body["pledges"]
    assert pledge["title"] == "AI 팩토리 500개" and pledge["title_en"] == "500 AI factories"
    assert Decimal(pledge["baseline"]) == 100 and Decimal(pledge["target"]) == 500
    assert pledge["latest"]["date"] == "2026-06-30"
    assert Decimal(pledge["latest"]["value"]) == 230
    by_id = {row["id"]: row for row in body["requests"]}
    assert set(by_id) == {world["shown"].pk, world["summarised"].pk}
    shown = by_id[world["shown"].pk]
    assert shown["meeting"]["title"] == "AI 팩토리 간담회"
    assert shown["organization"] == "포스코"
    assert shown["category"] == "regulation"
    assert shown["status"] == "in_progress"
    assert shown["answer"] == ""
    assert by_id[world["summarised"].pk]["text"] == "인재양성 지원 요청 요약"
    text = response.content.decode()
    for secret in [*SECRETS, "검토 후 완화하겠습니다", "산업통상자원부"]:
        assert secret not in text, secret
    assert "notes" not in body["requests"][0] and "person" not in body["requests"][0]


def test_a_published_answer_appears_once_published(client, world, coordinator):
    request = world["shown"]
    assert services.request_publish(request=request, by=coordinator)
    html = page(client).content.decode()
    assert "검토 후 완화하겠습니다" in html
    assert "답변 완료" in html or "Answered" in html or "답변" in html
    row = {r["id"]: r for r in api().json()["requests"]}[request.pk]
    assert row["answer"] == "검토 후 완화하겠습니다"
    assert row["status"] == "answered"


def test_search_finds_a_word_form(client, world):
    html = page(client, q="규제").content.decode()
    assert "규제를 완화해 주십시오" in html
    assert "인재양성 지원 요청 요약" not in html
    body = api(q="규제").json()
    assert [row["id"] for row in body["requests"]] == [world["shown"].pk]


def test_another_series_by_its_slug_and_an_unknown_one(client, world):
    other = SeriesFactory(slug="other", name="다른 시리즈", name_en="Other series")
    MeetingFactory(series=other)
    html = page(client, series="other").content.decode()
    assert "다른 시리즈" in html and "규제를 완화해 주십시오" not in html
    assert api(series="other").json()["requests"] == []
    assert page(client, series="nothing").status_code == 404
    assert api(series="nothing").status_code == 404


def fill(series, count):
    for number in range(count):
        meeting = MeetingFactory(series=series)
        pledge = CommitmentFactory(meeting=meeting)
        ProgressEntryFactory(commitment=pledge, date=datetime.date(2026, 1, 1))
        ProgressEntryFactory(commitment=pledge, date=datetime.date(2026, 2, 1))
        StakeholderRequestFactory(
            meeting=meeting,
            is_public=True,
            category=StakeholderRequest.Category.values[number % 3],
            status=ANSWERED,
            response="답변",
            published_at=timezone.now(),
        )


def counted(call):
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code == 200
    return len(queries)


def test_queries_do_not_grow_with_the_rows(client, series):
    fill(series, 1)
    one = (counted(lambda: page(client)), counted(lambda: api()))
    fill(series, 4)
    many = (counted(lambda: page(client)), counted(lambda: api()))
    assert one == many


def test_cached_by_a_cheap_version_with_304(client, world, coordinator):
    first = page(client)
    etag = first["ETag"]
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    again = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="ko", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert page(client, "en")["ETag"] != etag
    services.request_publish(request=world["shown"], by=coordinator)
    changed = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="ko", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    ProgressEntryFactory(commitment=world["pledge"], date=datetime.date(2026, 9, 30))
    assert page(client)["ETag"] != changed["ETag"]


def test_the_requests_come_in_pages_of_a_hundred(client, series):
    meeting = MeetingFactory(series=series)
    StakeholderRequestFactory.create_batch(105, meeting=meeting, is_public=True)
    first = page(client).content.decode()
    assert first.count('<li>\n          <p><strong><a href="/results/organizations/') == 100
    assert "건의 105건 중 1–100번째" in first and "2쪽 중 1쪽" in first
    assert 'rel="next" href="?page=2#requests"' in first and 'rel="prev"' not in first
    second = page(client, page=2).content.decode()
    assert second.count('<li>\n          <p><strong><a href="/results/organizations/') == 5
    assert 'rel="prev" href="?page=1#requests"' in second and 'rel="next"' not in second
    # A wrong page number is the first page, one past the end the last: never an error.
    assert page(client, page="abc").status_code == 200
    assert page(client, page=99).content.decode().count("/results/organizations/") == 5

    body = api(page=1).json()
    assert body["requests_count"] == 105 and len(body["requests"]) == 100
    assert body["next"].endswith("/api/v1/public/results/?page=2") and body["previous"] is None
    body = APIClient().get(body["next"]).json()
    assert len(body["requests"]) == 5 and body["next"] is None
    assert body["previous"].endswith("?page=1")
    searched = api(q="정책", page=2).json()
    assert "q=%EC%A0%95%EC%B1%85" in searched["previous"]
