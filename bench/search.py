"""Korean search over 100,000 requests (followups.search), next to the floor of an indexed
equality lookup on the same table. Part of `make bench` (bench/run.py), in the test database
it creates. Goal: a search, as the admin's list and the API page it (count and first page),
within 50 ms on PostgreSQL.

On the same data, the API's request and organization lists (a page of 1,000, the whole
middleware stack) against the least such a page does: its count, a `values()` query of its
rows and one of their pledges or aliases, dumped by orjson (goal ≤ 1.5×).

The requests are written in bulk as an import would, their terms analysed once per distinct
text (a few hundred), then the table is analysed for the planner.
"""

import dataclasses
import datetime
import random

import orjson
from django.db import connection
from django.utils import timezone

from bench.common import best_of

REQUESTS = 100_000
MEETINGS = 100
ORGANIZATIONS = 10_000
PAGE = 100
LIST_PAGE = 1_000
QUICK_REPEATS = 15
# Requests are made of these: a subject, what is asked, an ending; "규제" is in about a tenth
# of them, in every word form the search must find.
SUBJECTS = [
    "데이터센터 전력 인프라",
    "AI 반도체 설계 인력",
    "제조 AI 도입",
    "스마트공장 보급",
    "자율주행 실증",
    "의료 데이터 활용",
    "수소 충전소 구축",
    "GPU 클러스터 구축비용",
    "AI 인재양성 프로그램",
    "로봇 안전 인증",
]
ASKS = [
    "규제를 완화해 주십시오",
    "규제완화 특례를 요청합니다",
    "지원 예산을 늘려 주십시오",
    "세액공제를 확대해 주십시오",
    "정책자금 금리를 낮춰 주십시오",
    "실증 기간을 연장해 주십시오",
    "표준을 마련해 주십시오",
    "인허가 절차를 줄여 주십시오",
    "공공 조달을 늘려 주십시오",
    "전문 인력 교육을 지원해 주십시오",
]
QUERIES = {"common": "규제", "two words": "규제 완화", "rare": "수소 충전소"}


@dataclasses.dataclass
class Searches:
    floor: float
    searches: dict[str, float]  # query name → seconds for count and first page
    similar: float
    matches: dict[str, int]
    lists: dict[str, tuple[float, float]]  # endpoint → (API page, its floor) in seconds


def dataset_create(rnd: random.Random) -> None:
    from events.models import Meeting, Series
    from followups import search
    from followups.models import StakeholderRequest
    from stakeholders.models import Organization, OrganizationName
    from stakeholders.names import normalize_name

    series = Series.objects.create(slug="relay-search", name="AI 대전환 릴레이 현장 간담회")
    tz = timezone.get_default_timezone()
    meetings = []
    for n in range(MEETINGS):
        day = datetime.date(2025, 1, 1) + datetime.timedelta(days=3 * n)
        meeting = Meeting(
            series=series,
            title=f"현장 간담회 {n}",
            all_day=False,
            starts_at=datetime.datetime.combine(day, datetime.time(14), tz),
            ends_at=datetime.datetime.combine(day, datetime.time(16), tz),
            venue="판교",
        )
        meeting.period_start, meeting.period_end = meeting.compute_period()
        meetings.append(meeting)
    meetings = Meeting.objects.bulk_create(meetings)
    organizations = Organization.objects.bulk_create(
        [
            Organization(name=f"기업 {n}", name_en=f"Company {n}", kind="company")
            for n in range(ORGANIZATIONS)
        ]
    )
    OrganizationName.objects.bulk_create(
        OrganizationName(organization=organization, name=alias, normalized=normalize_name(alias))
        for organization in organizations[::2]
        for alias in (f"{organization.name} 주식회사", f"{organization.name_en} Inc.")
    )
    texts = [f"{subject} {ask}" for subject in SUBJECTS for ask in ASKS]
    terms = {text: search.document(text) for text in texts}  # once per distinct text
    for first in range(0, REQUESTS, 10_000):
        rows = []
        for n in range(first, first + 10_000):
            text = rnd.choice(texts)
            rows.append(
                StakeholderRequest(
                    meeting=meetings[n % MEETINGS],
                    organization=rnd.choice(organizations),
                    category="other",
                    text=text,
                    search_terms=terms[text],
                )
            )
        StakeholderRequest.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        for table in (
            "followups_stakeholderrequest",
            "stakeholders_organization",
            "stakeholders_organizationname",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")


def search_figures() -> Searches:
    from followups import search
    from followups.models import StakeholderRequest

    rnd = random.Random(20251201)
    dataset_create(rnd)
    rows = StakeholderRequest.objects.order_by("-created_at", "-id")
    some = rows.values_list("pk", flat=True)[REQUESTS // 2]
    search.analyser()  # loaded once per process, not per search

    def page(query):
        found = search.matching(rows, query)
        return found.count(), list(found[:PAGE])

    latest = rows.select_related("meeting").first()
    earlier = search.earlier_in_series(latest, StakeholderRequest.objects.all())
    return Searches(
        floor=best_of(lambda: list(rows.filter(pk=some)), repeats=QUICK_REPEATS),
        searches={
            name: best_of(lambda query=query: page(query), repeats=QUICK_REPEATS)
            for name, query in QUERIES.items()
        },
        similar=best_of(lambda: search.similar(latest, earlier), repeats=QUICK_REPEATS),
        matches={name: page(query)[0] for name, query in QUERIES.items()},
        lists=list_figures(),
    )


def list_figures() -> dict[str, tuple[float, float]]:
    from django.contrib.auth.models import User
    from rest_framework.test import APIClient

    from followups.models import StakeholderRequest
    from followups.selectors import REQUEST_API_FIELDS
    from stakeholders.models import Organization, OrganizationName
    from stakeholders.selectors import ORGANIZATION_API_FIELDS

    api = APIClient()
    api.force_authenticate(User.objects.create_superuser("bench-lists"))

    def api_page(url):
        response = api.get(url, {"page_size": LIST_PAGE})
        assert response.status_code == 200, (url, response.status_code)
        return response

    # Checked once, outside the timing: the floor does not parse what it dumps either.
    for url in ("/api/v1/requests/", "/api/v1/organizations/"):
        assert len(api_page(url).json()["results"]) == LIST_PAGE, url

    def floor(queryset, fields, related, related_key, url):
        rows = list(queryset.values(*fields)[:LIST_PAGE])
        linked = list(
            related.filter(**{f"{related_key}__in": [row["id"] for row in rows]}).values_list()
        )
        return orjson.dumps(
            {
                "count": queryset.count(),
                "next": f"http://testserver{url}?page=2&page_size={LIST_PAGE}",
                "previous": None,
                "results": rows,
                "linked": linked,
            }
        )

    requests = StakeholderRequest.objects.order_by("-created_at", "-id")
    organizations = Organization.objects.order_by("name", "id")
    pledges = StakeholderRequest.commitments.through.objects
    aliases = OrganizationName.objects.filter(kind=OrganizationName.Kind.ALIAS)
    return {
        "requests": (
            best_of(lambda: api_page("/api/v1/requests/")),
            best_of(
                lambda: floor(
                    requests,
                    [name for name in REQUEST_API_FIELDS if name != "commitments"],
                    pledges,
                    "stakeholderrequest_id",
                    "/api/v1/requests/",
                )
            ),
        ),
        "organizations": (
            best_of(lambda: api_page("/api/v1/organizations/")),
            best_of(
                lambda: floor(
                    organizations,
                    [name for name in ORGANIZATION_API_FIELDS if name != "aliases"],
                    aliases,
                    "organization_id",
                    "/api/v1/organizations/",
                )
            ),
        ),
    }
