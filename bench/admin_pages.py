"""A meeting's admin page, the page coordinators open most (issue 16): its server time, size
and queries on the seeded relay series, and on one meeting grown to many rows.

Part of `make bench` (bench/run.py, the `admin` part), in the test database it creates:
`seed_relay` loads the series, a coordinator signs in, and Django's test client asks for the
page through the whole middleware stack, as a browser would (a warm cache, the page's static
files aside). The floor is the admin's page of a series: the same frame (header, sidebar,
messages) around one small form.
"""

import contextlib
import dataclasses
import io

from django.db import connection
from django.test import Client

from bench.common import best_of

# The grown meeting: as many attendees, presentations and requests each.
ROWS = 100


@dataclasses.dataclass
class Page:
    seconds: float
    size: int  # bytes of HTML
    queries: int


@dataclasses.dataclass
class AdminPages:
    floor: Page  # a series' page
    seeded: Page  # the seeded meeting with the most rows
    seeded_rows: int  # its attendees, presentations, requests and pledges
    grown: Page  # a meeting of ROWS attendees, presentations and requests


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
    return Page(seconds=best_of(get, repeats=15), size=size, queries=len(queries))


def _grown(series):
    """A meeting with ROWS organizations attending, each presenting and asking once."""
    from events.models import Attendance, Meeting, Presentation
    from followups.models import StakeholderRequest
    from stakeholders.models import Organization, Person

    meeting = Meeting.objects.filter(series=series).order_by("period_start").first()
    organizations = Organization.objects.bulk_create(
        [Organization(name=f"벤치 기업 {n}", kind="company") for n in range(ROWS)]
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
    from django.db.models import Count

    from accounts.roles import COORDINATORS
    from events.models import Meeting, Series

    call_command("seed_relay", stdout=io.StringIO())
    user = User.objects.create_user("bench-coordinator", is_staff=True)
    user.groups.add(Group.objects.get(name=COORDINATORS))
    client = Client(HTTP_ACCEPT_LANGUAGE="ko")
    client.force_login(user)

    series = Series.objects.get()
    seeded = (
        Meeting.objects.annotate(
            rows=Count("attendances", distinct=True)
            + Count("presentations", distinct=True)
            + Count("requests", distinct=True)
            + Count("commitments", distinct=True)
        )
        .order_by("-rows")
        .first()
    )
    grown = _grown(series)
    with _rendered_as_served():
        return AdminPages(
            floor=_measure(client, f"/admin/events/series/{series.pk}/change/"),
            seeded=_measure(client, f"/admin/events/meeting/{seeded.pk}/change/"),
            seeded_rows=seeded.rows,
            grown=_measure(client, f"/admin/events/meeting/{grown.pk}/change/"),
        )
