import datetime
import os
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone

from events.tests.factories import AttendanceFactory, MeetingFactory
from stakeholders.tests.factories import MinistryFactory, OrganizationFactory, PersonFactory

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def meeting():
    meeting = MeetingFactory(
        title="AI 팩토리 현장 간담회",
        start_date=datetime.date(2026, 11, 20),
        end_date=datetime.date(2026, 11, 20),
        feedback_deadline=timezone.now() + datetime.timedelta(days=7),
    )
    posco = OrganizationFactory(name="포스코", name_en="POSCO")
    AttendanceFactory(meeting=meeting, organization=posco)  # no one named: all contacts
    PersonFactory(organization=posco, name="김철강", email="kim@posco.example")
    PersonFactory(organization=posco, name="이제선", email="lee@posco.example")
    PersonFactory(organization=posco, email="", name="연락처없음")
    lg = OrganizationFactory(name="LG전자")
    named = PersonFactory(organization=lg, name="박가전", email="park@lg.example", language="en")
    PersonFactory(organization=lg, email="other@lg.example")  # not named on the attendance
    AttendanceFactory(meeting=meeting, organization=lg, person=named)
    ministry = MinistryFactory(name="산업통상자원부")
    AttendanceFactory(
        meeting=meeting,
        organization=ministry,
        person=PersonFactory(organization=ministry, email="officer@motie.example"),
    )
    return meeting


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests cannot run. Install Debian's chromium "
            "(`apt-get install chromium`; .ci/run does)."
        )
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; the ORM calls of the test are still
    # synchronous and safe here, but they get connections of their own (the loop's context),
    # which are closed here so that the test database can be dropped.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
            yield browser
            browser.close()
            connections.close_all()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
