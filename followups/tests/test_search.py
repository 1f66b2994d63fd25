"""Korean search and similar requests, from outside: the admin's search box and the API's `q`
find a request by any word form of its nouns, on PostgreSQL and SQLite alike; a request's
page suggests the similar requests of earlier meetings and links one as "same as"."""

import datetime
import importlib
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.tests.clients import client_for
from events.tests.factories import MeetingFactory, SeriesFactory
from followups import search, services
from followups.models import StakeholderRequest
from followups.tests.factories import StakeholderRequestFactory
from stakeholders.tests.factories import MinistryFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

ADMIN = "/admin/followups/stakeholderrequest/"
TEXTS = {
    "particle": "데이터센터 인허가 규제를 풀어 주십시오",
    "compound": "규제완화 특례를 요청합니다",
    "spaced": "실증 사업의 규제 완화가 필요합니다",
    "talent": "AI 인재양성 프로그램을 늘려 주세요",
    "power": "전력 요금 인하를 검토해 주십시오",
}


@pytest.fixture
def requests_():
    meeting = MeetingFactory()
    return {
        key: StakeholderRequestFactory(meeting=meeting, text=text) for key, text in TEXTS.items()
    }


def listed(page) -> set[str]:
    return {request.text for request in page.context["cl"].result_list}


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("규제", {"particle", "compound", "spaced"}),
        ("규제완화", {"compound", "spaced"}),
        ("규제 완화", {"compound", "spaced"}),
        ("인재", {"talent"}),
        ("인재를", {"talent"}),
        ("ai", {"talent"}),
        ("데이터", {"particle"}),
    ],
)
def test_admin_search_finds_korean_word_forms(client, coordinator, requests_, query, found):
    client.force_login(coordinator)
    page = client.get(ADMIN, {"q": query})
    assert listed(page) == {TEXTS[key] for key in found}


def test_a_word_finds_the_compounds_it_begins(client, coordinator):
    # Kiwi keeps 규제샌드박스 whole: a word finds it by its beginning, not by its end.
    request = StakeholderRequestFactory(text="규제샌드박스 확대")
    client.force_login(coordinator)
    assert listed(client.get(ADMIN, {"q": "규제"})) == {request.text}
    api = client_for(coordinator)
    assert api.get("/api/v1/requests/", {"q": "샌드박스"}).json()["count"] == 0
    assert api.get("/api/v1/requests/", {"q": "규제샌드"}).json()["count"] == 1


def test_admin_search_still_finds_an_organizations_name(client, coordinator):
    request = StakeholderRequestFactory(organization=OrganizationFactory(name="알파로보틱스"))
    client.force_login(coordinator)
    assert listed(client.get(ADMIN, {"q": "알파로보"})) == {request.text}


def test_admin_search_costs_the_same_for_one_and_many_matches(client, coordinator):
    meeting = MeetingFactory()
    client.force_login(coordinator)

    def queries():
        client.get(ADMIN, {"q": "규제"})
        with CaptureQueriesContext(connection) as captured:
            assert client.get(ADMIN, {"q": "규제"}).status_code == 200
        return len(captured)

    StakeholderRequestFactory(meeting=meeting, text="규제를 풀어 주십시오")
    one = queries()
    StakeholderRequestFactory.create_batch(9, meeting=meeting, text="규제샌드박스 확대")
    assert queries() == one


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("규제", {"particle", "compound", "spaced"}),
        ("규제 완화", {"compound", "spaced"}),
        ("인재", {"talent"}),
        ("요금", {"power"}),
        ("주십시오", set()),  # no noun in it: nothing, rather than everything
    ],
)
def test_api_q_finds_korean_word_forms(coordinator, requests_, query, found):
    response = client_for(coordinator).get("/api/v1/requests/", {"q": query})
    assert response.status_code == 200
    assert {row["text"] for row in response.json()["results"]} == {TEXTS[k] for k in found}


def test_api_q_keeps_the_officers_scope(officer, ministry):
    own = StakeholderRequestFactory(ministry=ministry, text="규제 완화 요청")
    StakeholderRequestFactory(ministry=MinistryFactory(), text="규제 완화 요청 다른 부처")
    response = client_for(officer).get("/api/v1/requests/", {"q": "규제"})
    assert [row["id"] for row in response.json()["results"]] == [own.pk]


def test_api_q_too_long_is_a_clear_400(coordinator):
    response = client_for(coordinator).get("/api/v1/requests/", {"q": "규제" * 200})
    assert response.status_code == 400
    assert "q" in response.json()["errors"]


def test_a_company_rewording_its_request_is_found_by_the_new_words(coordinator):
    request = StakeholderRequestFactory(text="전력 요금 인하")
    services.request_reword(request=request, category="talent", text="반도체 인재양성")
    api = client_for(coordinator)
    assert api.get("/api/v1/requests/", {"q": "인재"}).json()["count"] == 1
    assert api.get("/api/v1/requests/", {"q": "전력"}).json()["count"] == 0


def test_index_requests_writes_the_terms_of_rows_changed_around_save(coordinator):
    request = StakeholderRequestFactory(text="전력 요금 인하")
    StakeholderRequest.objects.filter(pk=request.pk).update(text="규제 완화", search_terms="")
    out = io.StringIO()
    call_command("index_requests", stdout=out)
    assert "1 request(s) indexed." in out.getvalue()
    response = client_for(coordinator).get("/api/v1/requests/", {"q": "완화"})
    assert [row["id"] for row in response.json()["results"]] == [request.pk]


def test_the_analyser_is_loaded_once_per_process():
    assert search.analyser() is search.analyser()


def test_python_similarity_is_pg_trgms():
    pairs = [
        ("규제 완화 규제완화 데이터 센터", "규제 완화 데이터센터 전력"),
        ("인재 양성 인재양성", "ai 인재 반도체"),
        ("gpu 구축 비용 지원", "전력 요금 인하"),
    ]
    if connection.vendor != "postgresql":
        pytest.skip("pg_trgm is PostgreSQL's")
    with connection.cursor() as cursor:
        for left, right in pairs:
            cursor.execute("SELECT similarity(%s, %s)", [left, right])
            assert search.similarity(left, right) == pytest.approx(cursor.fetchone()[0], abs=1e-6)


# --- Similar requests and "same as" --------------------------------------------------------


@pytest.fixture
def series_requests():
    """The same ask at the first and the second meeting of a series, an unrelated one at the
    first, and the same words at a later meeting and in another series (neither suggested)."""
    series = SeriesFactory()
    first, second, third = (
        MeetingFactory(series=series, start_date=datetime.date(2026, 3, 1) + datetime.timedelta(n))
        for n in (0, 30, 60)
    )
    elsewhere = MeetingFactory(
        series=SeriesFactory(slug="other-series"), start_date=datetime.date(2026, 1, 1)
    )
    ask = "AI 데이터센터 전력 인프라 규제 완화를 요청합니다"
    return {
        "earlier": StakeholderRequestFactory(meeting=first, text=ask),
        "unrelated": StakeholderRequestFactory(meeting=first, text="반도체 인재양성 예산 확대"),
        "current": StakeholderRequestFactory(
            meeting=second, text="데이터센터 전력 인프라 규제를 완화해 주십시오"
        ),
        "later": StakeholderRequestFactory(meeting=third, text=ask),
        "elsewhere": StakeholderRequestFactory(meeting=elsewhere, text=ask),
    }


def change_page(client, request):
    return client.get(f"{ADMIN}{request.pk}/change/").content.decode()


def suggested_ids(page) -> list[int]:
    return [int(pk) for pk in re.findall(r'name="same_as_pick" value="(\d+)"', page)]


def test_similar_earlier_requests_of_the_series_are_suggested(client, coordinator, series_requests):
    client.force_login(coordinator)
    page = change_page(client, series_requests["current"])
    assert "비슷한 이전 건의" in page
    assert suggested_ids(page) == [series_requests["earlier"].pk]


def test_same_as_is_saved_from_a_suggestion_and_shown_on_both_pages(
    client, coordinator, series_requests
):
    earlier, current = series_requests["earlier"], series_requests["current"]
    client.force_login(coordinator)
    form = client.get(f"{ADMIN}{current.pk}/change/").context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "meeting": current.meeting_id,
            "organization": current.organization_id,
            "same_as_pick": str(earlier.pk),
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
        }
    )
    data.pop("commitments", None)
    response = client.post(f"{ADMIN}{current.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    current.refresh_from_db()
    assert current.same_as == earlier
    for request, other in ((current, earlier), (earlier, current)):
        page = change_page(client, request)
        assert f"{ADMIN}{other.pk}/change/" in page  # the chain names the other
    assert suggested_ids(change_page(client, current)) == []  # linked: nothing to suggest


def test_a_new_request_like_earlier_ones_opens_on_its_page(client, coordinator, series_requests):
    current = series_requests["current"]
    client.force_login(coordinator)
    response = client.post(
        f"{ADMIN}add/",
        {
            "meeting": current.meeting_id,
            "organization": OrganizationFactory().pk,
            "category": "regulation",
            "source": "meeting",
            "text": "데이터센터 전력 인프라 규제 완화",
            "status": "new",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    added = StakeholderRequest.objects.latest("pk")
    assert response.redirect_chain[-1][0] == f"{ADMIN}{added.pk}/change/"
    page = response.content.decode()
    assert "이전 간담회에서 비슷한 건의가 있었습니다" in page
    assert series_requests["earlier"].pk in suggested_ids(page)


def test_same_as_cannot_be_the_request_itself(client, coordinator, series_requests):
    current = series_requests["current"]
    client.force_login(coordinator)
    form = client.get(f"{ADMIN}{current.pk}/change/").context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.pop("commitments", None)
    data.update(
        {
            "meeting": current.meeting_id,
            "organization": current.organization_id,
            "same_as_pick": str(current.pk),
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
        }
    )
    response = client.post(f"{ADMIN}{current.pk}/change/", data)
    assert response.status_code == 200
    assert "same_as" in response.context["adminform"].form.errors
    current.refresh_from_db()
    assert current.same_as is None


def test_officers_get_no_suggestions(client, officer, ministry, series_requests):
    current = series_requests["current"]
    StakeholderRequest.objects.filter(pk__in=[current.pk, series_requests["earlier"].pk]).update(
        ministry=ministry
    )
    client.force_login(officer)
    assert suggested_ids(change_page(client, current)) == []


def test_suggestions_cost_the_same_for_one_and_many(client, coordinator, series_requests):
    current = series_requests["current"]
    client.force_login(coordinator)

    def queries():
        change_page(client, current)
        with CaptureQueriesContext(connection) as captured:
            page = change_page(client, current)
        return len(captured), len(suggested_ids(page))

    one, shown = queries()
    assert shown == 1
    earlier = series_requests["earlier"]
    for _ in range(4):
        StakeholderRequestFactory(
            meeting=earlier.meeting, organization=OrganizationFactory(), text=earlier.text
        )
    assert queries() == (one, 5)


def test_the_migration_indexes_earlier_requests_as_the_model_does():
    migration = importlib.import_module("followups.migrations.0005_search_terms")
    texts = [*TEXTS.values(), "규제샌드박스 확대와 AI반도체 3.5GHz R&D", "\u200b규제\u200b완화", ""]
    assert [migration.document(search.analyser(), text) for text in texts] == [
        search.document(text) for text in texts
    ]
