"""What a company and a coordinator see in a real browser: Korean wraps between words on a
phone, and asking for feedback is confirmed on a page that names whom it emails."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from events import rsvp
from events.tests.factories import AttendanceFactory, MeetingFactory
from feedback import services, tokens
from followups import services as requests
from followups.models import StakeholderRequest
from notifications.models import OutboundEmail
from notifications.tests.processes import OTHER_PROCESSES
from stakeholders.models import Person
from stakeholders.tests.factories import MinistryFactory

pytestmark = OTHER_PROCESSES

# For each text node of <main>, the places where a line ends between two Hangul syllables:
# a Korean word broken inside. A line break is where a character's box starts lower than the
# one before it.
BROKEN_WORDS = """() => {
  const broken = [];
  const hangul = /[\\uAC00-\\uD7A3]/;
  const range = document.createRange();
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest("template, select, textarea, script, style")) continue;
    const text = node.textContent;
    let top = null;
    for (let i = 0; i < text.length; i++) {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = range.getClientRects()[0];
      if (!box) continue;
      if (top !== null && box.top > top + 2 && hangul.test(text[i]) && hangul.test(text[i - 1])) {
        broken.push(text.slice(Math.max(0, i - 6), i) + "|" + text.slice(i, i + 6));
      }
      top = box.top;
    }
  }
  return broken;
}"""


@pytest.fixture
def company_pages(meeting, live_server, settings):
    """The feedback form (with an answered request), the closed feedback page, the reply page
    and the closed reply page of one company contact."""
    settings.SITE_URL = live_server.url
    person = Person.objects.get(email="kim@posco.example")
    invitation = services.invitation_for(meeting=meeting, person=person)
    request = requests.request_create(
        meeting=meeting,
        organization=person.organization,
        person=person,
        source=StakeholderRequest.Source.FEEDBACK_FORM,
        category=StakeholderRequest.Category.REGULATION,
        text="제조 현장 인공지능 도입을 가로막는 데이터 반출 규제를 현실에 맞게 완화해 주세요.",
    )
    ministry = MinistryFactory(name="과학기술정보통신부")
    requests.request_answer(
        request=request,
        by=None,
        ministry=ministry,
        response="관계 부처와 협의하여 산업 데이터 반출 기준을 정비하고 내년 상반기까지 "
        "가이드라인을 마련하겠습니다. 자세한 사항은 담당 부서로 문의해 주시기 바랍니다.",
    )
    past = MeetingFactory(
        title="AI 반도체 현장 간담회",
        feedback_deadline=timezone.now() - datetime.timedelta(days=30),
    )
    closed = services.invitation_for(meeting=past, person=person)
    upcoming = MeetingFactory(
        title="AI 인재 양성 현장 간담회",
        start_date=timezone.localdate() + datetime.timedelta(days=3),
        host="과학기술정보통신부 인공지능정책관",
    )
    attendance = AttendanceFactory(meeting=upcoming, organization=person.organization)
    reply = rsvp.reply_for(attendance=attendance, person_id=person.pk)
    started = MeetingFactory(title="AI 데이터센터 현장 간담회", start_date=timezone.localdate())
    gone = AttendanceFactory(meeting=started, organization=person.organization)
    reply_closed = rsvp.reply_for(attendance=gone, person_id=person.pk)
    return {
        "feedback form": tokens.url_for(invitation),
        "feedback closed": tokens.url_for(closed),
        "reply": rsvp.url_for(reply),
        "reply closed": rsvp.url_for(reply_closed),
    }


def test_no_korean_word_is_broken_inside_on_a_phone(browser, company_pages):
    page = browser.new_page(locale="ko-KR", viewport={"width": 360, "height": 800})
    for name, url in company_pages.items():
        page.goto(url)
        style = page.evaluate("getComputedStyle(document.querySelector('main p')).wordBreak")
        assert style == "keep-all", name
        assert page.evaluate(BROKEN_WORDS) == [], name
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, name


def signed_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="ko-KR")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()


def run_ask(page, live_server, meeting):
    page.goto(f"{live_server.url}/admin/events/meeting/")
    page.locator(f"input[name=_selected_action][value='{meeting.pk}']").check()
    page.locator("select[name=action]").select_option("ask_feedback")
    page.locator("button[name=index]").click()


def test_the_ask_is_confirmed_on_a_page_naming_its_recipients(
    browser, live_server, coordinator, meeting
):
    page = signed_in(browser, live_server, coordinator)
    run_ask(page, live_server, meeting)
    recipients = page.locator(".ask-feedback table")
    assert recipients.locator("th[scope=rowgroup]").all_inner_texts() == ["LG전자", "포스코"]
    assert "kim@posco.example" in recipients.inner_text()
    assert "officer@motie.example" not in page.content()
    assert "[의견 요청] AI 팩토리 현장 간담회" in page.locator("main, #content").first.inner_text()
    assert not OutboundEmail.objects.exists()

    page.get_by_role("button", name="메일 3통 보내기").click()
    assert "3건" in page.locator(".messagelist").inner_text()
    assert OutboundEmail.objects.filter(kind=services.INVITATION_OUTBOX).count() == 3


def test_a_closed_window_is_refused_until_a_new_deadline_is_set(
    browser, live_server, coordinator, meeting
):
    meeting.feedback_deadline = timezone.now() - datetime.timedelta(days=420)
    meeting.save()
    page = signed_in(browser, live_server, coordinator)
    run_ask(page, live_server, meeting)
    assert "의견 접수가 마감되었습니다" in page.locator(".errornote").first.inner_text()

    page.get_by_role("button", name="메일 3통 보내기").click()  # no deadline: refused
    expect(page.locator(".errorlist")).to_have_count(1)
    assert not OutboundEmail.objects.exists()

    new_day = timezone.localdate() + datetime.timedelta(days=7)
    page.locator("input[name=deadline]").fill(new_day.isoformat())
    page.get_by_role("button", name="메일 3통 보내기").click()
    expect(page.locator(".messagelist")).to_have_count(1)
    assert OutboundEmail.objects.filter(kind=services.INVITATION_OUTBOX).count() == 3
    meeting.refresh_from_db()
    assert timezone.localdate(meeting.feedback_deadline) == new_day
