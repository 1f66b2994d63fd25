import datetime
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import translation

from events.models import Attendance, Meeting, Series
from followups.models import StakeholderRequest
from pledges.models import Commitment
from stakeholders.models import Organization

pytestmark = pytest.mark.django_db


def snapshot():
    """Row count of every model (history included) and every meeting's version."""
    counts = {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label in {"stakeholders", "events", "followups", "pledges"}
    }
    versions = dict(Meeting.objects.values_list("id", "version"))
    return counts, versions


def test_second_run_changes_and_duplicates_nothing(seeded):
    before = snapshot()
    out = io.StringIO()
    call_command("seed_relay", stdout=out)
    assert snapshot() == before
    assert "0 records created" in out.getvalue()


def test_edits_by_coordinators_survive_a_reseed(seeded):
    meeting = Meeting.objects.get(relay_number=1)
    meeting.venue = "정부세종청사"
    meeting.save()
    call_command("seed_relay", stdout=io.StringIO())
    assert Meeting.objects.get(relay_number=1).venue == "정부세종청사"


def test_series_and_its_four_meetings(seeded):
    series = Series.objects.get()
    assert series.name == "AI 대전환 릴레이 현장 간담회"
    assert series.host == "구윤철 부총리 겸 기획재정부 장관"
    meetings = list(Meeting.objects.order_by("relay_number"))
    assert [(m.theme, m.start_date) for m in meetings] == [
        ("AI 로봇·자동차", datetime.date(2025, 9, 12)),
        ("AI 팩토리", datetime.date(2025, 9, 19)),
        ("AI 인재", datetime.date(2025, 10, 1)),
        ("AI 선박·드론", datetime.date(2025, 10, 1)),
    ]
    # No times were reported: all-day, and past meetings are held.
    assert all(m.all_day and m.starts_at is None and m.end_date == m.start_date for m in meetings)
    assert {m.status for m in meetings} == {Meeting.Status.HELD}


def test_ai_factory_meeting(seeded):
    factory = Meeting.objects.get(theme="AI 팩토리")
    assert factory.venue.startswith("KAIST AI 팩토리 랩")
    assert "유성구" in factory.address and "대전" in factory.address
    attendees = {
        a.organization.name: a.role for a in factory.attendances.select_related("organization")
    }
    assert attendees == {
        "기획재정부": Attendance.Role.HOST,
        "한국과학기술원": Attendance.Role.OTHER,
        "포스코": Attendance.Role.PRESENTER,
        "LG전자": Attendance.Role.COMPANY,
        "GS칼텍스": Attendance.Role.COMPANY,
        "현대자동차": Attendance.Role.COMPANY,
        "구글 클라우드": Attendance.Role.COMPANY,
    }
    # Unnamed experts and ministries are recorded in words, with no invented people.
    assert "전문가" in factory.description and "관계부처" in factory.description
    assert not factory.attendances.filter(person__isnull=False).exists()
    presentation = factory.presentations.get()
    assert presentation.organization.name_en == "POSCO"
    assert "제선공정" in presentation.title and "자가 점검" in presentation.title


def test_company_requests(seeded):
    requests = StakeholderRequest.objects.filter(meeting__theme="AI 팩토리")
    assert sorted(r.organization.name_en for r in requests) == [
        "GS Caltex",
        "Google Cloud",
        "Hyundai Motor",
        "LG Electronics",
        "POSCO",
    ]
    request = requests.first()
    assert "정부 지원" in request.text
    assert request.source == StakeholderRequest.Source.MEETING
    assert request.commitments.count() == 7
    assert request.person is None


def test_pledges_with_exact_figures(seeded):
    by_title = {c.title_en: c for c in Commitment.objects.all()}
    assert len(by_title) == 7
    adoption = by_title["AI adoption in manufacturing to 40%"]
    assert (adoption.baseline_value, adoption.baseline_qualifier, adoption.baseline_year) == (
        Decimal(5),
        "less_than",
        2025,
    )
    assert (adoption.target_value, adoption.target_year) == (Decimal(40), 2030)
    lighthouse = by_title["500 AI-factory lighthouse plants"]
    assert (lighthouse.baseline_value, lighthouse.baseline_year) == (Decimal(26), 2024)
    assert (lighthouse.target_value, lighthouse.target_year) == (Decimal(500), 2030)
    insurance = by_title["Dedicated insurance of up to 10 trillion won with commercial banks"]
    assert insurance.amount_krw == Decimal("10000000000000")
    assert insurance.amount_qualifier == "up_to"
    assert by_title["Loans of 200 billion won"].amount_krw == Decimal("200000000000")
    budget = by_title["Smart-factory budget from 236.1 to 436.6 billion won (+84.9%)"]
    assert (budget.baseline_value, budget.target_value) == (Decimal(2361), Decimal(4366))
    assert round(budget.change_percent, 1) == Decimal("84.9")
    assert sorted(c.amount_krw for c in by_title.values() if c.kind == "programme") == [
        Decimal("40000000000"),
        Decimal("40000000000"),
    ]
    assert {c.meeting.theme for c in by_title.values()} == {"AI 팩토리"}
    with translation.override("ko"):
        assert insurance.amount_display() == "최대 10조 원"
        assert budget.amount_display() == "4,366억 원"
        assert adoption.baseline_display() == "5% 미만 (2025)"
    with translation.override("en"):
        assert insurance.amount_display() == "up to 10 trillion won"
        assert adoption.baseline_display() == "less than 5% (2025)"


def test_organizations_answer_to_their_aliases(seeded):
    lg = Organization.objects.by_name("LG전자")
    for name in ("LG Electronics", "엘지전자", "lg electronics"):
        assert Organization.objects.by_name(name) == lg
    assert Organization.objects.by_name("기재부").name == "기획재정부"
