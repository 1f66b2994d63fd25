"""Deliveries to a real receiver on loopback, verified with the standardwebhooks library."""

import datetime
import json
import logging
import socket

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from events.tests.factories import MeetingFactory
from notifications.models import OutboundEmail
from webhooks import services, transport
from webhooks.models import Delivery, Subscription

from .factories import subscription
from .receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def loopback(settings):
    """Deliveries may go to loopback and over http:// (as with DJANGO_DEBUG=1)."""
    settings.WEBHOOK_ALLOW_PRIVATE = True
    settings.DEBUG = True


@pytest.fixture
def receiver(loopback):
    with Receiver() as receiver:
        yield receiver


def one_meeting_event(owner, receiver, **fields):
    sub = subscription(owner, url=receiver.url, **fields)
    MeetingFactory()
    services.feed_fan_out()
    return sub, Delivery.objects.get(subscription=sub)


def test_a_delivery_is_signed_as_the_standard_webhooks_libraries_verify_it(coordinator, receiver):
    sub, delivery = one_meeting_event(coordinator, receiver)
    assert services.webhooks_deliver() == 1
    (got,) = receiver.received
    payload = got.verified(sub.secret)
    assert payload["type"] == "meeting.created"
    assert got.headers["webhook-id"] == delivery.webhook_id
    assert got.headers["content-type"] == "application/json"
    assert got.headers["webhook-signature"].startswith("v1,")
    with pytest.raises(WebhookVerificationError):
        Webhook(Subscription().secret).verify(got.body, got.headers)
    delivery.refresh_from_db()
    sub.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("delivered", 1, 200)
    assert delivery.last_response == "ok"
    assert sub.last_success_at is not None


def test_retries_back_off_for_over_a_day_with_the_same_id_and_body(
    coordinator, receiver, time_machine
):
    receiver.status = 503
    sub, delivery = one_meeting_event(coordinator, receiver)
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    waits = []
    for _ in range(services.MAX_ATTEMPTS):
        services.webhooks_deliver()
        delivery.refresh_from_db()
        if delivery.state == "failed":
            break
        waits.append(delivery.next_try_at - timezone.now())
        time_machine.move_to(delivery.next_try_at)
    assert delivery.state == "failed"
    assert delivery.attempts == services.MAX_ATTEMPTS == len(receiver.received)
    assert waits[0] >= datetime.timedelta(seconds=5)
    assert sum(waits, datetime.timedelta()) >= datetime.timedelta(hours=24)
    assert waits[-1] >= datetime.timedelta(hours=10)
    assert {r.headers["webhook-id"] for r in receiver.received} == {delivery.webhook_id}
    assert {r.body for r in receiver.received} == {delivery.body.encode()}
    assert delivery.last_status == 503
    sub.refresh_from_db()
    assert sub.active  # failing for a day is not five


def test_the_receiver_down_for_a_while_then_up_gets_the_event(coordinator, receiver, time_machine):
    _, delivery = one_meeting_event(coordinator, receiver)
    receiver.stop()
    services.webhooks_deliver()
    delivery.refresh_from_db()
    assert delivery.state == "queued" and "Connection" in delivery.last_error
    receiver.start()
    time_machine.move_to(delivery.next_try_at)
    services.webhooks_deliver()
    delivery.refresh_from_db()
    assert delivery.state == "delivered" and delivery.attempts == 2
    assert len(receiver.received) == 1


def test_410_switches_the_subscription_off_at_once_and_tells_the_owner(coordinator, receiver):
    receiver.status = 410
    sub, _ = one_meeting_event(coordinator, receiver)
    MeetingFactory()
    services.feed_fan_out()
    services.webhooks_deliver()
    sub.refresh_from_db()
    assert not sub.active and sub.disabled_reason == "gone"
    # The second event is kept, not sent, until the subscription is on again.
    assert len(receiver.received) == 1
    assert Delivery.objects.filter(subscription=sub, state="queued").count() == 1
    email = OutboundEmail.objects.get(kind=services.DISABLED_OUTBOX)
    assert email.recipient == coordinator.email
    assert sub.url in email.body_text and "410" in email.body_text

    receiver.status = 200
    services.subscription_update(subscription=sub, active=True)
    services.webhooks_deliver()
    assert len(receiver.received) == 2


def test_failing_for_five_days_switches_it_off_and_it_can_be_switched_on_again(
    coordinator, receiver, time_machine
):
    receiver.status = 500
    sub, _ = one_meeting_event(coordinator, receiver)
    start = timezone.now()
    for day in range(6):
        # A minute on each day: whatever the clock ticked on the first, day 5 is 5 days on.
        time_machine.move_to(start + datetime.timedelta(days=day, minutes=day))
        MeetingFactory()
        services.feed_fan_out()
        services.webhooks_deliver()
        sub.refresh_from_db()
        assert sub.active == (day < 5), day
    assert sub.disabled_reason == "failing"
    (email,) = OutboundEmail.objects.filter(kind=services.DISABLED_OUTBOX)
    assert "5" in email.body_text

    receiver.status = 200
    services.subscription_enable(subscriptions=Subscription.objects.filter(pk=sub.pk))
    services.webhooks_deliver()
    sub.refresh_from_db()
    assert sub.active and sub.failing_since is None
    assert not Delivery.objects.filter(subscription=sub, state="queued").exists()


def test_a_redirect_is_a_failure_and_is_not_followed(coordinator, receiver):
    receiver.status = 302
    _, delivery = one_meeting_event(coordinator, receiver)
    services.webhooks_deliver()
    delivery.refresh_from_db()
    assert len(receiver.received) == 1  # the Location was not asked for
    assert (delivery.state, delivery.last_status) == ("queued", 302)
    assert delivery.last_error == "redirect not followed"


def test_at_most_64_kb_of_an_answer_is_read_and_a_short_excerpt_kept(coordinator, receiver):
    receiver.body = "가".encode() * 400_000
    _, delivery = one_meeting_event(coordinator, receiver)
    answer = transport.post(receiver.url, body=b"{}", headers={}, timeout=5)
    assert len(answer.body) == transport.MAX_RESPONSE_BYTES
    services.webhooks_deliver()
    delivery.refresh_from_db()
    assert delivery.state == "delivered"
    assert delivery.last_response == "가" * len(delivery.last_response)
    assert 0 < len(delivery.last_response) <= 200


def test_a_slow_receiver_times_out(coordinator, receiver, settings):
    settings.WEBHOOK_TIMEOUT = 1
    receiver.delay = 3
    _, delivery = one_meeting_event(coordinator, receiver)
    services.webhooks_deliver()
    delivery.refresh_from_db()
    assert delivery.state == "queued"
    assert "timed out" in delivery.last_error


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.10",
        "172.16.5.4",
        "169.254.169.254",
        "224.0.0.1",
        "::1",
        "fe80::1",
        "fd00::1",
        "::ffff:127.0.0.1",
        "0.0.0.0",
    ],
)
def test_loopback_private_link_local_and_multicast_addresses_are_refused(address, settings):
    settings.DEBUG = True
    host = f"[{address}]" if ":" in address else address
    assert transport.url_problem(f"http://{host}/hook")
    settings.WEBHOOK_ALLOW_PRIVATE = True
    assert transport.url_problem(f"http://{host}/hook") == ""


def test_a_name_is_checked_where_it_resolves_at_delivery_time(
    coordinator, receiver, settings, monkeypatch
):
    """DNS rebinding: the name was public when saved, and resolves to loopback now."""
    settings.WEBHOOK_ALLOW_PRIVATE = False
    sub = subscription(coordinator, url=f"http://hooks.example.com:{receiver.port}/hook/")
    real = socket.getaddrinfo

    def rebound(host, *args, **kwargs):
        return real("127.0.0.1" if host == "hooks.example.com" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebound)
    MeetingFactory()
    services.feed_fan_out()
    services.webhooks_deliver()
    delivery = Delivery.objects.get(subscription=sub)
    assert receiver.received == []
    assert delivery.last_error == "refused: hooks.example.com resolves to a loopback address"

    # Allowed, the connection goes to the checked address with the name as Host.
    settings.WEBHOOK_ALLOW_PRIVATE = True
    services.delivery_retry(deliveries=Delivery.objects.filter(pk=delivery.pk))
    services.webhooks_deliver()
    (got,) = receiver.received
    assert got.headers["host"] == f"hooks.example.com:{receiver.port}"


def test_with_debug_off_only_https_urls_are_accepted(coordinator, settings):
    settings.DEBUG = False
    with pytest.raises(ValidationError) as refused:
        subscription(coordinator, url="http://hooks.example.com/")
    assert "https" in str(refused.value)
    assert transport.url_problem("https://hooks.example.com/") == ""


def test_during_a_rotation_both_signatures_are_sent(coordinator, receiver, time_machine):
    sub, _ = one_meeting_event(coordinator, receiver)
    old = sub.secret
    new = services.subscription_rotate_secret(subscription=sub)
    assert new != old and new.startswith("whsec_")
    services.webhooks_deliver()
    (got,) = receiver.received
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    assert got.verified(old) == got.verified(new)

    time_machine.move_to(timezone.now() + services.ROTATION_OVERLAP + datetime.timedelta(seconds=1))
    MeetingFactory()
    services.feed_fan_out()
    services.webhooks_deliver()
    last = receiver.received[-1]
    assert len(last.headers["webhook-signature"].split(" ")) == 1
    last.headers["webhook-timestamp"] = str(int(datetime.datetime.now().timestamp()))
    with pytest.raises(WebhookVerificationError):
        last.verified(old)


def test_the_secret_is_never_logged_nor_kept_in_the_log(coordinator, receiver, caplog):
    receiver.status = 500
    receiver.body = b"internal error"
    sub, delivery = one_meeting_event(coordinator, receiver)
    with caplog.at_level(logging.DEBUG):
        services.webhooks_deliver()
    delivery.refresh_from_db()
    key = sub.secret.removeprefix("whsec_")
    assert key not in caplog.text
    assert key not in delivery.last_error + delivery.last_response + delivery.body
    assert delivery.last_response == "internal error"


def test_a_delivery_left_sending_by_a_dead_worker_is_queued_again(coordinator, settings):
    sub = subscription(coordinator)
    MeetingFactory()
    services.feed_fan_out()
    (claimed,) = services.deliveries_claim()
    assert services.deliveries_sweep() == 0
    later = timezone.now() + settings.WEBHOOK_STUCK_AFTER + datetime.timedelta(seconds=1)
    assert services.deliveries_sweep(now=later) == 1
    assert Delivery.objects.get(pk=claimed, subscription=sub).state == "queued"


def test_the_log_keeps_thirty_days(coordinator):
    sub = subscription(coordinator)
    for _ in range(3):
        MeetingFactory()
        services.feed_fan_out()
    old, kept, waiting = Delivery.objects.filter(subscription=sub).order_by("id")
    Delivery.objects.filter(pk=old.pk).update(
        state="delivered",
        delivered_at=timezone.now(),
        created_at=timezone.now() - datetime.timedelta(days=31),
    )
    Delivery.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert services.deliveries_prune() == 1
    assert set(Delivery.objects.values_list("pk", flat=True)) == {kept.pk, waiting.pk}


def test_the_body_is_the_event_the_contract_names(coordinator, receiver):
    one_meeting_event(coordinator, receiver)
    services.webhooks_deliver()
    body = json.loads(receiver.received[0].body)
    assert body["type"] == "meeting.created" and set(body["data"]) == {"id", "version"}
