"""The public pages in a real browser, as the screenshots checked them: nothing wider than a
phone's screen, in Korean and in English (where Korean falls back), and WCAG 2.1 AA (axe-core)
with the calendar links and the pledges' progress bars."""

import datetime
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe

from events.tests.factories import AttendanceFactory, MeetingFactory
from notifications.tests.processes import OTHER_PROCESSES
from pledges.models import Qualifier
from pledges.tests.factories import CommitmentFactory, ProgressEntryFactory
from stakeholders.tests.factories import OrganizationFactory

pytestmark = OTHER_PROCESSES
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def urls(live_server, settings):
    settings.SITE_URL = live_server.url
    meeting = MeetingFactory(
        title="AI 팩토리 현장 간담회",
        title_en="",  # English pages fall back to the Korean title
        start_date=datetime.date(2025, 9, 19),
        venue="KAIST AI 팩토리 랩",
        description="포스코, LG전자, GS칼텍스 등 기업과 전문가가 참석했다. " * 4,
    )
    for name in ("포스코", "LG전자", "한국과학기술원 AI 팩토리 연구센터"):
        AttendanceFactory(meeting=meeting, organization=OrganizationFactory(name=name))
    adoption = CommitmentFactory(
        meeting=meeting,
        title="제조업 AI 도입률 40% 달성",
        baseline_value=Decimal(5),
        baseline_qualifier=Qualifier.LESS_THAN,
        target_value=Decimal(40),
    )
    ProgressEntryFactory(commitment=adoption, date=datetime.date(2026, 9, 30), value=12)
    CommitmentFactory(
        meeting=meeting,
        title="시중은행과 함께하는 AI 전용 보험 최대 10조원",
        unit="",
        baseline_value=None,
        target_value=None,
        amount_krw=10 * 10**12,
    )
    return [f"{live_server.url}/", f"{live_server.url}/meetings/{meeting.pk}/"]


@pytest.mark.parametrize("locale", ["ko-KR", "en-US"])
def test_the_public_pages_fit_a_phone_screen(browser, urls, locale):
    page = browser.new_page(locale=locale, viewport={"width": 360, "height": 740})
    for url in urls:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, url


@pytest.mark.parametrize("locale", ["ko-KR", "en-US"])
def test_the_public_pages_meet_wcag_21_aa(browser, urls, locale):
    page = browser.new_page(locale=locale)
    for url in urls:
        page.goto(url)
        found = Axe().run(page, options=WCAG_AA).response["violations"]
        assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in found] == [], url


# Each item's text, line by line: an item split across columns has lines in more than one,
# so its lines span more than a column's width.
ITEM_IN_ONE_COLUMN = """items => items.map(item => {
    const list = getComputedStyle(item.parentElement);
    const count = list.columnCount === "auto" ? 1 : Number(list.columnCount);
    const inner = item.parentElement.clientWidth - parseFloat(list.paddingLeft)
        - parseFloat(list.paddingRight);
    const column = (inner - (count - 1) * (parseFloat(list.columnGap) || 16)) / count;
    const range = document.createRange();
    range.selectNodeContents(item);
    const lines = [...range.getClientRects()];
    return Math.max(...lines.map(r => r.right)) - Math.min(...lines.map(r => r.left)) <= column + 1;
})"""


@pytest.mark.parametrize("width", [360, 1366])
def test_each_attending_organization_stays_in_one_column(browser, live_server, width):
    # One organization whose name takes two lines on a phone: the columns would share it out.
    meeting = MeetingFactory(title="AI 팩토리 현장 간담회")
    AttendanceFactory(
        meeting=meeting, organization=OrganizationFactory(name="한국과학기술원 AI 팩토리 연구센터")
    )
    page = browser.new_page(locale="ko-KR", viewport={"width": width, "height": 740})
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    assert page.eval_on_selector_all(".attending li", ITEM_IN_ONE_COLUMN) == [True]
