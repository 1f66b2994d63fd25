"""A company contact's whole path in a real browser: from the email to the stored requests.

Chromium (Debian's, driven by Playwright) against a live server, with a real Celery worker
sending through a real SMTP server on loopback.
"""

import datetime
import os
import re
import signal
import time

import pytest
from django.utils import timezone

from api.tests.clients import client_for
from events.tests.factories import AttendanceFactory, MeetingFactory
from feedback import services, tokens
from files.tests.samples import SAMPLES
from followups.models import StakeholderRequest
from notifications.tests.processes import BROKER, OTHER_PROCESSES, start_worker
from notifications.tests.smtp import SMTPServer
from roundtable.celery import app
from stakeholders.tests.factories import OrganizationFactory, PersonFactory

pytestmark = OTHER_PROCESSES


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.1)
    raise AssertionError("timed out")


def emails_to(mailbox, address, subject_start):
    return [m for m in mailbox.to(address) if m["Subject"].strip().startswith(subject_start)]


@pytest.fixture
def system(live_server, settings, tmp_path):
    """The web (live server), a Celery worker and an SMTP server; yields the mailbox."""
    settings.SITE_URL = live_server.url
    original_broker = app.conf.broker_url
    app.conf.broker_url = BROKER  # the web wakes the same worker the test starts
    queue = "celery"
    with SMTPServer() as server:
        worker = start_worker(
            queue=queue,
            broker=BROKER,
            smtp_port=server.port,
            var_dir=tmp_path,
            SITE_URL=live_server.url,
        )
        try:
            yield server.mailbox
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
            app.conf.broker_url = original_broker


def test_a_company_answers_from_the_email_in_a_browser(system, browser, coordinator):
    mailbox = system
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    meeting = MeetingFactory(
        title="AI 팩토리 현장 간담회", start_date=yesterday, end_date=yesterday
    )
    posco = OrganizationFactory(name="포스코", name_en="POSCO")
    PersonFactory(organization=posco, name="김철강", email="kim@posco.example", position="반장")
    AttendanceFactory(meeting=meeting, organization=posco)
    api = client_for(coordinator)
    url = f"/api/v1/meetings/{meeting.pk}/feedback-requests/"

    assert api.post(url).json() == {"invited": 1}
    [invitation] = wait_for(lambda: emails_to(mailbox, "kim@posco.example", "[의견 요청]"))
    text = invitation.get_body(("plain",)).get_content()
    link = re.search(r"(http://\S+/feedback/\S+/)", text).group(1)

    page = browser.new_page(locale="ko-KR")
    page.goto(link)
    assert page.locator("html").get_attribute("lang") == "ko"
    assert meeting.title in page.locator("h1").inner_text()
    page.get_by_label("분야").select_option("finance")
    page.get_by_label("정부에 건의하실 내용").fill("AI 팩토리 전환 정책자금 확대")
    page.get_by_role("button", name="건의 추가").click()
    # What was typed is still there, with a second request to fill in.
    assert page.locator("#id_requests-0-text").input_value() == "AI 팩토리 전환 정책자금 확대"
    page.locator("#id_requests-1-category").select_option("data")
    page.locator("#id_requests-1-text").fill("제조 데이터 공유 표준 마련")
    assert page.get_by_label("이름").input_value() == "김철강"
    page.get_by_role("button", name="보내기").click()
    assert "의견을 접수했고" in page.get_by_role("status").inner_text()

    filed = api.get("/api/v1/requests/", {"meeting": str(meeting.pk)}).json()["results"]
    assert sorted(r["text"] for r in filed) == [
        "AI 팩토리 전환 정책자금 확대",
        "제조 데이터 공유 표준 마련",
    ]
    assert {r["source"] for r in filed} == {"feedback_form"}
    wait_for(lambda: emails_to(mailbox, "kim@posco.example", "[접수 확인]"))

    # Back through the same link: the company edits what it sent, and the edit is kept.
    page.goto(link)
    page.locator("#id_requests-0-text").fill("AI 팩토리 전환 정책자금 확대 (금리 우대 포함)")
    page.get_by_role("button", name="보내기").click()
    page.wait_for_url(re.compile(r"saved=1"))
    edited = StakeholderRequest.objects.get(text__endswith="(금리 우대 포함)")
    assert edited.history.count() == 2

    # Asking again emails nobody.
    assert api.post(url).json() == {"invited": 0}
    time.sleep(1)
    assert len(emails_to(mailbox, "kim@posco.example", "[의견 요청]")) == 1
    page.close()


def test_adding_a_request_keeps_the_files_already_chosen(live_server, settings, browser, tmp_path):
    settings.SITE_URL = live_server.url
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    meeting = MeetingFactory(start_date=yesterday, end_date=yesterday)
    posco = OrganizationFactory(name="포스코")
    kim = PersonFactory(organization=posco, name="김철강", email="kim@posco.example")
    AttendanceFactory(meeting=meeting, organization=posco)
    link = tokens.url_for(services.invitation_for(meeting=meeting, person=kim))
    document = tmp_path / "건의서.pdf"
    document.write_bytes(SAMPLES["건의서.pdf"])

    page = browser.new_page(locale="ko-KR")
    page.goto(link)
    page.locator("#id_requests-0-category").select_option("finance")
    page.locator("#id_requests-0-text").fill("AI 팩토리 전환 정책자금 확대")
    page.locator("#id_requests-0-files").set_input_files(str(document))
    page.get_by_role("button", name="건의 추가").click()
    # The row is added in the page, nothing is sent: the file chosen is still chosen.
    assert page.evaluate("document.activeElement.id") == "id_requests-1-category"
    assert page.locator("#id_requests-0-files").evaluate("input => input.files.length") == 1
    assert page.locator("fieldset.request legend").all_inner_texts()[-1] == "건의 2"
    page.locator("#id_requests-1-category").select_option("data")
    page.locator("#id_requests-1-text").fill("제조 데이터 공유 표준 마련")
    page.get_by_role("button", name="건의 추가").click()  # a third row, left empty
    page.get_by_role("button", name="보내기").click()
    page.wait_for_url(re.compile(r"saved=1"))

    stored = {r.text: r for r in StakeholderRequest.objects.filter(meeting=meeting)}
    assert sorted(stored) == ["AI 팩토리 전환 정책자금 확대", "제조 데이터 공유 표준 마련"]
    [attachment] = stored["AI 팩토리 전환 정책자금 확대"].attachments.all()
    assert attachment.name == "건의서.pdf" and attachment.file.read() == SAMPLES["건의서.pdf"]
    page.close()
