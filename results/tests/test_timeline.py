"""The timelines (README, "Following a request to its answer → Timelines"): per organization
and per pledge, every meeting, request, answer, publication and progress entry in order, in
the admin for staff and on /results/ for the public, who see nothing internal."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from events.models import Attendance, Meeting
from events.tests.factories import (
    AttendanceFactory,
    MeetingFactory,
    SeriesFactory,
    timed_meeting,
)
from followups import services
from followups.models import StakeholderRequest
from followups.tests.factories import StakeholderRequestFactory
from pledges.tests.factories import CommitmentFactory, ProgressEntryFactory
from stakeholders.tests.factories import MinistryFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db

SEOUL = timezone.get_fixed_timezone(9 * 60)


def at(day, hour=14):
    return datetime.datetime(*day, hour, tzinfo=SEOUL)


@pytest.fixture
def world(coordinator):
    """POSCO at the AI factory meeting (public) and at an internal one; what it asked at
    each; one answer published, one drafted; a pledge its request is linked to, with
    progress."""
    series = SeriesFactory(slug="ai-transformation-relay", holds_answers=True)
    factory = timed_meeting(
        at((2025, 9, 19)), series=series, title="AI 팩토리 간담회", title_en="AI factory roundtable"
    )
    internal = timed_meeting(
        at((2025, 10, 1)),
        series=series,
        title="내부 점검 회의",
        visibility=Meeting.Visibility.INTERNAL,
    )
    ministry = MinistryFactory(name="산업통상자원부", name_en="Ministry of Trade")
    posco = OrganizationFactory(name="포스코", name_en="POSCO")
    person = PersonFactory(organization=posco, name="김철강", email="kim@posco.example")
    AttendanceFactory(
        meeting=factory, organization=posco, person=person, status=Attendance.Status.ATTENDED
    )
    AttendanceFactory(meeting=internal, organization=posco, status=Attendance.Status.ATTENDED)
    pledge = CommitmentFactory(
        meeting=factory, title="AI 팩토리 500개", title_en="500 AI factories", unit="개"
    )
    ProgressEntryFactory(
        commitment=pledge, date=datetime.date(2026, 6, 30), value=Decimal(230), note="상반기"
    )
    asked = StakeholderRequestFactory(
        meeting=factory,
        organization=posco,
        ministry=ministry,
        text="제선공정 AI 실증을 지원해 주십시오",
        public_summary="제선공정 AI 실증 지원 요청",
        notes="내부 메모 보지 마세요",
        is_public=True,
    )
    asked.commitments.add(pledge)
    services.request_answer(request=asked, by=coordinator, response="실증 예산을 반영하겠습니다")
    services.request_publish(request=asked, by=coordinator)
    # As it happened: answered in October 2025 and published a few days later.
    StakeholderRequest.objects.filter(pk=asked.pk).update(
        responded_at=at((2025, 10, 15)), published_at=at((2025, 10, 20))
    )
    drafted = StakeholderRequestFactory(
        meeting=factory,
        organization=posco,
        ministry=ministry,
        text="데이터 규제를 완화해 주십시오",
        is_public=True,
    )
    services.request_answer(request=drafted, by=coordinator, response="초안 답변 비공개")
    StakeholderRequestFactory(
        meeting=factory, organization=posco, text="공개하지 않은 건의", is_public=False
    )
    StakeholderRequestFactory(
        meeting=internal, organization=posco, text="내부 회의에서 한 건의", is_public=True
    )
    return {
        "factory": factory,
        "posco": posco,
        "pledge": pledge,
        "asked": asked,
        "drafted": drafted,
        "ministry": ministry,
    }


SECRETS = [
    "내부 점검 회의",
    "내부 회의에서 한 건의",
    "공개하지 않은 건의",
    "초안 답변 비공개",
    "내부 메모 보지 마세요",
    "김철강",
    "kim@posco.example",
    "제선공정 AI 실증을 지원해 주십시오",  # replaced by its public summary
]


def entries(html) -> list[str]:
    """The timeline's entries as text, in the page's order."""
    found = re.findall(r'<li class="timeline-entry[^"]*">(.*?)</li>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", entry).split()) for entry in found]


def position(rows, *words) -> int:
    return next(n for n, row in enumerate(rows) if all(word in row for word in words))


def test_a_coordinator_follows_what_posco_asked_in_order(client, coordinator, world):
    client.force_login(coordinator)
    html = client.get(f"/admin/dashboard/organizations/{world['posco'].pk}/").content.decode()
    rows = entries(html)
    meeting = position(rows, "간담회", "AI 팩토리 간담회", "김철강")
    asked = position(rows, "건의", "제선공정 AI 실증을 지원해 주십시오")
    answer = position(rows, "답변", "실증 예산을 반영하겠습니다")
    published = position(rows, "답변 공개")
    progress = position(rows, "추진 실적", "230개", "AI 팩토리 500개")
    assert meeting < asked < answer < published < progress
    assert "2025년 9월 19일 오후 2:00" in rows[meeting]
    # Staff see the internal meeting and the draft, marked as not yet published.
    assert any("내부 점검 회의" in row for row in rows)
    draft = rows[position(rows, "초안 답변 비공개")]
    assert "공개 전" in draft
    assert "공개 전" not in rows[answer]
    assert f"/admin/followups/stakeholderrequest/{world['asked'].pk}/change/" in html
    assert f"/admin/dashboard/pledges/{world['pledge'].pk}/" in html
    assert f"/results/organizations/{world['posco'].pk}/" in html  # what the public sees


def test_the_public_timeline_shows_nothing_internal(client, world):
    for language in ("ko", "en"):
        response = client.get(
            f"/results/organizations/{world['posco'].pk}/", HTTP_ACCEPT_LANGUAGE=language
        )
        assert response.status_code == 200
        html = response.content.decode()
        for secret in SECRETS:
            assert secret not in html, (language, secret)
    rows = entries(client.get(f"/results/organizations/{world['posco'].pk}/").content.decode())
    asked = position(rows, "제선공정 AI 실증 지원 요청")
    answer = position(rows, "답변", "실증 예산을 반영하겠습니다")
    assert asked < answer < position(rows, "230개")
    # The draft's request is public, its answer not yet: it is being worked on.
    assert "처리 중" in rows[position(rows, "데이터 규제를 완화해 주십시오")]
    english = client.get(f"/results/organizations/{world['posco'].pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "What POSCO asked" in english.content.decode()


def test_an_organization_with_nothing_public_has_no_public_timeline(client, world):
    hidden = OrganizationFactory(name="비공개 기업")
    AttendanceFactory(meeting=Meeting.objects.get(title="내부 점검 회의"), organization=hidden)
    StakeholderRequestFactory(meeting=world["factory"], organization=hidden, is_public=False)
    assert client.get(f"/results/organizations/{hidden.pk}/").status_code == 404
    assert client.get("/results/organizations/999999/").status_code == 404


def test_the_pledge_timeline_in_the_admin_and_in_public(client, coordinator, world):
    client.force_login(coordinator)
    html = client.get(f"/admin/dashboard/pledges/{world['pledge'].pk}/").content.decode()
    rows = entries(html)
    announced = position(rows, "공약 발표", "AI 팩토리 간담회")
    asked = position(rows, "포스코", "제선공정 AI 실증을 지원해 주십시오")
    assert announced < asked < position(rows, "답변 공개") < position(rows, "230개", "상반기")
    client.logout()
    public = client.get(f"/results/pledges/{world['pledge'].pk}/")
    assert public.status_code == 200
    html = public.content.decode()
    for secret in SECRETS:
        assert secret not in html, secret
    rows = entries(html)
    assert position(rows, "포스코", "제선공정 AI 실증 지원 요청") < position(rows, "230개")
    assert "<svg" in html  # its chart


def test_a_pledge_of_an_internal_meeting_has_no_public_timeline(client, coordinator, world):
    hidden = CommitmentFactory(meeting=Meeting.objects.get(title="내부 점검 회의"))
    assert client.get(f"/results/pledges/{hidden.pk}/").status_code == 404
    client.force_login(coordinator)
    assert client.get(f"/admin/dashboard/pledges/{hidden.pk}/").status_code == 200


def test_an_officer_sees_only_their_ministrys_requests_on_a_pledge(
    client, officer, ministry, world
):
    own = StakeholderRequestFactory(
        meeting=world["factory"], organization=world["posco"], ministry=ministry, text="우리 건의"
    )
    own.commitments.add(world["pledge"])
    client.force_login(officer)
    html = client.get(f"/admin/dashboard/pledges/{world['pledge'].pk}/").content.decode()
    assert "우리 건의" in html
    assert "제선공정" not in html  # 산업통상자원부's


def test_the_pages_link_to_the_timelines(client, coordinator, world):
    client.force_login(coordinator)
    pledge = client.get(f"/admin/pledges/commitment/{world['pledge'].pk}/change/")
    assert f"/admin/dashboard/pledges/{world['pledge'].pk}/" in pledge.content.decode()
    organization = client.get(f"/admin/stakeholders/organization/{world['posco'].pk}/change/")
    assert f"/admin/dashboard/organizations/{world['posco'].pk}/" in organization.content.decode()
    dashboard = client.get("/admin/dashboard/").content.decode()
    assert f"/admin/dashboard/organizations/{world['posco'].pk}/" in dashboard
    assert f"/admin/dashboard/pledges/{world['pledge'].pk}/" in dashboard
    results = client.get("/results/").content.decode()
    assert f"/results/pledges/{world['pledge'].pk}/" in results
    assert f"/results/organizations/{world['posco'].pk}/" in results


def test_linking_a_request_to_a_pledge_changes_the_public_etag(client, world):
    url = f"/results/pledges/{world['pledge'].pk}/"
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    world["drafted"].commitments.add(world["pledge"])
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def grow(world, rows):
    """`rows` more of everything on both timelines."""
    for n in range(rows):
        meeting = MeetingFactory(series=world["factory"].series, title=f"간담회 {n}")
        AttendanceFactory(meeting=meeting, organization=world["posco"])
        pledge = CommitmentFactory(meeting=meeting)
        ProgressEntryFactory(commitment=pledge)
        request = StakeholderRequestFactory(
            meeting=meeting,
            organization=world["posco"],
            ministry=world["ministry"],
            is_public=True,
            status=StakeholderRequest.Status.ANSWERED,
            response="답변",
            responded_at=timezone.now(),
            published_at=timezone.now(),
        )
        request.commitments.add(pledge, world["pledge"])


@pytest.mark.parametrize(
    "page",
    [
        "/admin/dashboard/organizations/{posco}/",
        "/admin/dashboard/pledges/{pledge}/",
        "/results/organizations/{posco}/",
        "/results/pledges/{pledge}/",
    ],
)
def test_queries_do_not_grow_with_the_rows(client, coordinator, count_queries, world, page):
    url = page.format(posco=world["posco"].pk, pledge=world["pledge"].pk)
    if url.startswith("/admin/"):
        client.force_login(coordinator)
    grow(world, 1)
    one = count_queries(url)
    grow(world, 6)
    assert count_queries(url) == one
