"""The reminder scan and the outbox under load.

    make bench            (or: DATABASE_URL=postgres://... .venv/bin/python bench/reminders.py)

1. The minute scan with nothing due, at 100,000 meetings (target: at most 50 ms), next to the
   floor of one trivial query.
2. 10,000 due emails sent by two Celery worker processes to a loopback SMTP sink, next to a
   plain smtplib loop sending as many to the same sink in the same run (target: at least half
   its rate, all within 60 s). Needs PostgreSQL and Redis (REDIS_URL, or the local default).
"""

import datetime
import logging
import os
import signal
import smtplib
import sys
import tempfile
import time
import uuid
import warnings
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roundtable.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

MEETINGS = 100_000
EMAILS = 10_000
WORKERS = 2
BROKER = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13")


class Sink:
    """An SMTP server that accepts everything and counts."""

    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def best_of(action, repeats=7):
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def build_meetings():
    from events.models import Meeting, Series

    series = Series.objects.create(slug="bench", name="벤치")
    # Every three hours over 34 years, ending a year ago: nothing is due, but every range
    # query has a full table to ignore.
    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=365, hours=3 * MEETINGS)
    batch = []
    for n in range(MEETINGS):
        starts = start + datetime.timedelta(hours=3 * n)
        meeting = Meeting(
            series=series,
            title=f"간담회 {n}",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
        )
        meeting.period_start, meeting.period_end = meeting.compute_period()
        batch.append(meeting)
        if len(batch) == 5000:
            Meeting.objects.bulk_create(batch)
            batch = []
    Meeting.objects.bulk_create(batch)


def smtplib_rate(port) -> float:
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as client:
        for n in range(EMAILS):
            message = EmailMessage()
            message["From"], message["To"] = "bench@localhost", f"plain{n}@example.com"
            message["Subject"] = "간담회 안내"
            message.set_content("본문")
            client.send_message(message)
    return EMAILS / (time.perf_counter() - start)


def outbox_rate(port, sink) -> tuple[float, float]:
    from notifications import services
    from notifications.models import OutboundEmail
    from notifications.registry import Recipient
    from notifications.tests.processes import start_worker
    from roundtable.celery import app

    services.emails_queue(
        [
            services.email_build(
                kind="bench",
                recipient=Recipient(email=f"contact{n}@example.com"),
                subject="간담회 안내",
                body_text="본문",
            )
            for n in range(EMAILS)
        ]
    )
    queue = f"bench-{uuid.uuid4().hex}"
    workers = [
        start_worker(queue=queue, broker=BROKER, smtp_port=port, var_dir=tempfile.mkdtemp())
        for _ in range(WORKERS)
    ]
    try:
        time.sleep(3)  # workers up
        before = sink.count
        start = time.perf_counter()
        with app.connection_for_write(BROKER) as broker:
            for _ in range(WORKERS):
                app.send_task("notifications.tasks.drain_outbox", queue=queue, connection=broker)
        while OutboundEmail.objects.exclude(state="sent").exists():
            if time.perf_counter() - start > 300:
                raise SystemExit("not all emails were sent within 300 s")
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait()
    assert sink.count - before == EMAILS
    return EMAILS / elapsed, elapsed


def main():
    from aiosmtpd.controller import Controller

    from notifications import registry, services
    from notifications.models import ReminderRule
    from notifications.tests.smtp import free_port

    warnings.filterwarnings("ignore", message="No directory at")
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    setup_test_environment()
    settings.DEBUG = False
    database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        build_meetings()
        now = datetime.datetime.now(datetime.UTC)
        floor = best_of(lambda: ReminderRule.objects.filter(enabled=True).count())
        scan = best_of(lambda: services.scan(now))
        print(f"Database: {connection.vendor}")
        print(f"Floor (one trivial query): {floor * 1000:.2f} ms = 1x")
        print(
            f"Scan, nothing due, {MEETINGS:,} meetings, {ReminderRule.objects.count()} rules: "
            f"{scan * 1000:.1f} ms = {scan / floor:.1f}x (target <= 50 ms)"
        )
        for rule in ReminderRule.objects.filter(enabled=True):
            spec = registry.get(rule.kind)
            took = best_of(lambda rule=rule, spec=spec: list(spec.find_due(rule, now)))
            print(f"  of which {rule.kind:28} {took * 1000:6.1f} ms")
        if connection.vendor != "postgresql":
            print("The outbox figures need PostgreSQL (workers are other processes): skipped.")
            return
        sink = Sink()
        port = free_port()
        controller = Controller(sink, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            plain = smtplib_rate(port)
            rate, elapsed = outbox_rate(port, sink)
        finally:
            controller.stop()
        print(f"Plain smtplib loop, one connection: {plain:,.0f} emails/s = 1x")
        print(
            f"Outbox, {EMAILS:,} emails, {WORKERS} workers: {elapsed:.1f} s, {rate:,.0f} emails/s "
            f"= {rate / plain:.2f}x (target >= 0.5x, within 60 s)"
        )
    finally:
        connection.creation.destroy_test_db(database, verbosity=0)


if __name__ == "__main__":
    main()
