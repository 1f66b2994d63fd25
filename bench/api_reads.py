"""Read paths under a large relay series: meeting list, calendar sync and the public feed.

Part of `make bench` (bench/run.py), in the test database it creates. The dataset grows in
place: first to `SMALL` meetings, then to `LARGE`, so that a figure at the large size can be
set against the same figure at the small one. Every meeting ends more than a year ago, so the
reminder scan measured on the same data finds nothing due.
"""

import dataclasses
import datetime
import random
import time
from types import SimpleNamespace

import orjson
from django.db import connection
from django.utils import timezone

from bench.common import best_of

SMALL = 1_000
LARGE = 100_000
ATTENDEES_PER_MEETING = 8
ORGANIZATIONS = 400
MEETINGS_PER_DAY = 8
PAGE = 1000
# The meeting list's page sizes measured: the default page and the largest.
LIST_PAGES = (50, PAGE)
CHANGES = (1, 100)
# The public feed's meetings; every tenth meeting grow_to() makes is internal.
FEED_MEETINGS = 5_000
FEED_SIZE = FEED_MEETINGS * 10 // 9 + 1
# Changes, each followed by a first rendering, of which the fastest counts.
FEED_REPEATS = 4
# Figures of a few milliseconds take more runs: the best of them is less likely disturbed.
QUICK_REPEATS = 15


@dataclasses.dataclass
class Dataset:
    series: object
    organizations: list
    user: object
    api: object  # DRF's APIClient, signed in as `user`
    client: object  # Django's Client, anonymous
    rnd: random.Random


def dataset_create() -> Dataset:
    from django.contrib.auth.models import User
    from django.test import Client
    from rest_framework.test import APIClient

    from events.models import Series
    from stakeholders.models import Organization

    series = Series.objects.create(slug="relay", name="AI 대전환 릴레이 현장 간담회")
    organizations = Organization.objects.bulk_create(
        [
            Organization(name=f"기업 {n}", name_en=f"Company {n}", kind="company")
            for n in range(ORGANIZATIONS)
        ]
    )
    user = User.objects.create_superuser("bench")
    api = APIClient()
    api.force_authenticate(user)
    return Dataset(series, organizations, user, api, Client(), random.Random(20250919))


def grow_to(data: Dataset, size: int) -> None:
    """Adds meetings, each with its attendance, until there are `size`, as bulk writes.

    Meeting n is on the n // MEETINGS_PER_DAY-th day before the one a year ago, so growing adds
    older meetings and the newest stay where they were."""
    from events.models import Attendance, Meeting

    existing = Meeting.objects.count()
    tz = timezone.get_default_timezone()
    last_day = timezone.localdate() - datetime.timedelta(days=365)
    rnd = data.rnd
    for first in range(existing, size, 5000):
        meetings = []
        for n in range(first, min(first + 5000, size)):
            day = last_day - datetime.timedelta(days=n // MEETINGS_PER_DAY)
            timed = n % 4 != 0
            hour = 9 + n % MEETINGS_PER_DAY
            meeting = Meeting(
                series=data.series,
                title=f"AI 대전환 현장 간담회 {n}",
                title_en=f"AI transformation roundtable {n}",
                theme=rnd.choice(["AI 팩토리", "AI 로봇", "AI 인재", "AI 반도체"]),
                description="기업 건의와 정부 지원 방안 논의, 제조 AI 도입 확대",
                all_day=not timed,
                starts_at=datetime.datetime.combine(day, datetime.time(hour), tz)
                if timed
                else None,
                ends_at=datetime.datetime.combine(day, datetime.time(hour + 1), tz)
                if timed
                else None,
                start_date=None if timed else day,
                end_date=None if timed else day,
                venue="KAIST AI 팩토리 랩",
                address="대전 유성구",
                status=rnd.choice(list(Meeting.Status)),
                visibility=Meeting.Visibility.INTERNAL
                if n % 10 == 0
                else Meeting.Visibility.PUBLIC,
            )
            meeting.period_start, meeting.period_end = meeting.compute_period()
            meetings.append(meeting)
        Meeting.objects.bulk_create(meetings)
        Attendance.objects.bulk_create(
            [
                Attendance(meeting=meeting, organization=organization)
                for meeting in meetings
                for organization in rnd.sample(data.organizations, ATTENDEES_PER_MEETING)
            ],
            batch_size=5000,
        )
    # What autovacuum does to a table in use: without fresh statistics the planner reads a
    # just-loaded table as tiny, and the triggers' version updates leave dead rows behind.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _get(data: Dataset, url, **params):
    response = data.api.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response


def list_figures(data: Dataset, page_size=PAGE) -> dict[str, float]:
    """The first page of `page_size` meetings: through the API, through DRF serializers, and
    the floor, what the page must at least do (_floor_page)."""
    from events.api import MeetingViewSet

    view = MeetingViewSet()
    view.request = SimpleNamespace(user=data.user)
    queryset = view.get_queryset()
    meetings = queryset.prefetch_related(None)
    return {
        "api": best_of(lambda: _get(data, "/api/v1/meetings/", page_size=page_size)),
        "serializers": best_of(lambda: _serializer_list(queryset, page_size), repeats=3),
        "floor": best_of(lambda: _floor_page(meetings, page_size)),
    }


def _floor_page(meetings, page_size) -> bytes:
    """The list's first page at its least: the same count query (of the meetings alone), the
    page's rows as values(), their attending organizations as plain tuples, all dumped by orjson
    as they come."""
    from events import selectors
    from events.models import Attendance

    values = selectors.meeting_values(meetings)
    count = meetings.count()
    rows = list(values[:page_size])
    organizations = list(
        Attendance.objects.filter(meeting_id__in=[row["id"] for row in rows]).values_list(
            "meeting_id", "organization_id", "organization__name"
        )
    )
    return orjson.dumps(
        {
            "count": count,
            "next": f"http://testserver/api/v1/meetings/?page=2&page_size={page_size}",
            "previous": None,
            "results": rows,
            "organizations": organizations,
        }
    )


def _serializer_list(queryset, page_size):
    """The representation the list's row path replaces: serializers and DRF's JSON renderer,
    without HTTP (so it flatters the slow path)."""
    from rest_framework.renderers import JSONRenderer

    from events.api import MeetingSerializer

    JSONRenderer().render(MeetingSerializer(queryset.all()[:page_size], many=True).data)


def settle(timeout=120) -> bool:
    """Waits until every transaction of the cluster that began before now has ended.

    Sync positions stop at the oldest transaction still open anywhere in the cluster (see
    events/sync.py), so while another database's client holds one, an incremental sync also
    brings back the bulk load. Returns False if that did not happen within `timeout`."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id()::text::bigint")
        (now,) = cursor.fetchone()
        while True:
            cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
            if cursor.fetchone()[0] > now:
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.2)


def sync_figures(data: Dataset, size: int) -> tuple[dict[int, float], list[str]]:
    """Incremental sync after 1 and 100 changes, pages of 1,000, at the current size; with
    notes on any answer that carried more than the changes."""

    notes = []
    if not settle():
        notes.append(f"at {size:,}: another transaction kept the sync horizon back")
    response = _get(data, "/api/v1/meetings/sync/", page_size=PAGE).json()
    while response["next_page_token"]:
        response = _get(
            data, "/api/v1/meetings/sync/", page_size=PAGE, page_token=response["next_page_token"]
        ).json()
    token = response["next_sync_token"]
    return _changed_syncs(data, size, token, "판교", notes)


def feed_figures(data: Dataset) -> dict[str, float]:
    """The public feed of FEED_MEETINGS meetings: rendered with nothing cached, the first
    rendering after a change (the other meetings' VEVENTs reused), then from the cache, then a
    304."""
    from django.core.cache import cache

    from events.models import Meeting

    url = "/calendar/public.ics"
    some = list(Meeting.objects.public().values_list("pk", flat=True)[:FEED_REPEATS])

    def after_a_change(pk):
        Meeting.objects.filter(pk=pk).update(venue=f"세종 {pk.hex[:6]}")
        start = time.perf_counter()
        response = data.client.get(url)
        took = time.perf_counter() - start
        assert response.status_code == 200
        return took, response.content.count(b"BEGIN:VEVENT")

    cache.clear()
    cold, events = after_a_change(some[0])
    first = min(after_a_change(pk)[0] for pk in some[1:])
    cached = best_of(lambda: data.client.get(url), repeats=QUICK_REPEATS)
    etag = data.client.get(url)["ETag"]

    def not_modified():
        assert data.client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    return {
        "events": events,
        "cold": cold,
        "first": first,
        "cached": cached,
        "304": best_of(not_modified, repeats=QUICK_REPEATS),
    }


HUGE = 1_000_000
# Rough bytes on disk per meeting with its attendance, change log and indexes (measured on the
# 100,000 dataset, about 2.2 KB), with room to spare.
BYTES_PER_MEETING = 4_000


def disk_short_for(size: int) -> str | None:
    """Why the database's disk cannot take `size` meetings more, or None if it can."""
    import shutil

    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        (directory,) = cursor.fetchone()
    try:
        free = shutil.disk_usage(directory).free
    except OSError:  # the server's directory is not on this machine: ask the bench's own disk
        free = shutil.disk_usage("/").free
    need = size * BYTES_PER_MEETING
    if free < need:
        return f"{free / 1e9:.1f} GB free, {need / 1e9:.1f} GB needed"
    return None


# Meeting n's id: a version 4 UUID made of its number's hash, so that the attendance and the
# change log name it without reading it back.
_MEETING_ID = (
    "overlay(overlay(md5('meeting ' || {n}) placing '4' from 13) placing '8' from 17)::uuid"
)
# Indexes CREATE INDEX rebuilds after the load: the secondary ones of the tables the load writes
# (a constraint's index, such as a primary key, stays and checks every row as it comes).
_LOADED_TABLES = ("events_meeting", "events_attendance", "events_meetingchange")


def copy_to(data: Dataset, size: int) -> dict[str, float]:
    """What grow_to builds, the same rows and the same order of days, generated in PostgreSQL
    (INSERT … SELECT from generate_series): a million meetings in a minute or two rather than
    an hour of bulk_create. Returns the seconds each step took.

    Triggers are off while rows are written (session_replication_role): the rows are valid by
    construction, so the foreign keys' checks are skipped, and the attendance trigger touching
    its meeting would rewrite (and log for sync) each new meeting eight times over, which tells
    a sync nothing its own insert does not. The meetings' own log trigger, off with them, is
    replaced by the same rows written in bulk: one change a meeting, in the same transaction,
    so the change log grows as it does in use.

    The secondary indexes are dropped before and built afterwards from their definitions as
    PostgreSQL reports them (building an index over loaded rows is many times faster than
    growing it row by row), so the planner sees exactly the indexes the migrations make."""
    from django.db import transaction

    from events.models import Attendance, Meeting

    existing = Meeting.objects.count()
    organizations = [organization.pk for organization in data.organizations]
    params = {
        "first": existing,
        "last": size - 1,
        "last_day": timezone.localdate() - datetime.timedelta(days=365),
        "tz": timezone.get_default_timezone_name(),
        "per_day": MEETINGS_PER_DAY,
        "themes": ["AI 팩토리", "AI 로봇", "AI 인재", "AI 반도체"],
        "statuses": [str(status) for status in Meeting.Status],
        "public": str(Meeting.Visibility.PUBLIC),
        "internal": str(Meeting.Visibility.INTERNAL),
        "series": data.series.pk,
        "organizations": organizations,
        # One organization from each ATTENDEES_PER_MEETING-th of them: eight distinct a meeting.
        "block": len(organizations) // ATTENDEES_PER_MEETING,
        "attendees": ATTENDEES_PER_MEETING,
        "role": Attendance._meta.get_field("role").default,
        "attending": Attendance._meta.get_field("status").default,
        "seed": data.rnd.uniform(-1, 1),
    }
    steps = {}
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
            " WHERE indrelid = ANY(%s::regclass[])"
            " AND NOT EXISTS (SELECT FROM pg_constraint WHERE conindid = indexrelid)",
            [list(_LOADED_TABLES)],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SELECT setseed(%(seed)s)", params)
        cursor.execute(_INSERT_MEETINGS, params)
        cursor.execute(_INSERT_CHANGES, params)
        cursor.execute(_INSERT_ATTENDANCE, params)
        steps["rows"] = time.perf_counter() - start
        start = time.perf_counter()
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for _, definition in indexes:
            cursor.execute(definition)
    steps["indexes"] = time.perf_counter() - start
    start = time.perf_counter()
    # What autovacuum does to a table in use: without fresh statistics the planner reads a
    # just-loaded table as tiny, and without the visibility map no scan is index-only.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    steps["vacuum analyze"] = time.perf_counter() - start
    return steps


# Meeting n's visibility and its row, as grow_to() makes them.
_VISIBILITY = "CASE WHEN {n} %% 10 = 0 THEN %(internal)s ELSE %(public)s END"
_INSERT_MEETINGS = f"""
INSERT INTO events_meeting (
    id, title, title_en, theme, description, all_day, starts_at, ends_at, start_date, end_date,
    venue, address, status, visibility, host, period_start, period_end, version, created_at,
    updated_at, series_id)
SELECT id, 'AI 대전환 현장 간담회 ' || n, 'AI transformation roundtable ' || n,
    (%(themes)s::text[])[1 + floor(random() * cardinality(%(themes)s::text[]))::int],
    '기업 건의와 정부 지원 방안 논의, 제조 AI 도입 확대', NOT timed,
    CASE WHEN timed THEN starts END, CASE WHEN timed THEN ends END,
    CASE WHEN NOT timed THEN day END, CASE WHEN NOT timed THEN day END,
    'KAIST AI 팩토리 랩', '대전 유성구',
    (%(statuses)s::text[])[1 + floor(random() * cardinality(%(statuses)s::text[]))::int],
    {_VISIBILITY.format(n="n")}, '',
    CASE WHEN timed THEN starts ELSE day::timestamp AT TIME ZONE %(tz)s END,
    CASE WHEN timed THEN ends ELSE (day + 1)::timestamp AT TIME ZONE %(tz)s END,
    1, now(), now(), %(series)s
FROM (
    SELECT n, {_MEETING_ID.format(n="n")} AS id, n %% 4 <> 0 AS timed, day,
        (day + make_time(9 + n %% %(per_day)s, 0, 0)) AT TIME ZONE %(tz)s AS starts,
        (day + make_time(10 + n %% %(per_day)s, 0, 0)) AT TIME ZONE %(tz)s AS ends
    FROM generate_series(%(first)s, %(last)s) AS n,
        LATERAL (SELECT %(last_day)s::date - n / %(per_day)s AS day) AS d
) AS meeting
"""
# What the meetings' log trigger (events_meeting_log_change) writes for an insert.
_INSERT_CHANGES = f"""
INSERT INTO events_meetingchange (meeting_id, kind, visibility, previous_visibility, changed_at)
SELECT {_MEETING_ID.format(n="n")}, 'saved', {_VISIBILITY.format(n="n")}, '', clock_timestamp()
FROM generate_series(%(first)s, %(last)s) AS n
"""
# Attendance row a is meeting a / attendees's, with an organization of block a % attendees.
_INSERT_ATTENDANCE = f"""
INSERT INTO events_attendance (
    meeting_id, organization_id, role, status, note, created_at, updated_at)
SELECT {_MEETING_ID.format(n="a / %(attendees)s")},
    (%(organizations)s::bigint[])[
        1 + a %% %(attendees)s * %(block)s + floor(random() * %(block)s)::int],
    %(role)s, %(attending)s, '', now(), now()
FROM generate_series(%(first)s * %(attendees)s, (%(last)s + 1) * %(attendees)s - 1) AS a
"""


def scale_sync_figures(data: Dataset, size: int) -> tuple[dict[int, float], list[str]]:
    """sync_figures' incremental syncs, from the token a client fully synced now holds
    (events.sync.settled_sync_token) rather than one got by walking the full sync: at a
    million meetings that walk is a thousand pages and would take most of the bench."""
    from events import sync

    notes = []
    if not settle():
        notes.append(f"at {size:,}: another transaction kept the sync horizon back")
    token = sync.settled_sync_token(user=data.user)
    return _changed_syncs(data, size, token, "세종", notes)


def _changed_syncs(data, size, token, venue, notes) -> tuple[dict[int, float], list[str]]:
    """For each of CHANGES: change that many meetings, then time the incremental sync from
    `token`; a sync that carries more or fewer than the changes is noted."""
    from events.models import Meeting

    ids = list(Meeting.objects.order_by("?").values_list("pk", flat=True)[: max(CHANGES)])
    figures = {}
    for changes in CHANGES:
        Meeting.objects.filter(pk__in=ids[:changes]).update(venue=f"{venue} {size} {changes}")
        settle(timeout=30)  # so that the next token starts after this change
        figures[changes] = best_of(
            lambda t=token: _get(data, "/api/v1/meetings/sync/", sync_token=t, page_size=PAGE),
            repeats=QUICK_REPEATS,
        )
        answer = _get(data, "/api/v1/meetings/sync/", sync_token=token, page_size=PAGE).json()
        # The previous round's change may come again (a change may come twice, never not).
        if not changes <= len(answer["results"]) <= changes + 1 or answer["next_page_token"]:
            more = ", and more pages" if answer["next_page_token"] else ""
            notes.append(
                f"at {size:,}, {changes:,} changed: the answer carried "
                f"{len(answer['results']):,} meetings{more}"
            )
        token = answer["next_sync_token"] or token
    return figures, notes
