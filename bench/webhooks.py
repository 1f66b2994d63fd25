"""Webhook deliveries under load. Part of `make bench` (bench/run.py, part `webhooks`).

1. 2,000 queued deliveries sent by two Celery worker processes to a receiver on loopback (a
   threaded HTTP server), next to a plain `requests.post` loop sending as many signed bodies to
   the same receiver in the same run. Goal: at least 0.7 of its rate.
2. The delay from a meeting change's commit to its arrival at the receiver, woken by the
   commit (no scan), 200 changes a tenth of a second apart: p50 and p99.
"""

import dataclasses
import datetime
import json
import os
import signal
import statistics
import tempfile
import time
from pathlib import Path

DELIVERIES = 2_000
WORKERS = 2
CHANGES = 200


@dataclasses.dataclass
class Webhooks:
    plain_rate: float  # deliveries/s, a requests loop
    rate: float  # deliveries/s through the queue and the workers
    elapsed: float
    p50: float  # seconds from a commit to its arrival
    p99: float


def webhooks_figures(broker: str) -> Webhooks:
    import redis
    from django.conf import settings

    from bench.reminders import _output_to
    from webhooks.tests.receiver import Receiver

    redis.Redis.from_url(broker).flushdb()  # no wake-up left from an earlier run
    settings.WEBHOOK_ALLOW_PRIVATE, settings.DEBUG = True, True  # the receiver: http, loopback
    with Receiver() as receiver:
        plain = _plain_rate(receiver)
        _queue_deliveries(receiver)
        # The fan-out's commit left a wake-up in the broker: workers would start sending before
        # the timed drain and the rate would miss what they sent.
        redis.Redis.from_url(broker).flushdb()
        log = Path(settings.VAR_DIR) / "webhook-workers.log"
        with _output_to(log):
            workers = [_worker(broker, "celery") for _ in range(WORKERS)]
        try:
            time.sleep(3)  # workers up
            rate, elapsed = _queued_rate(receiver, broker)
            p50, p99 = _delays(receiver)
        finally:
            for worker in workers:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait()
    return Webhooks(plain, rate, elapsed, p50, p99)


def _worker(broker, queue):
    from django.conf import settings

    from notifications.tests.processes import start_worker

    return start_worker(
        queue=queue,
        broker=broker,
        smtp_port=1,
        var_dir=tempfile.mkdtemp(dir=settings.VAR_DIR),
        WEBHOOK_ALLOW_PRIVATE="1",
        DJANGO_DEBUG="1",
    )


def _plain_rate(receiver) -> float:
    """The floor: the same signed POSTs in a loop, one connection each, as the workers do."""
    import requests
    from standardwebhooks.webhooks import Webhook

    from webhooks.models import new_secret, new_webhook_id

    signer = Webhook(new_secret())
    body = json.dumps({"type": "meeting.changed", "timestamp": "", "data": {}})
    start = time.perf_counter()
    for _ in range(DELIVERIES):
        now = datetime.datetime.now(datetime.UTC)
        msg_id = new_webhook_id()
        headers = {
            "webhook-id": msg_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": signer.sign(msg_id=msg_id, timestamp=now, data=body),
            "Content-Type": "application/json",
        }
        response = requests.post(receiver.url, data=body.encode(), headers=headers, timeout=15)
        response.raise_for_status()
    return DELIVERIES / (time.perf_counter() - start)


def _queue_deliveries(receiver) -> None:
    """DELIVERIES queued deliveries, before any worker is up: the workers only send."""
    from django.contrib.auth import get_user_model

    from events.models import Meeting
    from events.tests.factories import MeetingFactory, SeriesFactory
    from webhooks import services
    from webhooks.models import Delivery

    owner = get_user_model().objects.create_superuser("bench-webhooks", "bench@example.com")
    MeetingFactory.create_batch(DELIVERIES, series=SeriesFactory())
    services.subscription_create(
        owner=owner, url=receiver.url, events=["meeting.created", "meeting.changed"]
    )
    # One queryset update: one change-log row per meeting, and no wake-up (no save()).
    Meeting.objects.update(venue="판교")
    services.feed_fan_out()
    queued = Delivery.objects.filter(state="queued").count()
    assert queued == DELIVERIES, queued


def _queued_rate(receiver, broker) -> tuple[float, float]:
    from roundtable.celery import app
    from webhooks.models import Delivery

    before = len(receiver.received)
    start = time.perf_counter()
    with app.connection_for_write(broker) as connection:
        for _ in range(WORKERS):
            app.send_task("webhooks.tasks.deliver_webhooks", queue="celery", connection=connection)
    while Delivery.objects.exclude(state="delivered").exists():
        if time.perf_counter() - start > 300:
            raise SystemExit("not all webhooks were delivered within 300 s")
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    assert len(receiver.received) - before >= DELIVERIES
    return DELIVERIES / elapsed, elapsed


def _delays(receiver) -> tuple[float, float]:
    from events.models import Meeting

    meetings = list(Meeting.objects.order_by("pk")[:CHANGES])
    with receiver.lock:
        already = len(receiver.received)  # the rate's deliveries, of the same meetings
    committed = {}
    for number, meeting in enumerate(meetings):
        meeting.venue = f"판교 {number}"
        meeting.save()  # autocommit: the commit wakes a worker
        committed[str(meeting.pk)] = time.monotonic()
        time.sleep(0.1)
    deadline = time.monotonic() + 60
    arrived = {}
    while len(arrived) < CHANGES and time.monotonic() < deadline:
        with receiver.lock:
            received = receiver.received[already:]
        for got in received:
            body = json.loads(got.body)
            if body["type"] == "meeting.changed" and body["data"].get("id") in committed:
                arrived.setdefault(body["data"]["id"], got.at)
        time.sleep(0.05)
    if len(arrived) < CHANGES:
        raise SystemExit(f"only {len(arrived)} of {CHANGES} changes arrived within 60 s")
    delays = sorted(arrived[pk] - committed[pk] for pk in committed)
    return statistics.median(delays), delays[int(len(delays) * 0.99) - 1]
