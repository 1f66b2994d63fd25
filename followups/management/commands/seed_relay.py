"""Loads the AI transformation relay field roundtables as the news report gave them.

Only what was reported: no people, emails or times are invented. Records that exist are left
as they are (a coordinator may have corrected them), so running the command again changes
nothing.
"""

import datetime
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from events import services as event_services
from events.models import Attendance, Meeting, Presentation, Series
from followups import services as request_services
from followups.models import StakeholderRequest
from pledges import services as pledge_services
from pledges.models import Commitment, Qualifier
from stakeholders import services as stakeholder_services
from stakeholders.models import Organization

SOURCE = "언론 보도: AI 대전환 릴레이 현장 간담회 (AI 팩토리, 2025-09-19)"
HOST = "구윤철 부총리 겸 기획재정부 장관"

SERIES = {
    "slug": "ai-transformation-relay",
    "name": "AI 대전환 릴레이 현장 간담회",
    "name_en": "AI Transformation Relay Field Roundtables",
    "host": HOST,
    "host_en": "Koo Yun-cheol, Deputy Prime Minister and Minister of Economy and Finance",
    "description": (
        "부총리 겸 기획재정부 장관이 주재하는 분야별 AI 대전환 현장 간담회. "
        "AI 로봇·자동차, AI 팩토리, AI 인재, AI 선박·드론 분야를 차례로 다뤘다."
    ),
    "sources": SOURCE,
    # Answers reach companies and the public once a coordinator publishes them.
    "holds_answers": True,
}

ORGANIZATIONS = [
    # (Korean name, English name, kind, sector, aliases)
    ("기획재정부", "Ministry of Economy and Finance", "ministry", "", ["기재부", "MOEF"]),
    ("한국과학기술원", "KAIST", "university", "", ["카이스트"]),
    ("포스코", "POSCO", "company", "철강", []),
    ("LG전자", "LG Electronics", "company", "전자", ["엘지전자"]),
    ("GS칼텍스", "GS Caltex", "company", "정유", ["지에스칼텍스"]),
    ("현대자동차", "Hyundai Motor", "company", "자동차", ["현대차", "Hyundai Motor Company"]),
    ("구글 클라우드", "Google Cloud", "company", "클라우드", []),
]
MINISTRY = "기획재정부"
FACTORY_COMPANIES = ["포스코", "LG전자", "GS칼텍스", "현대자동차", "구글 클라우드"]

# No meeting times were reported: every meeting is recorded as all-day. Relay numbers follow
# the order in which the report lists the meetings.
MEETINGS = [
    {
        "relay_number": 1,
        "title": "AI 로봇·자동차 현장 간담회",
        "title_en": "Field roundtable on AI robots and autos",
        "theme": "AI 로봇·자동차",
        "day": datetime.date(2025, 9, 12),
    },
    {
        "relay_number": 2,
        "title": "AI 팩토리 현장 간담회",
        "title_en": "Field roundtable on the AI factory",
        "theme": "AI 팩토리",
        "day": datetime.date(2025, 9, 19),
        "venue": "KAIST AI 팩토리 랩 (AI Factory Lab)",
        "address": "대전광역시 유성구",
        "description": (
            "포스코, LG전자, GS칼텍스, 현대자동차, 구글 클라우드 등 기업과 전문가, "
            "관계부처가 참석했다 (전문가와 관계부처 참석자 명단은 보도되지 않았다). "
            "포스코가 제선공정 AI 사례를 발표했고, 기업들은 아직 제조 AI를 선도하는 국가가 "
            "없어 우리나라가 주도권을 잡을 수 있다며 정부 지원을 요청했다."
        ),
    },
    {
        "relay_number": 3,
        "title": "AI 인재 현장 간담회",
        "title_en": "Field roundtable on AI talent",
        "theme": "AI 인재",
        "day": datetime.date(2025, 10, 1),
    },
    {
        "relay_number": 4,
        "title": "AI 선박·드론 현장 간담회",
        "title_en": "Field roundtable on AI ships and drones",
        "theme": "AI 선박·드론",
        "day": datetime.date(2025, 10, 1),
    },
]
FACTORY_MEETING = 2

PRESENTATION = {
    "title": "제선공정 원료 투입 비율 최적화 AI와 자가 점검 AI",
    "title_en": "AI that sets the optimal raw-material input ratio in ironmaking, "
    "and self-checking AI",
    "summary": (
        "제선공정에서 최적의 원료 투입 비율을 산출하는 AI와, 스스로 점검해 생산성을 "
        "높이는 자가 점검 AI 적용 사례를 소개했다."
    ),
}

REQUEST_TEXT = (
    "아직 제조 AI를 선도하는 국가가 없어 우리나라가 주도권을 잡을 수 있으므로, "
    "제조 AI 확산을 위한 정부 지원을 요청함 (간담회 참석 기업 공통 건의)."
)
REQUEST_RESPONSE = (
    "정부는 같은 간담회에서 제조 AI 확산 목표와 지원책을 발표했다: 제조업 AI 도입률 40% "
    "(2030), AI 팩토리 등대공장 500개, 전용 보험 최대 10조원, 대출 2000억원, 스마트공장 "
    "예산 4366억원(2026), AI 팩토리 특화 모델·소프트웨어 플랫폼 400억원, 정밀 LAM 400억원."
)

EOK = 10**8
COMMITMENTS = [
    {
        "title": "제조업 AI 도입률 40% 달성",
        "title_en": "AI adoption in manufacturing to 40%",
        "kind": Commitment.Kind.TARGET,
        "unit": "%",
        "baseline_value": Decimal(5),
        "baseline_qualifier": Qualifier.LESS_THAN,
        "baseline_year": 2025,
        "target_value": Decimal(40),
        "target_year": 2030,
    },
    {
        "title": "AI 팩토리 등대공장 500개 조성",
        "title_en": "500 AI-factory lighthouse plants",
        "kind": Commitment.Kind.TARGET,
        "unit": "개",
        "baseline_value": Decimal(26),
        "baseline_year": 2024,
        "target_value": Decimal(500),
        "target_year": 2030,
    },
    {
        "title": "시중은행과 함께하는 AI 전용 보험 최대 10조원",
        "title_en": "Dedicated insurance of up to 10 trillion won with commercial banks",
        "kind": Commitment.Kind.FINANCING,
        "amount_krw": Decimal(10 * 10**12),
        "amount_qualifier": Qualifier.UP_TO,
    },
    {
        "title": "AI 전환 대출 2000억원",
        "title_en": "Loans of 200 billion won",
        "kind": Commitment.Kind.FINANCING,
        "amount_krw": Decimal(2000 * EOK),
    },
    {
        "title": "스마트공장 예산 확대 (2361억원 → 4366억원, +84.9%)",
        "title_en": "Smart-factory budget from 236.1 to 436.6 billion won (+84.9%)",
        "kind": Commitment.Kind.BUDGET,
        "unit": "억원",
        "baseline_value": Decimal(2361),
        "baseline_year": 2025,
        "target_value": Decimal(4366),
        "target_year": 2026,
        "amount_krw": Decimal(4366 * EOK),
    },
    {
        "title": "AI 팩토리 특화 모델·소프트웨어 플랫폼 400억원",
        "title_en": "AI-factory specialised models and software platforms, 40 billion won",
        "kind": Commitment.Kind.PROGRAMME,
        "amount_krw": Decimal(400 * EOK),
    },
    {
        "title": "정밀 대형행동모델(LAM) 기술 개발 400억원",
        "title_en": "Precise large action model (LAM) technology, 40 billion won",
        "kind": Commitment.Kind.PROGRAMME,
        "amount_krw": Decimal(400 * EOK),
    },
]


class Command(BaseCommand):
    help = "Loads the AI transformation relay roundtable series. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        self.created = 0
        series = self.series()
        organizations = {org.name: org for org in self.organizations()}
        ministry = organizations[MINISTRY]
        meetings = {m.relay_number: m for m in self.meetings(series)}
        for meeting in meetings.values():
            self.attend(meeting, ministry, Attendance.Role.HOST)
        factory = meetings[FACTORY_MEETING]
        self.attend(factory, organizations["한국과학기술원"], Attendance.Role.OTHER)
        for name in FACTORY_COMPANIES:
            role = Attendance.Role.PRESENTER if name == "포스코" else Attendance.Role.COMPANY
            self.attend(factory, organizations[name], role)
        self.presentation(factory, organizations["포스코"])
        commitments = self.commitments(factory)
        for name in FACTORY_COMPANIES:
            self.request(factory, organizations[name], ministry, commitments)
        self.stdout.write(
            self.style.SUCCESS(f"Relay series loaded: {self.created} records created.")
        )

    def _created(self, was_created):
        self.created += int(was_created)

    def series(self):
        fields = dict(SERIES)
        series = Series.objects.filter(slug=fields["slug"]).first()
        if series is None:
            series = Series.objects.create(**fields)
            self._created(True)
        return series

    def organizations(self):
        for name, name_en, kind, sector, aliases in ORGANIZATIONS:
            organization = Organization.objects.by_name(name)
            if organization is None:
                organization = stakeholder_services.organization_create(
                    name=name, name_en=name_en, kind=kind, sector=sector, aliases=aliases
                )
                self._created(True)
            yield organization

    def meetings(self, series):
        today = timezone.localdate()
        for spec in MEETINGS:
            spec = dict(spec)
            day = spec.pop("day")
            meeting = Meeting.objects.filter(
                series=series, relay_number=spec["relay_number"]
            ).first()
            if meeting is None:
                meeting = event_services.meeting_create(
                    series=series,
                    host=HOST,
                    all_day=True,
                    start_date=day,
                    end_date=day,
                    status=Meeting.Status.HELD if day < today else Meeting.Status.PLANNED,
                    **spec,
                )
                self._created(True)
            yield meeting

    def attend(self, meeting, organization, role):
        status = (
            Attendance.Status.ATTENDED
            if meeting.status == Meeting.Status.HELD
            else Attendance.Status.INVITED
        )
        _, created = Attendance.objects.get_or_create(
            meeting=meeting,
            organization=organization,
            person=None,
            defaults={"role": role, "status": status},
        )
        self._created(created)

    def presentation(self, meeting, organization):
        _, created = Presentation.objects.get_or_create(
            meeting=meeting,
            organization=organization,
            title=PRESENTATION["title"],
            defaults=PRESENTATION,
        )
        self._created(created)

    def commitments(self, meeting):
        commitments = []
        for spec in COMMITMENTS:
            commitment = Commitment.objects.filter(meeting=meeting, title=spec["title"]).first()
            if commitment is None:
                commitment = pledge_services.commitment_save(
                    commitment=Commitment(**spec, meeting=meeting, source=SOURCE)
                )
                self._created(True)
            commitments.append(commitment)
        return commitments

    def request(self, meeting, organization, ministry, commitments):
        if StakeholderRequest.objects.filter(
            meeting=meeting, organization=organization, text=REQUEST_TEXT
        ).exists():
            return
        request_services.request_create(
            meeting=meeting,
            organization=organization,
            category=StakeholderRequest.Category.OTHER,
            text=REQUEST_TEXT,
            source=StakeholderRequest.Source.MEETING,
            status=StakeholderRequest.Status.ANSWERED,
            ministry=ministry,
            response=REQUEST_RESPONSE,
            # Answered on the day, at the meeting; the report gives no time of day.
            responded_at=meeting.period_start,
            published_at=meeting.period_start,
            commitments=commitments,
        )
        self._created(True)
