"""`make bench`: every figure of bench/ in one table, each next to its floor measured in the
same run, so that runs on different machines compare by their ratios.

    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/run.py [part ...]

Parts (all by default): `memory` (make run's processes, bench/memory.py), `reads` (meeting
list, calendar sync, CalDAV sync-collection, public feed and reminder scan on 1,000 then
100,000 meetings, bench/api_reads.py, bench/caldav.py and bench/reminders.py), `outbox`
(emails through the workers, bench/reminders.py), `search` (Korean search and similar requests
over 100,000 requests, bench/search.py), `results` (the public results and timelines for the
seeded series and 10,000 public requests, bench/results.py), `webhooks` (deliveries through the
workers and the delay from a commit to its delivery, bench/webhooks.py), `admin` (the
coordinators' admin pages at 100k meetings, bench/admin_pages.py), `load` (gunicorn under wrk:
home page, meeting list API and public feed against a minimal view, bench/load.py), `scale`
(meeting list, sync and reminder scan at 100,000 then 1,000,000 meetings made in PostgreSQL).
Needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL): the database is Django's test database
for DATABASE_URL, created and dropped here; REDIS_URL's database is flushed at the start of
each part and serves as cache and broker.
"""

import argparse
import contextlib
import datetime
import logging
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roundtable.settings")
# Nothing the bench writes (demo password, broker files, uploads) lands in the project's var/.
VAR_DIR = Path(tempfile.mkdtemp(prefix="roundtable-bench-"))
os.environ["VAR_DIR"] = str(VAR_DIR)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench import admin_pages, api_reads, caldav, load, memory, reminders  # noqa: E402
from bench import results as results_bench  # noqa: E402
from bench import search as search_bench  # noqa: E402
from bench import webhooks as webhooks_bench  # noqa: E402
from bench.common import Figure, Goal, say, table  # noqa: E402

PARTS = (
    "memory",
    "reads",
    "outbox",
    "search",
    "results",
    "webhooks",
    "admin",
    "load",
    "scale",
)
MB = 1_000_000


@contextlib.contextmanager
def test_database():
    """A throwaway database beside DATABASE_URL's, dropped afterwards: no real data is touched,
    nor the test database pytest may be keeping (`--reuse-db`)."""
    real_name = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = f"bench_{real_name}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    cache.clear()  # feeds cached by an earlier run would pass for first renderings
    try:
        yield
    finally:
        connection.creation.destroy_test_db(real_name, verbosity=0)


def memory_figures(redis_url) -> tuple[list[Figure], list[str]]:
    say("memory: make run's processes on the seeded demo data")
    with test_database():
        processes = memory.make_run_memory(
            redis_url=redis_url, var_dir=VAR_DIR, log_path=VAR_DIR / "make-run.log"
        )
    total = sum(p.rss for p in processes)
    figures = [
        Figure(
            f"make run (web, worker, beat), RSS of {len(processes)} processes",
            total / MB,
            "MB",
            goal=Goal("measured", "≤", 400, "≤ 400 MB"),
        )
    ]
    details = ["make run, per process (RSS; PSS counts shared pages once):"]
    details += [
        f"  {p.role:34} pid {p.pid:>7}  RSS {p.rss / MB:6.1f} MB  PSS {p.pss / MB:6.1f} MB"
        for p in processes
    ]
    pss = sum(p.pss for p in processes)
    details.append(f"  {'total':46}  RSS {total / MB:6.1f} MB  PSS {pss / MB:6.1f} MB")
    return figures, details


def read_figures() -> tuple[list[Figure], list[str]]:
    small, large = f"{api_reads.SMALL:,}", f"{api_reads.LARGE:,}"
    feed_size = f"{api_reads.FEED_MEETINGS:,}"
    with test_database():
        data = api_reads.dataset_create()
        say(f"reads: {small} meetings")
        api_reads.grow_to(data, api_reads.SMALL)
        sync_small, notes = api_reads.sync_figures(data, api_reads.SMALL)
        dav_small, dav_queries_small, dav_notes = caldav.sync_figures(data, api_reads.SMALL)
        say(f"reads: public feed of {api_reads.FEED_MEETINGS:,} meetings")
        api_reads.grow_to(data, api_reads.FEED_SIZE)
        feed = api_reads.feed_figures(data)
        say(f"reads: growing to {large} meetings")
        start = time.perf_counter()
        api_reads.grow_to(data, api_reads.LARGE)
        built = time.perf_counter() - start
        say(f"reads: sync at {large}")
        sync_large, more_notes = api_reads.sync_figures(data, api_reads.LARGE)
        dav_large, dav_queries_large, more_dav_notes = caldav.sync_figures(data, api_reads.LARGE)
        say("reads: meeting list")
        lists = {size: api_reads.list_figures(data, size) for size in api_reads.LIST_PAGES}
        say("reads: reminder scan")
        scan = reminders.scan_figures()

    floor_name = "values(), count, orgs, orjson"
    figures = [
        Figure(
            f"meeting list API, {size:,} per page, {large} mtgs",
            lists[size]["api"],
            "s",
            floor_name,
            lists[size]["floor"],
            Goal("ratio", "≤", 1.5),
        )
        for size in api_reads.LIST_PAGES
    ]
    figures.append(
        Figure(
            f"  same {api_reads.PAGE:,} through DRF serializers",
            lists[api_reads.PAGE]["serializers"],
            "s",
            floor_name,
            lists[api_reads.PAGE]["floor"],
        )
    )
    for changes in api_reads.CHANGES:
        figures.append(
            Figure(
                f"incremental sync, {changes:,} changed, {large} mtgs",
                sync_large[changes],
                "s",
                f"same at {small} mtgs",
                sync_small[changes],
                Goal("ratio", "≤", 2),
            )
        )
    for changes in api_reads.CHANGES:
        figures.append(
            Figure(
                f"CalDAV sync-collection, {changes:,} changed, {large} mtgs",
                dav_large[changes],
                "s",
                f"same at {small} mtgs",
                dav_small[changes],
                Goal("ratio", "≤", 1.2),
            )
        )
    figures += [
        Figure(
            f"public feed, 304 Not Modified, {feed_size} mtgs",
            feed["304"],
            "s",
            "200 from the cache",
            feed["cached"],
            Goal("ratio", "≤", 0.5),
        ),
        Figure(
            f"public feed, first rendering after a change, {feed_size} mtgs",
            feed["first"],
            "s",
            "200 from the cache",
            feed["cached"],
            Goal("measured", "≤", 0.5, "≤ 500 ms"),
        ),
        Figure(
            f"  same with nothing cached, {feed_size} mtgs",
            feed["cold"],
            "s",
            "200 from the cache",
            feed["cached"],
        ),
        Figure(
            f"reminder scan, nothing due, {large} mtgs",
            scan.scan,
            "s",
            "one trivial query",
            scan.floor,
            Goal("ratio", "≤", 10),
        ),
    ]
    details = [
        f"Dataset: {large} meetings, {api_reads.ATTENDEES_PER_MEETING} attending organizations "
        f"each, built in {built:.0f} s (from {small}).",
        f"Reminder scan, {len(scan.rules)} rules: "
        + ", ".join(f"{kind} {took * 1000:.1f} ms" for kind, took in scan.rules.items()),
        *(f"Sync disturbed, {note}." for note in notes + more_notes),
        "CalDAV sync-collection, queries: "
        + ", ".join(
            f"{changes:,} changed {dav_queries_small[changes]} at {small}, "
            f"{dav_queries_large[changes]} at {large}"
            for changes in api_reads.CHANGES
        ),
        *(f"CalDAV sync disturbed, {note}." for note in dav_notes + more_dav_notes),
    ]
    return figures, details


def load_figures() -> tuple[list[Figure], list[str]]:
    say(f"load: gunicorn, {load.WORKERS} workers, wrk for {load.DURATION} s per URL")
    with test_database():
        found = load.load_figures(VAR_DIR)
    if found is None:
        return [], ["HTTP under load: skipped, wrk is not installed."]
    floor = found["floor"]
    floor_name = "minimal Django view"
    names = {
        "home": "public home page",
        "api": f"meeting list API, token, {load.MEETINGS:,} mtgs",
        "feed": "public feed",
    }
    figures = []
    for key, name in names.items():
        figures += [
            Figure(
                f"{name}, under load",
                found[key].rps,
                "req/s",
                floor_name,
                floor.rps,
                Goal("ratio", "≥", 0.5),
            ),
            Figure("  p99 latency", found[key].p99, "s", floor_name, floor.p99),
        ]
    figures.append(
        Figure(
            "  public feed against the same view writing the feed's bytes",
            found["feed"].rps,
            "req/s",
            "minimal view, same bytes",
            found["floor_feed_body"].rps,
        )
    )
    details = [
        f"HTTP under load: gunicorn {load.WORKERS} workers, wrk {load.CONNECTIONS} connections, "
        f"{load.DURATION} s each after {load.WARM_UP} s: "
        + ", ".join(
            f"{key} {found[key].requests:,} requests, {found[key].errors} errors"
            for key in ("floor", "floor_feed_body", *names)
        ),
        *(
            f"HTTP under load: {names[key]} answered nothing within {load.DURATION} s "
            "(its p99 shown is that bound)."
            for key in names
            if not found[key].requests
        ),
    ]
    return figures, details


def scale_figures() -> tuple[list[Figure], list[str]]:
    """The meeting list, incremental sync and reminder scan at 100,000 then 1,000,000 meetings,
    both generated in PostgreSQL (api_reads.copy_to): each 1M figure's floor is the same at
    100k, so the ratio is the slope."""
    large, huge = f"{api_reads.LARGE:,}", f"{api_reads.HUGE:,}"
    found, steps = {}, {}
    started = time.perf_counter()
    with test_database():
        data = api_reads.dataset_create()
        for size in (api_reads.LARGE, api_reads.HUGE):
            if size == api_reads.HUGE and (short := api_reads.disk_short_for(size)):
                say(f"scale: skipped {huge} meetings, the disk is short ({short})")
                return [], [f"Scale: {huge} meetings skipped, the disk is short ({short})."]
            say(f"scale: generating rows up to {size:,} meetings")
            built = api_reads.copy_to(data, size)
            say(f"scale: sync, list and scan at {size:,}")
            start = time.perf_counter()
            sync, notes = api_reads.scale_sync_figures(data, size)
            found[size] = (api_reads.list_figures(data), sync, reminders.scan_figures(), notes)
            built["figures"] = time.perf_counter() - start
            steps[size] = ", ".join(f"{step} {took:.0f} s" for step, took in built.items())
    (list_l, sync_l, scan_l, notes_l) = found[api_reads.LARGE]
    (list_h, sync_h, scan_h, notes_h) = found[api_reads.HUGE]
    floor_name = f"same at {large} mtgs"
    figures = [
        Figure(
            f"meeting list API, 1,000 per page, {huge} mtgs",
            list_h["api"],
            "s",
            floor_name,
            list_l["api"],
        ),
        Figure(
            f"  values() + orjson floor, {huge} mtgs",
            list_h["floor"],
            "s",
            floor_name,
            list_l["floor"],
        ),
        *(
            Figure(
                f"incremental sync, {changes:,} changed, {huge} mtgs",
                sync_h[changes],
                "s",
                floor_name,
                sync_l[changes],
            )
            for changes in api_reads.CHANGES
        ),
        Figure(
            f"reminder scan, nothing due, {huge} mtgs",
            scan_h.scan,
            "s",
            floor_name,
            scan_l.scan,
        ),
    ]
    details = [
        f"Scale: rows generated in PostgreSQL, indexes built after them; each {huge} figure "
        f"against the same at {large} in this run. {large}: {steps[api_reads.LARGE]}; "
        f"{huge}: {steps[api_reads.HUGE]}; the part {time.perf_counter() - started:.0f} s.",
        *(f"Scale sync disturbed, {note}." for note in notes_l + notes_h),
    ]
    return figures, details


def outbox_figures(redis_url) -> tuple[list[Figure], list[str]]:
    say(f"outbox: {reminders.EMAILS:,} emails, smtplib loop then {reminders.WORKERS} workers")
    with test_database():
        outbox = reminders.outbox_figures(redis_url)
    figures = [
        Figure(
            f"outbox, {reminders.EMAILS:,} emails, {reminders.WORKERS} workers",
            outbox.rate,
            "emails/s",
            "smtplib loop, same sink",
            outbox.plain_rate,
            Goal("ratio", "≥", 0.9),
        ),
        Figure(
            f"  time to send all {reminders.EMAILS:,}",
            outbox.elapsed,
            "seconds",
            goal=Goal("measured", "≤", 30, "≤ 30 s"),
        ),
        Figure(
            f"  worker RSS after {reminders.EMAILS:,} emails",
            outbox.rss_end / MB,
            "MB",
            "before the first",
            outbox.rss_start / MB,
            Goal("ratio", "≤", 1.05),
        ),
    ]
    return figures, []


def webhook_figures(redis_url) -> tuple[list[Figure], list[str]]:
    deliveries = f"{webhooks_bench.DELIVERIES:,}"
    say(f"webhooks: {deliveries} deliveries, requests loop then {webhooks_bench.WORKERS} workers")
    with test_database():
        found = webhooks_bench.webhooks_figures(redis_url)
    changes = f"{webhooks_bench.CHANGES:,} changes"
    figures = [
        Figure(
            f"webhooks, {deliveries} deliveries, {webhooks_bench.WORKERS} workers",
            found.rate,
            "deliveries/s",
            "requests loop, same receiver",
            found.plain_rate,
            Goal("ratio", "≥", 0.7),
        ),
        Figure(f"  commit to delivery, p50 of {changes}", found.p50, "s"),
        Figure(f"  commit to delivery, p99 of {changes}", found.p99, "s"),
    ]
    return figures, [f"Webhooks: all {deliveries} delivered in {found.elapsed:.1f} s."]


def admin_figures() -> tuple[list[Figure], list[str]]:
    say("admin: the coordinators' pages")
    with test_database():
        result = admin_pages.admin_figures()
    floor_name = "a series' admin page"
    meetings = f"{result.meetings:,} meetings"
    figures = [
        Figure(
            f"admin {name}, {meetings}"
            + (f", {admin_pages.ATTENDEES} attendees" if name == "meeting change page" else ""),
            page.seconds,
            "s",
            floor_name,
            result.floor.seconds,
            Goal("measured", "≤", 0.25, "≤ 250 ms"),
        )
        for name, page in result.pages.items()
    ]
    page = result.pages["meeting change page"]
    figures.append(
        Figure(
            "  meeting change page's HTML",
            page.size / 1000,
            "KB",
            floor_name,
            result.floor.size / 1000,
            Goal("measured", "≤", 100, "≤ 100 KB"),
        )
    )
    details = [
        "Admin pages, HTML and queries: "
        + ", ".join(
            f"{name} {page.size / 1000:,.0f} KB, {page.queries} queries"
            for name, page in [*result.pages.items(), ("series page", result.floor)]
        )
    ]
    return figures, details


def search_figures() -> tuple[list[Figure], list[str]]:
    requests = f"{search_bench.REQUESTS:,}"
    say(f"search: {requests} requests")
    with test_database():
        found = search_bench.search_figures()
    floor_name = "indexed lookup by id"
    figures = [
        Figure(
            f"request search “{search_bench.QUERIES[name]}”, count + {search_bench.PAGE}, "
            f"{requests} reqs",
            took,
            "s",
            floor_name,
            found.floor,
            Goal("measured", "≤", 0.050, "≤ 50 ms"),
        )
        for name, took in found.searches.items()
    ]
    figures.append(
        Figure(
            f"similar earlier requests, {requests} reqs",
            found.similar,
            "s",
            floor_name,
            found.floor,
        )
    )
    figures += [
        Figure(
            f"{name} list API, {search_bench.LIST_PAGE:,} per page, "
            + (
                f"{requests} reqs" if name == "requests" else f"{search_bench.ORGANIZATIONS:,} orgs"
            ),
            took,
            "s",
            f"values(), count, {'pledges' if name == 'requests' else 'aliases'}, orjson",
            floor,
            Goal("ratio", "≤", 1.5),
        )
        for name, (took, floor) in found.lists.items()
    ]
    details = [
        "Search matches: "
        + ", ".join(
            f"“{search_bench.QUERIES[name]}” {count:,}" for name, count in found.matches.items()
        )
    ]
    return figures, details


def results_figures() -> tuple[list[Figure], list[str]]:
    requests = f"{results_bench.REQUESTS:,}"
    say(f"results: the seeded series and {requests} public requests")
    with test_database():
        found = results_bench.results_figures()
    floor_name = "304 of /results/"
    figures = [
        Figure(
            f"{name}, seeded + {requests} reqs",
            took,
            "s",
            floor_name,
            found.floor,
            Goal("measured", "≤", 0.300, "≤ 300 ms"),
        )
        for name, took in found.pages.items()
    ]
    details = [
        "Public results, HTML or JSON: "
        + ", ".join(f"{name} {size / 1000:,.0f} KB" for name, size in found.sizes.items())
    ]
    return figures, details


def machine() -> list[str]:
    import redis

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    with connection._nodb_cursor() as cursor:  # DATABASE_URL's database need not exist
        cursor.execute("SHOW server_version")
        (postgres,) = cursor.fetchone()
    redis_version = redis.Redis.from_url(settings.REDIS_URL).info("server")["redis_version"]
    return [
        f"Machine: {os.cpu_count()} CPUs ({cpu}), {memory_kb / 1024**2:.0f} GiB RAM, "
        f"{platform.system()} {platform.release()}",
        f"PostgreSQL {postgres.split()[0]}, Redis {redis_version}, Python "
        f"{platform.python_version()}, Django {django.get_version()}",
        f"Date: {datetime.date.today().isoformat()}",
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("parts", nargs="*", help=f"any of {', '.join(PARTS)} (default: all)")
    parts = parser.parse_args().parts or list(PARTS)
    if unknown := set(parts) - set(PARTS):
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    if connection.vendor != "postgresql":
        raise SystemExit("bench: DATABASE_URL must point to PostgreSQL (postgres://...).")
    redis_url = settings.REDIS_URL
    if not redis_url.startswith("redis"):
        raise SystemExit("bench: REDIS_URL must point to Redis (redis://...).")

    # whitenoise notes that collectstatic has not run; nothing here serves static files.
    warnings.filterwarnings("ignore", message="No directory at")
    # One line per request of the test client would bury the table.
    logging.getLogger("roundtable.requests").setLevel(logging.WARNING)
    setup_test_environment()
    settings.DEBUG = False
    started = time.perf_counter()
    facts = machine()
    measure = {
        "memory": lambda: memory_figures(redis_url),
        "reads": read_figures,
        "outbox": lambda: outbox_figures(redis_url),
        "search": search_figures,
        "results": results_figures,
        "webhooks": lambda: webhook_figures(redis_url),
        "admin": admin_figures,
        "load": load_figures,
        "scale": scale_figures,
    }
    results, failed = {}, []
    # Memory first, while the machine is quiet; then the reads, whose data is the largest. A
    # part that fails is named and the others still run: one flaky figure must not cost the
    # table of a quarter of an hour.
    for part in (part for part in PARTS if part in parts):
        try:
            results[part] = measure[part]()
        except (Exception, SystemExit):  # a part gives up with SystemExit on a timeout
            say(f"{part} failed; the processes' logs are in {VAR_DIR}")
            traceback.print_exc()
            failed.append(part)
    if not failed:
        shutil.rmtree(VAR_DIR, ignore_errors=True)
    order = [
        part
        for part in (
            "reads",
            "scale",
            "search",
            "results",
            "admin",
            "load",
            "outbox",
            "webhooks",
            "memory",
        )
        if part in results
    ]
    figures = [figure for part in order for figure in results[part][0]]
    print()
    print("\n".join(facts))
    print()
    print(table(figures))
    print()
    print("\n".join(line for part in order for line in results[part][1]))
    print(f"\nBench wall time: {time.perf_counter() - started:.0f} s")
    missed = [figure.name.strip() for figure in figures if figure.met is False]
    if missed:
        print("Missed: " + "; ".join(missed))
    if failed:
        raise SystemExit(f"Failed parts: {', '.join(failed)} (logs in {VAR_DIR})")


if __name__ == "__main__":
    main()
