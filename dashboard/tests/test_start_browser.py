"""The start pages in a real browser, in Korean: what a coordinator and an officer see first
when they sign in, and that the page fits a phone."""

import datetime

import pytest
from django.utils import timezone

from events.tests.factories import MeetingFactory
from followups.models import StakeholderRequest
from followups.tests.factories import StakeholderRequestFactory

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("committed")]


def sign_in(browser, live_server, user, **context):
    page = browser.new_page(locale="ko-KR", **context)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw-for-tests-only")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


@pytest.fixture
def work(ministry):
    today = timezone.localdate()
    meeting = MeetingFactory(
        title="AI 반도체 현장 간담회", start_date=today + datetime.timedelta(days=3)
    )
    StakeholderRequestFactory(
        meeting=meeting,
        ministry=ministry,
        status=StakeholderRequest.Status.ASSIGNED,
        due_date=today - datetime.timedelta(days=2),
        text="AI 바우처 지원 확대",
    )
    return meeting


def headings(page):
    return page.locator(".start h2").all_inner_texts()


def test_a_coordinators_start_page_shows_what_needs_them(browser, live_server, coordinator, work):
    page = sign_in(browser, live_server, coordinator)
    assert headings(page) == ["처리할 일", "앞으로 14일 안의 간담회", "받지 못한 의견"]
    overdue = page.locator(".figures li", has_text="기한이 지난 건의 사항")
    assert overdue.locator(".count").inner_text() == "1"
    overdue.locator("a").click()
    assert "AI 바우처 지원 확대" in page.locator("#result_list").inner_text()
    page.go_back()
    assert page.get_by_role("link", name="AI 반도체 현장 간담회").is_visible()
    # The pages by task, beside it.
    captions = page.locator("#content-related caption").all_inner_texts()
    assert captions[:3] == ["간담회", "건의·답변", "공약"] and captions[-1] == "관리"


def test_an_officers_start_page_is_their_to_do_list(browser, live_server, officer, work):
    page = sign_in(browser, live_server, officer, viewport={"width": 360, "height": 740})
    assert headings(page) == ["우리 부처의 건의 사항", "앞으로 14일 안의 간담회"]
    row = page.locator(".start tbody tr").first
    assert "기한 경과" in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    row.get_by_role("link").click()
    page.wait_for_url("**/followups/stakeholderrequest/*/change/")  # the request, to answer it
    assert "AI 바우처 지원 확대" in page.locator("#content").inner_text()
