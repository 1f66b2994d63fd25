"""A meeting's history in a real browser: in Korean, in Seoul time, and on a phone's screen
without scrolling sideways."""

import datetime

import pytest
import time_machine

from events.models import Attendance
from events.tests.factories import AttendanceFactory, MeetingFactory
from stakeholders.tests.factories import OrganizationFactory, PersonFactory

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("committed")]


def test_a_meetings_history_reads_on_a_phone(browser, live_server, coordinator):
    meeting = MeetingFactory(title="AI 반도체 현장 간담회")
    posco = OrganizationFactory(name="포스코")
    person = PersonFactory(organization=posco, name="이철수")
    attendance = AttendanceFactory(meeting=meeting, organization=posco, person=person)
    with time_machine.travel(datetime.datetime(2026, 11, 25, 5, 30, tzinfo=datetime.UTC)):
        attendance.status = Attendance.Status.ATTENDED
        attendance._history_user = coordinator
        attendance.save()
    page = browser.new_page(locale="ko-KR", viewport={"width": 360, "height": 740})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", coordinator.username)
    page.fill("#id_password", "pw-for-tests-only")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/events/meeting/{meeting.pk}/history/")
    change = page.locator("#change-history tbody tr", has_text="초청 → 참석")
    assert "2026년 11월 25일 오후 2:30" in change.inner_text()
    assert "참석: 이철수 · 기업 · 참석" in change.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
