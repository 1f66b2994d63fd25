"""The outbox against a real SMTP server on loopback: once, retried, visibly failed."""

import datetime

import psycopg
import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from notifications import services
from notifications.models import OutboundEmail
from notifications.registry import Recipient
from notifications.tests.processes import OTHER_PROCESSES, database_url
from notifications.tests.smtp import Mailbox, free_port

pytestmark = pytest.mark.django_db


def queue(address="kim@posco.example", occurrence="1", **fields):
    email = services.email_build(
        kind="test",
        recipient=Recipient(email=address, name="김포스"),
        subject="간담회 안내",
        body_text="안녕하세요.\n내일 뵙겠습니다.",
        body_html="<p>안녕하세요.</p>",
        subject_type="events.meeting",
        subject_id="m-1",
        occurrence=occurrence,
        headers={"List-Unsubscribe": "<http://127.0.0.1:8000/unsubscribe/x/>"},
        attachments=[
            {"filename": "meeting.ics", "content": "BEGIN:VCALENDAR", "mimetype": "text/calendar"}
        ],
        **fields,
    )
    return services.email_queue(emails=[email])


def test_an_email_is_sent_once_with_its_message_id_parts_and_headers(smtp):
    assert queue() == 1
    assert services.outbox_drain() == 1
    assert services.outbox_drain() == 0
    [message] = smtp.messages
    row = OutboundEmail.objects.get()
    assert row.state == OutboundEmail.State.SENT and row.sent_at
    assert message["Message-ID"] == row.message_id
    assert message["Subject"] == "간담회 안내"
    assert message["List-Unsubscribe"] == "<http://127.0.0.1:8000/unsubscribe/x/>"
    assert message.get_body(("plain",)).get_content().startswith("안녕하세요.")
    assert "<p>안녕하세요.</p>" in message.get_body(("html",)).get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "meeting.ics"


def test_the_same_key_is_queued_once_however_often_asked(smtp):
    assert queue() == 1
    assert queue() == 0
    assert queue(occurrence="2") == 1
    assert OutboundEmail.objects.count() == 2


def test_a_refusal_is_retried_then_fails_visibly_and_a_coordinator_retry_sends_once(smtp):
    queue()
    smtp.refuse = "451 Try again later"
    assert services.outbox_drain() == 0
    row = OutboundEmail.objects.get()
    assert (row.state, row.attempts) == (OutboundEmail.State.QUEUED, 1)
    assert "451" in row.last_error
    assert row.next_try_at > timezone.now()  # backs off: not tried again at once
    assert services.outbox_drain() == 0

    OutboundEmail.objects.update(next_try_at=timezone.now())
    smtp.refuse = "550 Mailbox unavailable"
    services.outbox_drain()
    row.refresh_from_db()
    assert row.state == OutboundEmail.State.FAILED and "550" in row.last_error

    smtp.refuse = None
    assert services.email_retry(emails=OutboundEmail.objects.all()) == 1
    assert services.outbox_drain() == 1
    assert len(smtp.messages) == 1


def test_temporary_failures_end_in_failed_after_the_last_attempt(smtp):
    queue()
    smtp.refuse = "421 Service not available"
    for _ in range(services.MAX_ATTEMPTS):
        OutboundEmail.objects.filter(state="queued").update(next_try_at=timezone.now())
        services.outbox_drain()
    row = OutboundEmail.objects.get()
    assert (row.state, row.attempts) == (OutboundEmail.State.FAILED, services.MAX_ATTEMPTS)


def test_an_unreachable_server_is_a_retry_not_a_loss(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    queue()
    services.outbox_drain()
    row = OutboundEmail.objects.get()
    assert row.state == OutboundEmail.State.QUEUED and row.last_error


def test_a_row_stuck_in_sending_is_swept_back_and_sent(smtp, settings):
    queue()
    services.outbox_claim()  # a worker claims it, then dies
    assert services.outbox_drain() == 0
    assert services.outbox_sweep() == 0  # not yet: its worker may still be sending
    later = timezone.now() + settings.EMAIL_STUCK_AFTER + datetime.timedelta(seconds=1)
    assert services.outbox_sweep(now=later) == 1
    assert services.outbox_drain() == 1
    assert len(smtp.messages) == 1


class MarksSeen(Mailbox):
    """Counts, as each message arrives, the emails another connection sees marked sent."""

    def __init__(self, url):
        super().__init__()
        self.url = url
        self.seen = []

    async def handle_DATA(self, server, session, envelope):
        with psycopg.connect(self.url) as connection:
            (count,) = connection.execute(
                "SELECT count(*) FROM notifications_outboundemail WHERE state = 'sent'"
            ).fetchone()
        self.seen.append(count)
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.parametrize("count", [1, 3])
@OTHER_PROCESSES[2]
@pytest.mark.usefixtures("committed")
def test_each_email_is_marked_sent_and_committed_before_the_next_reaches_the_server(
    settings, count
):
    for n in range(count):
        queue(occurrence=str(n))
    handler = MarksSeen(database_url())
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        assert services.outbox_drain() == count
    finally:
        controller.stop()
    # A worker killed at any point has at most one accepted email without its mark.
    assert handler.seen == list(range(count))
    assert OutboundEmail.objects.filter(state="sent").count() == count
