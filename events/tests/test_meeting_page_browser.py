"""A meeting's admin page in a real browser: its parts folded under the summary, opened by
the section links (events/meeting_admin.js) or by a click without the script, and no wider
than the screen at 1366 px or on a phone."""

import pytest

from events.tests.factories import AttendanceFactory, MeetingFactory
from followups.tests.factories import StakeholderRequestFactory
from notifications.tests.processes import OTHER_PROCESSES

pytestmark = OTHER_PROCESSES


@pytest.fixture
def meeting_url(live_server, coordinator):
    meeting = MeetingFactory(title="AI 팩토리 현장 간담회")
    for _ in range(3):
        request = StakeholderRequestFactory(meeting=meeting, text="제조 AI 확산 지원 " * 8)
        AttendanceFactory(meeting=meeting, organization=request.organization)
    return f"{live_server.url}/admin/events/meeting/{meeting.pk}/change/"


def signed_in(browser, live_server, *, width, javascript=True):
    page = browser.new_page(
        locale="ko-KR", viewport={"width": width, "height": 900}, java_script_enabled=javascript
    )
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "coordinators")
    page.fill("#id_password", "pw-for-tests-only")
    page.click("[type=submit]")
    return page


def opened(page, heading) -> bool:
    return page.evaluate(f"document.getElementById('{heading}').closest('details').open")


@pytest.mark.parametrize("width", [1366, 360])
def test_a_section_link_opens_its_part_and_the_page_fits_the_screen(
    browser, live_server, meeting_url, width
):
    page = signed_in(browser, live_server, width=width)
    page.goto(meeting_url)
    assert page.locator(".meeting-summary").is_visible()
    assert not opened(page, "requests-heading")
    page.click(".meeting-sections a[href='#requests-heading']")
    assert opened(page, "requests-heading")
    assert page.locator("#requests-group textarea").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.click("button[data-sections=open]")
    assert opened(page, "attendances-heading")
    page.click("button[data-sections=close]")
    assert not opened(page, "requests-heading")


def test_without_the_script_each_part_opens_with_a_click(browser, live_server, meeting_url):
    page = signed_in(browser, live_server, width=1366, javascript=False)
    page.goto(meeting_url)
    assert not page.locator("button[data-sections=open]").is_visible()
    textarea = page.locator("#requests-group textarea").first
    assert not textarea.is_visible()
    page.click("#requests-heading")
    assert textarea.is_visible()
