"""Real Celery workers, a real broker, a real receiver on loopback: every event arrives, signed,
in spite of a worker killed mid-delivery or a broker that is down."""

import contextlib
import os
import signal
import time
import uuid

import pytest
from django.db import transaction

from events.tests.factories import MeetingFactory
from followups import services as requests
from notifications.tests.processes import BROKER, OTHER_PROCESSES, start_worker
from roundtable.celery import app
from stakeholders.tests.factories import OrganizationFactory
from webhooks import services
from webhooks.models import Delivery

from .factories import subscription
from .receiver import Receiver

pytestmark = OTHER_PROCESSES
EVENTS = 40


@pytest.fixture(autouse=True)
def loopback(settings):
    """The receiver is on loopback, over http:// (as with DJANGO_DEBUG=1, which the workers
    run with)."""
    settings.WEBHOOK_ALLOW_PRIVATE = True
    settings.DEBUG = True


@contextlib.contextmanager
def broker_at(url):
    """This process's wake-ups go to `url`, and to the real broker again afterwards. The app
    forgets its pools, which are kombu's, one per address, and stay open for the next user."""
    original = app.conf.broker_url

    def point_at(target):
        app._pool = None
        app.amqp._producer_pool = None
        app.conf.broker_url = target

    point_at(url)
    try:
        yield
    finally:
        point_at(original)


def send(task, queue):
    with app.connection_for_write(BROKER) as connection:
        app.send_task(task, queue=queue, connection=connection)


def wait_for(condition, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def worker(queue, tmp_path, **env):
    return start_worker(
        queue=queue,
        broker=BROKER,
        smtp_port=1,
        var_dir=tmp_path,
        WEBHOOK_ALLOW_PRIVATE="1",
        DJANGO_DEBUG="1",
        **env,
    )


def stop(process, sig=signal.SIGTERM):
    if process.poll() is None:
        os.killpg(process.pid, sig)
    process.wait(timeout=30)


def delivered_ids():
    return set(Delivery.objects.filter(state="delivered").values_list("webhook_id", flat=True))


def test_a_worker_killed_mid_delivery_loses_no_event(coordinator, tmp_path):
    with Receiver(delay=0.05) as receiver:
        sub = subscription(coordinator, url=receiver.url, events=["meeting.created"])
        for _ in range(EVENTS):
            MeetingFactory()
        queue = f"test-{uuid.uuid4().hex}"
        first = worker(queue, tmp_path, WEBHOOK_STUCK_AFTER_SECONDS="2")
        try:
            send("webhooks.tasks.deliver_webhooks", queue)
            assert wait_for(lambda: len(receiver.received) >= 15)  # mid-batch: batches are 10
        finally:
            stop(first, signal.SIGKILL)
        assert len(receiver.received) < EVENTS
        assert Delivery.objects.filter(state="sending").exists()

        second = worker(queue, tmp_path, WEBHOOK_STUCK_AFTER_SECONDS="2")
        try:
            time.sleep(2.5)  # past WEBHOOK_STUCK_AFTER: the scan sweeps the dead worker's rows
            send("webhooks.tasks.scan_webhooks", queue)
            assert wait_for(lambda: len(delivered_ids()) == EVENTS)
        finally:
            stop(second)
        # Each event arrived, signed; one the killed worker had sent came again, same id.
        got = {r.headers["webhook-id"] for r in receiver.received}
        assert got == delivered_ids()
        assert all(r.verified(sub.secret)["type"] == "meeting.created" for r in receiver.received)
        assert len(receiver.received) <= EVENTS + services.BATCH_SIZE


def test_with_the_broker_down_events_are_kept_and_delivered_later(coordinator, tmp_path, caplog):
    with Receiver() as receiver:
        sub = subscription(coordinator, url=receiver.url)
        # Nothing listens at the broker's address while the changes commit.
        with broker_at("redis://127.0.0.1:1/0"), transaction.atomic():
            meeting = MeetingFactory()
            requests.request_create(
                meeting=meeting,
                organization=OrganizationFactory(),
                category="data",
                text="데이터 개방",
            )
        assert "Could not reach the Celery broker" in caplog.text
        assert Delivery.objects.filter(subscription=sub).count() == 1  # the request's
        queue = f"test-{uuid.uuid4().hex}"
        process = worker(queue, tmp_path)
        try:
            send("webhooks.tasks.scan_webhooks", queue)  # what beat does every minute
            assert wait_for(lambda: len(receiver.received) == 2)
        finally:
            stop(process)
        types = sorted(r.verified(sub.secret)["type"] for r in receiver.received)
        assert types == ["meeting.created", "request.created"]


def test_a_commit_wakes_a_worker(coordinator, tmp_path):
    """No scan: the commit's wake-up alone brings the event to the receiver."""
    with Receiver() as receiver:
        sub = subscription(coordinator, url=receiver.url, events=["meeting.changed"])
        meeting = MeetingFactory()
        services.feed_fan_out()  # its creation is read: what follows is a change
        process = worker("celery", tmp_path)
        try:
            time.sleep(1)  # the worker is listening
            meeting.venue = "판교"
            meeting.save()
            assert wait_for(
                lambda: any(
                    r.verified(sub.secret)["type"] == "meeting.changed" for r in receiver.received
                ),
                timeout=30,
            )
        finally:
            stop(process)
