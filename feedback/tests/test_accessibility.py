"""The pages companies open from their emails, checked in a real browser: WCAG 2.1 AA rules
(axe-core), keyboard use, and a phone-sized screen."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from events import rsvp
from events.tests.factories import AttendanceFactory, MeetingFactory
from feedback import services, tokens
from notifications.tests.processes import OTHER_PROCESSES
from stakeholders.models import Person

pytestmark = OTHER_PROCESSES
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def pages(meeting, live_server, settings):
    """The personal links of a company contact: feedback form and attendance reply."""
    settings.SITE_URL = live_server.url
    person = Person.objects.get(email="kim@posco.example")
    feedback = tokens.url_for(services.invitation_for(meeting=meeting, person=person))
    start = timezone.localtime() + datetime.timedelta(days=3)
    upcoming = MeetingFactory(title="AI 인재 현장 간담회", start_date=start.date())
    attendance = AttendanceFactory(meeting=upcoming, organization=person.organization)
    reply = rsvp.url_for(rsvp.reply_for(attendance=attendance, person_id=person.pk))
    return {"feedback": feedback, "reply": reply, "public": f"{live_server.url}/"}


def violations(page):
    found = Axe().run(page, options=WCAG_AA).response["violations"]
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in found]


@pytest.mark.parametrize("locale", ["ko-KR", "en-US"])
def test_pages_meet_wcag_21_aa(browser, pages, locale):
    page = browser.new_page(locale=locale)
    for url in (pages["feedback"], pages["reply"], pages["public"]):
        page.goto(url)
        assert violations(page) == [], url
    # With errors shown: sending the empty form.
    page.goto(pages["feedback"])
    page.locator("#id_name").fill("")
    page.locator("button[name=save]").click()
    assert page.locator("[role=alert]").count() > 0
    assert violations(page) == []
    page.goto(pages["reply"])
    page.locator("main button[type=submit]").click()
    assert page.locator("[role=alert]").count() > 0
    assert violations(page) == []


def test_the_reply_page_works_with_the_keyboard_alone(browser, pages):
    page = browser.new_page(locale="ko-KR")
    page.goto(pages["reply"])
    for _ in range(40):  # Tab to the first answer, choose it with Space
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "answer":
            break
    page.keyboard.press("Space")
    while page.evaluate("document.activeElement.type") != "submit":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**saved=1")
    assert "회신을 기록했습니다" in page.get_by_role("status").inner_text()


def test_the_form_fits_a_phone_screen(browser, pages):
    page = browser.new_page(locale="ko-KR", viewport={"width": 360, "height": 740})
    for url in (pages["feedback"], pages["reply"]):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, url
