"""The result report from a meeting's page in a real browser, on a phone's width: the section
is collapsed like the page's others, opens under its heading, and its button downloads the
file under its Korean name."""

import pytest

from .reading import assert_valid_hwpx, hwpx_texts

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("committed")]


def test_a_coordinator_downloads_the_report_from_the_meeting_page(
    browser, live_server, coordinator, meeting, tmp_path
):
    context = browser.new_context(
        locale="ko-KR", viewport={"width": 360, "height": 740}, accept_downloads=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", coordinator.username)
    page.fill("#id_password", "pw-for-tests-only")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/events/meeting/{meeting.pk}/change/")

    section = page.locator("fieldset", has=page.locator(".report-downloads"))
    section.get_by_role("heading", name="결과 보고").click()
    button = section.get_by_role("link", name="HWPX (한글)")
    assert button.is_visible()
    assert section.get_by_role("link", name="DOCX (워드)").is_visible()
    box = section.bounding_box()  # the buttons and their note fit the phone's width
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename == "결과보고_AI 팩토리 현장 간담회_2025-09-19.hwpx"
    saved = tmp_path / "report.hwpx"
    download.value.save_as(saved)
    content = saved.read_bytes()
    assert_valid_hwpx(content)
    assert "AI 데이터센터 전력 요금 특례" in hwpx_texts(content)
    context.close()
