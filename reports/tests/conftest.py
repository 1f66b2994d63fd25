"""A meeting with everything a result report holds: attendees (one absent), a presentation,
requests answered, in progress (with a draft answer) and with hostile text, and a pledge."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from events.models import Attendance
from events.tests.factories import (
    AttendanceFactory,
    PresentationFactory,
    SeriesFactory,
    timed_meeting,
)
from followups.models import StakeholderRequest
from followups.tests.factories import StakeholderRequestFactory
from pledges.models import Commitment
from stakeholders.tests.factories import OrganizationFactory, PersonFactory

from .reading import HOSTILE

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


@pytest.fixture
def meeting(ministry):
    series = SeriesFactory(name="AI 대전환 릴레이 현장 간담회", name_en="AI relay roundtables")
    meeting = timed_meeting(
        datetime.datetime(2025, 9, 19, 14, tzinfo=SEOUL),
        hours=3,
        series=series,
        relay_number=3,
        title="AI 팩토리 현장 간담회",
        title_en="AI factory roundtable",
        venue="포스코 광양제철소",
        address="전남 광양시",
        host="산업통상자원부 장관",
    )
    posco = OrganizationFactory(name="포스코", name_en="POSCO")
    steel = PersonFactory(organization=posco, name="김철강", name_en="Kim Cheol", position="상무")
    absent = PersonFactory(organization=posco, name="이불참")
    AttendanceFactory(meeting=meeting, organization=ministry, role=Attendance.Role.HOST)
    AttendanceFactory(meeting=meeting, organization=posco, person=steel, status="attended")
    AttendanceFactory(meeting=meeting, organization=posco, person=absent, status="absent")
    PresentationFactory(
        meeting=meeting, organization=posco, presenter=steel, title="제철 공정의 AI 전환"
    )
    StakeholderRequestFactory(
        meeting=meeting,
        organization=posco,
        text="AI 데이터센터 전력 요금 특례",
        status=StakeholderRequest.Status.ANSWERED,
        ministry=ministry,
        response="2026년 상반기에 특례 요금제를 마련합니다.",
        published_at=timezone.now(),
    )
    StakeholderRequestFactory(
        meeting=meeting,
        organization=posco,
        text="현장 인력 양성 예산",
        status=StakeholderRequest.Status.IN_PROGRESS,
        ministry=ministry,
        response="내부 검토 초안: 공개 전",
    )
    StakeholderRequestFactory(meeting=meeting, organization=posco, text=HOSTILE)
    Commitment.objects.create(
        title="스마트공장 보급 확대",
        title_en="More smart factories",
        kind=Commitment.Kind.TARGET,
        meeting=meeting,
        ministry=ministry,
        unit="개",
        baseline_value=100,
        baseline_year=2024,
        target_value=500,
        target_year=2030,
    )
    return meeting
