import datetime
import io
import os
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.roles import COORDINATORS, MINISTRY_OFFICERS, VIEWERS
from stakeholders.tests.factories import MinistryFactory, PersonFactory

CLOCK_DIR = Path(__file__).parent / "tests" / "clock"


def pytest_configure(config):
    """`ROUNDTABLE_TEST_NOW` (ISO 8601 with an offset) runs the whole suite as if it were that
    moment, its clock ticking from there (`make test-clock`). The processes the suite starts
    travel by the same offset (tests/clock/sitecustomize.py). A test whose outcome depends on
    the moment pins its own with `@pytest.mark.time_machine(...)`."""
    moment = os.environ.get("ROUNDTABLE_TEST_NOW")
    if not moment:
        return
    import time_machine

    destination = datetime.datetime.fromisoformat(moment)
    if destination.tzinfo is None:
        raise pytest.UsageError("ROUNDTABLE_TEST_NOW needs a UTC offset, e.g. +09:00")
    os.environ["ROUNDTABLE_CLOCK_OFFSET"] = str(destination.timestamp() - time.time())
    os.environ["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(CLOCK_DIR), os.environ.get("PYTHONPATH")])
    )
    config._roundtable_clock = time_machine.travel(destination, tick=True)
    config._roundtable_clock.start()
    time.time()  # the clock ticks from its first reading: read it now, as the processes do


def pytest_unconfigure(config):
    clock = getattr(config, "_roundtable_clock", None)
    if clock is not None:
        clock.stop()


def pytest_report_header(config):
    if getattr(config, "_roundtable_clock", None) is not None:
        return f"clock: the suite runs as if it were {os.environ['ROUNDTABLE_TEST_NOW']}"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: cached feeds and rate-limit counters (kept in
    Redis when REDIS_URL is set) do not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language (Korean): a request made in another one
    (Accept-Language) leaves that language active in the thread after it is answered."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Attachments go to a fresh folder for each test. Yields it."""
    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(location)}},
    }
    return location


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback; Django sends to it. Yields its mailbox."""
    from notifications.tests.smtp import SMTPServer

    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 10
        yield server.mailbox


@pytest.fixture
def committed(transactional_db, django_db_serialized_rollback):
    """Real commits, seen by other connections and processes. The flush after each such test
    empties every table; the serialized rollback puts back what migrate had set up (roles,
    reminder rules, schedules) as it was."""


@pytest.fixture
def make_staff(django_user_model):
    def make(group_name, username=None, **fields):
        user = django_user_model.objects.create_user(
            username or group_name.lower().replace(" ", "-"),
            email=f"{username or 'staff'}@example.go.kr",
            password="pw-for-tests-only",
            is_staff=True,
            **fields,
        )
        user.groups.add(Group.objects.get(name=group_name))
        return user

    return make


@pytest.fixture
def coordinator(make_staff):
    return make_staff(COORDINATORS)


@pytest.fixture
def viewer(make_staff):
    return make_staff(VIEWERS)


@pytest.fixture
def partner(django_user_model):
    """An outside calendar partner's account: may read meetings, not internal ones."""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("calendar-partner")
    user.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    return user


@pytest.fixture
def ministry(db):
    return MinistryFactory(name="과학기술정보통신부", name_en="Ministry of Science and ICT")


@pytest.fixture
def officer(make_staff, ministry):
    user = make_staff(MINISTRY_OFFICERS, username="officer")
    PersonFactory(organization=ministry, user=user, name="김담당")
    return user


@pytest.fixture
def seeded(db):
    call_command("seed_relay", stdout=io.StringIO())


@pytest.fixture
def count_queries(client):
    """Queries a page costs once caches (content types, session) are warm."""

    def count(url):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    return count


@pytest.fixture
def lg(db):
    """LG Electronics, known by its Korean and English names and the alias 엘지전자."""
    from stakeholders import services

    return services.organization_create(
        name="LG전자", name_en="LG Electronics", kind="company", aliases=["엘지전자"]
    )


CHROMIUM = Path("/usr/bin/chromium")


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
