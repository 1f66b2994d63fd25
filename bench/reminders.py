"""The reminder scan and the outbox under load. Part of `make bench` (bench/run.py).

1. The minute scan with nothing due, on the meetings api_reads built (100,000, all ended more
   than a year ago), next to the floor of one trivial query. Goal: within 10× of it.
2. 10,000 due emails sent by two Celery worker processes to a loopback SMTP sink, next to a
   plain smtplib loop sending as many to the same sink in the same run. Goal: at least 0.9×
   its rate, all within 30 s, and the workers' RSS as flat at the end as before the first.
"""

import contextlib
import dataclasses
import datetime
import logging
import os
import secrets
import signal
import smtplib
import sys
import tempfile
import time
import uuid
from email.message import EmailMessage
from pathlib import Path

from bench.common import best_of

EMAILS = 10_000
WORKERS = 2
WARM_UP = 200  # emails, before the workers' first RSS figure and the timing


class Sink:
    """An SMTP server that accepts everything and counts."""

    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


@dataclasses.dataclass
class Scan:
    floor: float
    scan: float
    rules: dict  # seconds per enabled rule kind


def scan_figures() -> Scan:
    from notifications import registry, services
    from notifications.models import ReminderRule

    now = datetime.datetime.now(datetime.UTC)
    assert services.reminder_scan(now=now) == 0, "the bench data should have nothing due"
    rules = {}
    for rule in ReminderRule.objects.filter(enabled=True):
        spec = registry.get(rule.kind)
        rules[rule.kind] = best_of(lambda rule=rule, spec=spec: list(spec.find_due(rule, now)))
    return Scan(
        floor=best_of(lambda: ReminderRule.objects.filter(enabled=True).count(), repeats=15),
        scan=best_of(lambda: services.reminder_scan(now=now), repeats=15),
        rules=rules,
    )


@dataclasses.dataclass
class Outbox:
    plain_rate: float  # emails/s, one smtplib connection
    rate: float  # emails/s through the outbox and the workers
    elapsed: float
    rss_start: int  # bytes, the largest worker's resident set before the first email
    rss_end: int  # the same after the last


def outbox_figures(broker: str) -> Outbox:
    from aiosmtpd.controller import Controller

    from notifications.tests.smtp import free_port

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        plain = _smtplib_rate(port)
        return Outbox(plain, *_outbox_rate(port, sink, broker))
    finally:
        controller.stop()


def _smtplib_rate(port) -> float:
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as client:
        for n in range(EMAILS):
            message = EmailMessage()
            message["From"], message["To"] = "bench@localhost", f"plain{n}@example.com"
            message["Subject"] = "간담회 안내"
            message.set_content("본문")
            client.send_message(message)
    return EMAILS / (time.perf_counter() - start)


@contextlib.contextmanager
def _output_to(path: Path):
    """Points this process's stdout and stderr at `path` while it starts workers, which inherit
    them: their banners and shutdown notes stay out of the table."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(path, "ab") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
    try:
        yield
    finally:
        for fd, copy in zip((1, 2), saved, strict=True):
            os.dup2(copy, fd)
            os.close(copy)


def _rss(pid) -> int:
    """Bytes resident in memory for process `pid` (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise LookupError(pid)


def _outbox_rate(port, sink, broker) -> tuple[float, float, int, int]:
    from django.conf import settings

    from notifications.tests.processes import start_worker

    queue = f"bench-{uuid.uuid4().hex}"
    with _output_to(Path(settings.VAR_DIR) / "outbox-workers.log"):
        workers = [
            start_worker(
                queue=queue,
                broker=broker,
                smtp_port=port,
                var_dir=tempfile.mkdtemp(dir=settings.VAR_DIR),
                # As deployed: with DEBUG on, Django keeps every query in memory, which grows
                # the RSS measured here and costs time on each statement.
                DJANGO_DEBUG="0",
                DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            )
            for _ in range(WORKERS)
        ]
    try:
        # Warm-up, untimed: each worker imports what sending needs with its first drain, which
        # is neither the rate nor memory that grows with the emails.
        _queue("bench-warm-up", WARM_UP)
        _drain_all(queue, broker, time.perf_counter())
        rss_start = max(_rss(worker.pid) for worker in workers)
        _queue("bench", EMAILS)
        before = sink.count
        start = time.perf_counter()
        _drain_all(queue, broker, start)
        elapsed = time.perf_counter() - start
        rss_end = max(_rss(worker.pid) for worker in workers)
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait()
    assert sink.count - before == EMAILS
    return EMAILS / elapsed, elapsed, rss_start, rss_end


def _queue(kind, count) -> None:
    from notifications import services
    from notifications.registry import Recipient

    services.email_queue(
        emails=[
            services.email_build(
                kind=kind,
                recipient=Recipient(email=f"contact{n}@example.com"),
                subject="간담회 안내",
                body_text="본문",
            )
            for n in range(count)
        ]
    )


def _drain_all(queue, broker, start) -> None:
    """One drain task per worker; returns once every email is marked sent."""
    from notifications.models import OutboundEmail
    from roundtable.celery import app

    with app.connection_for_write(broker) as connection:
        for _ in range(WORKERS):
            app.send_task("notifications.tasks.drain_outbox", queue=queue, connection=connection)
    while OutboundEmail.objects.exclude(state="sent").exists():
        if time.perf_counter() - start > 300:
            raise SystemExit("not all emails were sent within 300 s")
        time.sleep(0.05)
