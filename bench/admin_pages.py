"""The admin pages coordinators work in (issues 16 and 20): their server time, size and
queries at 100,000 meetings, one of them with 50 attendees.

Part of `make bench` (bench/run.py, the `admin` part), in the test database it creates: the
read bench's dataset (bench/api_reads.py) generated in PostgreSQL (`copy_to`) to `MEETINGS`
meetings with their attendance, requests on the newest meetings, one meeting of `ATTENDEES`
attendees that each present and ask once, and the seeded relay series. A coordinator signs in
and Django's test client asks for each page through the whole middleware stack, as a browser
would (a warm cache, the page's static files aside). The floor is the admin's page of a
series: the same frame (header, sidebar, messages) around one small form.
"""

import contextlib
import dataclasses
import io
import os

from django.db import connection
from django.test import Client

from bench import api_reads
from bench.common import best_of, say

MEETINGS = int(os.environ.get("BENCH_ADMIN_MEETINGS", api_reads.LARGE))
# The grown meeting: as many attendees, presentations and requests each.
ATTENDEES = 50
# Requests on the newest meetings, a few each.
REQUESTS = 20_000
REPEATS = 7


@dataclasses.dataclass
class Page:
    seconds: float
    size: int  # bytes of HTML
    queries: int


@dataclasses.dataclass
class AdminPages:
    meetings: int
    floor: Page  # a series' page
    pages: dict  # name -> Page


# What is measured: the page's name and its address, given the grown meeting.
PAGES = {
    "meeting change page": lambda meeting: f"/admin/events/meeting/{meeting.pk}/change/",
    "meeting list": lambda meeting: "/admin/events/meeting/",
    "request list": lambda meeting: "/admin/followups/stakeholderrequest/",
    "attendance list": lambda meeting: "/admin/events/attendance/",
    "dashboard": lambda meeting: "/admin/dashboard/",
}


@contextlib.contextmanager
def _rendered_as_served():
    """Templates rendered as a served page renders them: bench/run.py sets up Django's test
    environment, in which every template (an admin page renders thousands, one per widget)
    also copies its context for the test client's signal."""
    from django.template import Template
    from django.test import utils

    instrumented = Template._render
    saved = getattr(utils._TestState, "saved_data", None)
    if saved is not None:
        Template._render = saved.template_render
    try:
        yield
    finally:
        Template._render = instrumented


def _measure(client, url) -> Page:
    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    size = len(get().content)  # and warm: sessions, content types, permissions
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # Counted as they run: each request closes its connection, and a new one starts a new
    # query log.
    with connection.execute_wrapper(count):
        get()
    return Page(seconds=best_of(get, repeats=REPEATS), size=size, queries=len(queries))


def _requests(data):
    """REQUESTS requests on the newest meetings, some with a ministry and a due date."""
    import datetime

    from django.utils import timezone

    from events.models import Meeting
    from followups.models import StakeholderRequest
    from stakeholders.models import Organization

    ministries = Organization.objects.bulk_create(
        [Organization(name=f"벤치 부처 {n}", kind="ministry") for n in range(10)]
    )
    meetings = list(
        Meeting.objects.order_by("-period_start").values_list("pk", flat=True)[: REQUESTS // 4]
    )
    today = timezone.localdate()
    rnd = data.rnd
    StakeholderRequest.objects.bulk_create(
        [
            StakeholderRequest(
                meeting_id=meetings[n // 4],
                organization=rnd.choice(data.organizations),
                category=rnd.choice(list(StakeholderRequest.Category)),
                text=f"제조 AI 도입 지원 건의 {n}: 데이터 공유와 인재 양성",
                status=rnd.choice(list(StakeholderRequest.Status)),
                ministry=rnd.choice(ministries) if n % 2 else None,
                due_date=today + datetime.timedelta(days=n % 120 - 30) if n % 3 else None,
            )
            for n in range(min(REQUESTS, 4 * len(meetings)))
        ],
        batch_size=5000,
    )


def _grown(series):
    """A meeting with ATTENDEES organizations attending, each presenting and asking once."""
    from events.models import Attendance, Meeting, Presentation
    from followups.models import StakeholderRequest
    from stakeholders.models import Organization, Person

    meeting = Meeting.objects.filter(series=series).order_by("period_start").first()
    organizations = Organization.objects.bulk_create(
        [Organization(name=f"벤치 기업 {n}", kind="company") for n in range(ATTENDEES)]
    )
    people = Person.objects.bulk_create(
        [Person(organization=o, name=f"담당자 {n}") for n, o in enumerate(organizations)]
    )
    copy = Meeting.objects.create(
        series=series,
        title="벤치 간담회",
        all_day=True,
        start_date=meeting.start_date,
        end_date=meeting.start_date,
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=copy, organization=o, person=p, status="attended")
        for o, p in zip(organizations, people, strict=True)
    )
    Presentation.objects.bulk_create(
        Presentation(meeting=copy, organization=o, presenter=p, title=f"발표 {n}")
        for n, (o, p) in enumerate(zip(organizations, people, strict=True))
    )
    StakeholderRequest.objects.bulk_create(
        StakeholderRequest(meeting=copy, organization=o, person=p, category="finance", text="건의")
        for o, p in zip(organizations, people, strict=True)
    )
    return copy


def admin_figures() -> AdminPages:
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    from accounts.roles import COORDINATORS
    from events.models import Series

    say(f"admin: {MEETINGS:,} meetings")
    data = api_reads.dataset_create()
    api_reads.copy_to(data, MEETINGS)
    _requests(data)
    call_command("seed_relay", stdout=io.StringIO())
    grown = _grown(Series.objects.get(slug="relay"))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    user = User.objects.create_user("bench-coordinator", is_staff=True)
    user.groups.add(Group.objects.get(name=COORDINATORS))
    client = Client(HTTP_ACCEPT_LANGUAGE="ko")
    client.force_login(user)

    series = grown.series
    with _rendered_as_served():
        floor = _measure(client, f"/admin/events/series/{series.pk}/change/")
        pages = {}
        for name, url in PAGES.items():
            say(f"admin: {name}")
            pages[name] = _measure(client, url(grown))
    return AdminPages(meetings=MEETINGS, floor=floor, pages=pages)
