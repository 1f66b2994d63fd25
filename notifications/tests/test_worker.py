"""Real Celery workers, a real broker, a real SMTP server: a worker killed mid-batch loses and
doubles nothing."""

import os
import signal
import time
import uuid

from notifications import services
from notifications.models import OutboundEmail
from notifications.registry import Recipient
from notifications.tests.processes import BROKER, OTHER_PROCESSES, start_worker
from notifications.tests.smtp import SMTPServer
from roundtable.celery import app

pytestmark = OTHER_PROCESSES

EMAILS = 500


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


def test_a_worker_killed_mid_batch_leaves_every_recipient_exactly_one_email(tmp_path):
    services.email_queue(
        emails=[
            services.email_build(
                kind="load-test",
                recipient=Recipient(email=f"contact{n}@example.com"),
                subject=f"안내 {n}",
                body_text="본문",
            )
            for n in range(EMAILS)
        ]
    )
    queue = f"test-{uuid.uuid4().hex}"
    with SMTPServer(delay=0.01) as server:
        mailbox = server.mailbox
        first = start_worker(
            queue=queue,
            broker=BROKER,
            smtp_port=server.port,
            var_dir=tmp_path,
            EMAIL_STUCK_AFTER_SECONDS="2",
        )
        try:
            send("notifications.tasks.drain_outbox", queue)
            # Mid-batch: batches are 20, so 107 delivered means a batch is half sent.
            assert wait_for(lambda: len(mailbox.messages) >= 107)
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
        finally:
            if first.poll() is None:
                os.killpg(first.pid, signal.SIGKILL)
        delivered_before_restart = len(mailbox.messages)
        assert delivered_before_restart < EMAILS
        assert OutboundEmail.objects.filter(state="sending").exists()

        second = start_worker(
            queue=queue,
            broker=BROKER,
            smtp_port=server.port,
            var_dir=tmp_path,
            EMAIL_STUCK_AFTER_SECONDS="2",
        )
        try:
            time.sleep(2.5)  # past EMAIL_STUCK_AFTER: the scan sweeps the dead worker's rows
            send("notifications.tasks.scan_reminders", queue)
            assert wait_for(
                lambda: not OutboundEmail.objects.exclude(state="sent").exists(), timeout=120
            ), OutboundEmail.objects.exclude(state="sent").values_list("state", flat=True)[:5]
        finally:
            os.killpg(second.pid, signal.SIGTERM)
            second.wait(timeout=30)

    by_recipient = {}
    for message in mailbox.messages:
        by_recipient.setdefault(message["To"], set()).add(message["Message-ID"])
    assert len(by_recipient) == EMAILS
    # One message each; at most the one in flight when the worker died went out twice, and
    # then with the same Message-ID, so mail clients show it once.
    assert all(len(ids) == 1 for ids in by_recipient.values())
    assert len(mailbox.messages) - EMAILS <= 1
