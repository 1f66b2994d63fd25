"""Read paths under a large relay series: meeting list, calendar sync and feeds.

    make bench            (or: DATABASE_URL=... .venv/bin/python bench/api_reads.py)

Builds a throwaway database (Django's test database for DATABASE_URL), fills it at two sizes,
and prints each figure as a multiple of a floor measured in the same run: the cheapest
authenticated API request (one series). Ratios, not seconds, so that runs on different
machines compare. Each figure is the best of several runs.
"""

import datetime
import os
import random
import sys
import time
import warnings
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roundtable.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

SIZES = (500, 5000)
ATTENDEES_PER_MEETING = 8
ORGANIZATIONS = 400
REPEATS = 7


def best_of(action, repeats=REPEATS):
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def grow_to(size, series, organizations, rnd):
    """Adds meetings (with attendance) until there are `size`, as bulk writes."""
    from events.models import Attendance, Meeting

    existing = Meeting.objects.count()
    tz = datetime.timezone(datetime.timedelta(hours=9))
    meetings = []
    for n in range(existing, size):
        day = datetime.date(2024, 1, 1) + datetime.timedelta(days=n // 3)
        timed = n % 4 != 0
        meeting = Meeting(
            series=series,
            title=f"AI 대전환 현장 간담회 {n}",
            title_en=f"AI transformation roundtable {n}",
            theme=rnd.choice(["AI 팩토리", "AI 로봇", "AI 인재", "AI 반도체"]),
            description="기업 건의와 정부 지원 방안 논의, 제조 AI 도입 확대",
            all_day=not timed,
            starts_at=datetime.datetime.combine(day, datetime.time(14), tz) if timed else None,
            ends_at=datetime.datetime.combine(day, datetime.time(16), tz) if timed else None,
            start_date=None if timed else day,
            end_date=None if timed else day,
            venue="KAIST AI 팩토리 랩",
            address="대전 유성구",
            status=rnd.choice(list(Meeting.Status)),
            visibility=Meeting.Visibility.INTERNAL if n % 10 == 0 else Meeting.Visibility.PUBLIC,
        )
        meeting.period_start, meeting.period_end = meeting.compute_period()
        meetings.append(meeting)
    Meeting.objects.bulk_create(meetings, batch_size=1000)
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=meeting, organization=organization)
            for meeting in meetings
            for organization in rnd.sample(organizations, ATTENDEES_PER_MEETING)
        ],
        batch_size=5000,
    )


def measure(api, client, user, size):
    from events.models import Meeting

    def get(url, **params):
        response = api.get(url, params)
        assert response.status_code == 200, (url, response.status_code)
        return response

    figures = {
        "meeting list, 1,000 per page": best_of(lambda: get("/api/v1/meetings/", page_size=1000)),
        "same 1,000 through serializers, without HTTP": best_of(
            lambda: serializer_list(user), repeats=3
        ),
        "full sync, first page of 1,000": best_of(
            lambda: get("/api/v1/meetings/sync/", page_size=1000)
        ),
    }
    ids = list(Meeting.objects.order_by("?").values_list("pk", flat=True)[:1000])
    for changes in (1, 10, 100, 1000):
        token = get("/api/v1/meetings/sync/", page_size=1000).json()
        while token["next_page_token"]:
            token = get(
                "/api/v1/meetings/sync/", page_size=1000, page_token=token["next_page_token"]
            ).json()
        Meeting.objects.filter(pk__in=ids[:changes]).update(venue=f"판교 {size} {changes}")
        sync_token = token["next_sync_token"]
        figures[f"incremental sync, {changes:,} changed"] = best_of(
            lambda t=sync_token: get("/api/v1/meetings/sync/", sync_token=t, page_size=1000)
        )
    Meeting.objects.filter(pk=ids[0]).update(venue=f"세종 {size}")  # a new feed version
    figures["public feed, first rendering"] = best_of(
        lambda: client.get("/calendar/public.ics"), repeats=1
    )
    figures["public feed, cached"] = best_of(lambda: client.get("/calendar/public.ics"))
    etag = client.get("/calendar/public.ics")["ETag"]
    figures["public feed, 304 Not Modified"] = best_of(
        lambda: client.get("/calendar/public.ics", HTTP_IF_NONE_MATCH=etag)
    )
    return figures


def serializer_list(user):
    """The representation the list's row path replaces: serializers and DRF's JSON renderer,
    without HTTP (so it flatters the slow path)."""
    from rest_framework.renderers import JSONRenderer

    from events.api import MeetingSerializer, MeetingViewSet

    view = MeetingViewSet()
    view.request = SimpleNamespace(user=user)
    JSONRenderer().render(MeetingSerializer(view.get_queryset()[:1000], many=True).data)


def main():
    from django.contrib.auth.models import User
    from django.test import Client
    from rest_framework.test import APIClient

    from events.models import Series
    from stakeholders.models import Organization

    # whitenoise notes that collectstatic has not run; nothing here serves static files.
    warnings.filterwarnings("ignore", message="No directory at")
    setup_test_environment()
    settings.DEBUG = False
    database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        rnd = random.Random(20250919)
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
        client = Client()

        floor = best_of(lambda: api.get(f"/api/v1/series/{series.slug}/"), repeats=50)
        columns = {}
        for size in SIZES:
            grow_to(size, series, organizations, rnd)
            columns[size] = measure(api, client, user, size)
        print(f"Database: {connection.vendor}; cache: {settings.CACHES['default']['BACKEND']}")
        print(f"Floor (one series over the API): {floor * 1000:.2f} ms = 1x\n")
        header = "".join(f"{size:>10,} mtgs" for size in SIZES)
        print(f"{'':52}{header}")
        for name in columns[SIZES[0]]:
            cells = "".join(f"{columns[size][name] / floor:>14.1f}x" for size in SIZES)
            print(f"{name:52}{cells}")
    finally:
        connection.creation.destroy_test_db(database, verbosity=0)


if __name__ == "__main__":
    main()
