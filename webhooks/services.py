"""Queueing, fanning out and delivering webhook events (README, Webhooks).

At least once, as the email outbox does it: a delivery is a row with a unique key, queued in
the transaction of its cause (a request's service) or from the meeting feed the change log's
trigger fills (`feed_fan_out`, which reads and removes its rows in one transaction); workers
claim due rows (`FOR UPDATE SKIP LOCKED` on PostgreSQL), POST them signed, and mark them. A
row left in `sending` by a worker that died goes back to the queue after
WEBHOOK_STUCK_AFTER; the one window no database closes, a worker killed after the receiver
answered and before the row was marked, sends the same `webhook-id` again.

Retries wait in the database (`next_try_at`), picked up by the minute scan: a broker holds no
long countdown. Services import the tasks; the tasks import services inside their bodies.
"""

import dataclasses
import datetime
import json
import logging
import random

from django.conf import settings
from django.db import transaction
from django.db.models import F, Min
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from notifications import registry
from notifications import services as mail

from . import rules, texts, transport
from .models import (
    MEETING_EVENTS,
    Delivery,
    EventType,
    MeetingFeed,
    Subscription,
    new_secret,
)
from .tasks import deliver_webhooks

log = logging.getLogger(__name__)

BATCH_SIZE = 10
FEED_BATCH_SIZE = 500
# Waits after the 1st, 2nd, … failure (README, Webhooks: retries), ~27.5 hours in all, each
# stretched by up to a fifth at random so that receivers coming back are not hit at once.
BACKOFF = [
    datetime.timedelta(seconds=5),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=5),
    datetime.timedelta(hours=10),
    datetime.timedelta(hours=10),
]
MAX_ATTEMPTS = len(BACKOFF) + 1
FAILING_FOR = datetime.timedelta(days=5)
ROTATION_OVERLAP = datetime.timedelta(hours=24)
# A wake-up with a countdown only for a retry due this soon; later ones wait for the scan.
SOON = datetime.timedelta(seconds=60)
EXCERPT = 200
DISABLED_OUTBOX = "webhooks.disabled"
# How long the delivery log keeps a delivered or failed row.
RETENTION = datetime.timedelta(days=30)


def _backoff(attempts: int) -> datetime.timedelta:
    return BACKOFF[attempts - 1] * (1 + random.random() / 5)


# --- Subscriptions --------------------------------------------------------------------------


@transaction.atomic
def subscription_create(*, owner, url, events, description="", active=True) -> Subscription:
    """A new subscription with a fresh secret (its `secret` is shown to the owner once)."""
    subscription = Subscription(
        owner=owner, url=url, events=list(events), description=description, active=active
    )
    subscription.full_clean()
    subscription.save()
    return subscription


@transaction.atomic
def subscription_update(*, subscription: Subscription, **fields) -> Subscription:
    """Changes url, events, description or `active`; switching one on again clears why it was
    off and its failing streak, and its queued deliveries go out now."""
    was_active = Subscription.objects.filter(pk=subscription.pk, active=True).exists()
    for name, value in fields.items():
        setattr(subscription, name, list(value) if name == "events" else value)
    if subscription.active:
        subscription.disabled_reason = ""
        subscription.failing_since = None
    elif not subscription.disabled_reason:
        subscription.disabled_reason = Subscription.Disabled.BY_OWNER
    subscription.full_clean()
    subscription.save()
    if subscription.active and not was_active:
        subscription.deliveries.filter(state=Delivery.State.QUEUED).update(
            next_try_at=timezone.now()
        )
        transaction.on_commit(webhooks_wake)
    return subscription


def subscription_enable(*, subscriptions) -> int:
    """Switches the given subscriptions (a queryset) on again; returns how many were off."""
    count = 0
    for subscription in subscriptions.filter(active=False):
        subscription_update(subscription=subscription, active=True)
        count += 1
    return count


@transaction.atomic
def subscription_rotate_secret(*, subscription: Subscription, now=None) -> str:
    """A new signing secret, returned once; for ROTATION_OVERLAP deliveries carry the old
    one's signature too, so that the receiver can switch without losing one."""
    now = now or timezone.now()
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    subscription.previous_secret = subscription.secret
    subscription.previous_secret_until = now + ROTATION_OVERLAP
    subscription.secret = new_secret()
    subscription.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    return subscription.secret


# --- Events ---------------------------------------------------------------------------------


def _body(event_type: str, timestamp: datetime.datetime, data: dict) -> str:
    return json.dumps(
        {"type": event_type, "timestamp": timestamp.isoformat(), "data": data},
        separators=(",", ":"),
        ensure_ascii=False,
    )


def request_events_queue(*, request, created: bool) -> int:
    """Queues request.created / request.changed for every subscription whose owner may see the
    request; part of the caller's transaction (followups.signals.request_saved)."""
    event_type = EventType.REQUEST_CREATED if created else EventType.REQUEST_CHANGED
    subscriptions = [
        s
        for s in Subscription.objects.filter(active=True).select_related("owner")
        if event_type in s.events and rules.receives_request(s.owner, request)
    ]
    if not subscriptions:
        return 0
    moment = request.updated_at or timezone.now()
    body = _body(event_type, moment, {"id": request.pk, "status": request.status})
    key = f"request:{request.pk}:{request.status}@{moment.isoformat()}"
    return _queue(
        [
            Delivery(subscription=s, event_type=event_type, event_key=key, body=body)
            for s in subscriptions
        ]
    )


def _queue(deliveries) -> int:
    if not deliveries:
        return 0
    with transaction.atomic():
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        transaction.on_commit(webhooks_wake)
    return len(deliveries)


def feed_fan_out(*, batch_size=FEED_BATCH_SIZE) -> int:
    """Turns the meeting feed's rows into deliveries, batch after batch; returns how many were
    queued. Each batch is read, queued and removed in one transaction: a worker that dies on
    the way leaves the rows for the next."""
    queued = 0
    while True:
        with transaction.atomic():
            rows = list(
                MeetingFeed.objects.order_by("id").select_for_update(skip_locked=True)[:batch_size]
            )
            if not rows:
                return queued
            queued += _queue(_meeting_deliveries(rows))
            MeetingFeed.objects.filter(id__in=[row.id for row in rows]).delete()


def _meeting_deliveries(rows) -> list[Delivery]:
    """One event per meeting and subscription for the batch's rows of that meeting, as its
    owner sees it: a meeting they may not see comes never, one that went out of their sight
    as meeting.deleted."""
    by_meeting: dict = {}
    for row in rows:
        by_meeting.setdefault(row.meeting_id, []).append(row)
    subscriptions = [
        s
        for s in Subscription.objects.filter(active=True).select_related("owner")
        if MEETING_EVENTS & set(s.events) and rules.receives_meetings(s.owner)
    ]
    if not subscriptions:
        return []
    deliveries = []
    for meeting_id, changes in by_meeting.items():
        version = _version(meeting_id, changes)
        last = changes[-1]
        data = {"id": str(meeting_id), "version": version}
        key = f"meeting:{meeting_id}:{last.id}"
        for subscription in subscriptions:
            event_type = _meeting_event(
                changes, internal=rules.receives_internal_meetings(subscription.owner)
            )
            if event_type in subscription.events:
                deliveries.append(
                    Delivery(
                        subscription=subscription,
                        event_type=event_type,
                        event_key=key,
                        body=_body(event_type, last.changed_at, data),
                    )
                )
    return deliveries


def _meeting_event(changes, *, internal: bool) -> str | None:
    first, last = changes[0], changes[-1]
    created = first.kind == "saved" and first.previous_visibility == ""
    exists = last.kind == "saved"
    if internal:
        if not exists:
            return EventType.MEETING_DELETED
        return EventType.MEETING_CREATED if created else EventType.MEETING_CHANGED
    was_seen = not created and first.previous_visibility == "public"
    is_seen = exists and last.visibility == "public"
    if is_seen:
        return EventType.MEETING_CHANGED if was_seen else EventType.MEETING_CREATED
    return EventType.MEETING_DELETED if was_seen else None


def _version(meeting_id, changes) -> int | None:
    """The meeting's version after the batch; a deleted meeting's last one known."""
    known = [row.version for row in changes if row.version is not None]
    if known:
        return known[-1]
    earlier = (
        Delivery.objects.filter(event_key__startswith=f"meeting:{meeting_id}:")
        .order_by("-id")
        .values_list("body", flat=True)
        .first()
    )
    return json.loads(earlier)["data"]["version"] if earlier else None


def webhooks_wake(*, countdown=None) -> None:
    """Asks a worker to deliver now (or in `countdown` seconds). Only a wake-up: the minute
    scan delivers too, so a broker that is down delays deliveries and loses none."""
    try:
        deliver_webhooks.apply_async(countdown=countdown, retry=False)
    except Exception as error:  # the broker is down; the next scan delivers
        log.warning(
            "Could not reach the Celery broker (%s); the next scan delivers the webhooks.", error
        )


# --- Delivering -----------------------------------------------------------------------------


def webhooks_deliver(*, batch_size=BATCH_SIZE) -> int:
    """Queues the meeting feed's events, then delivers due rows batch after batch until none is
    due; asks to be woken for a retry due within a minute. Returns how many were delivered."""
    feed_fan_out()
    delivered = 0
    while ids := deliveries_claim(batch_size=batch_size):
        delivered += delivery_send(ids=ids)
    soonest = Delivery.objects.filter(
        state=Delivery.State.QUEUED, subscription__active=True
    ).aggregate(soonest=Min("next_try_at"))["soonest"]
    if soonest is not None and soonest - timezone.now() < SOON:
        webhooks_wake(countdown=max(0.0, (soonest - timezone.now()).total_seconds()))
    return delivered


def deliveries_claim(*, batch_size=BATCH_SIZE) -> list[int]:
    """Marks up to `batch_size` due rows as this worker's; other workers skip them."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Delivery.objects.due(now)
            .order_by("next_try_at", "id")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("id", flat=True)[:batch_size]
        )
        Delivery.objects.filter(id__in=ids).update(
            state=Delivery.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return ids


def delivery_send(*, ids) -> int:
    """POSTs the claimed deliveries among `ids`, signed, then records what each receiver
    answered in one transaction (one commit a batch, not one a delivery: a worker killed before
    it leaves the batch in `sending`, and the sweep sends it again with the same ids). Returns
    how many were delivered."""
    claimed = Delivery.objects.filter(id__in=ids, state=Delivery.State.SENDING)
    outcomes, gone = [], set()
    for delivery in claimed.select_related("subscription__owner").order_by("id"):
        # After a 410 the subscription is off: the rest of the batch waits for it.
        outcome = None if delivery.subscription_id in gone else _attempt(delivery)
        if outcome is not None and outcome.status == 410:
            gone.add(delivery.subscription_id)
        outcomes.append((delivery, outcome))
    with transaction.atomic():
        for delivery, outcome in outcomes:
            _record(delivery, outcome)
    return sum(1 for _, outcome in outcomes if outcome is not None and outcome.delivered)


def signed_headers(*, delivery: Delivery, now=None) -> dict:
    """The Standard Webhooks headers: id, the attempt's time, and one `v1,` signature per
    current secret, space-separated."""
    now = (now or timezone.now()).astimezone(datetime.UTC)
    signatures = [
        Webhook(secret).sign(msg_id=delivery.webhook_id, timestamp=now, data=delivery.body)
        for secret in delivery.subscription.signing_secrets(now)
    ]
    return {
        "webhook-id": delivery.webhook_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": " ".join(signatures),
    }


@dataclasses.dataclass(frozen=True)
class Outcome:
    at: datetime.datetime
    status: int | None = None
    excerpt: str = ""
    error: str = ""

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def _attempt(delivery: Delivery) -> Outcome:
    try:
        answer = transport.post(
            delivery.subscription.url,
            body=delivery.body.encode(),
            headers=signed_headers(delivery=delivery),
            timeout=settings.WEBHOOK_TIMEOUT,
        )
    except transport.Refused as error:
        return Outcome(timezone.now(), error=f"refused: {error}")
    except OSError as error:
        return Outcome(timezone.now(), error=f"{type(error).__name__}: {error}")
    # Four bytes a character at most: a character the cut splits falls outside the excerpt.
    excerpt = answer.body[: 4 * EXCERPT].decode("utf-8", "replace")[:EXCERPT]
    error = ""
    if 300 <= answer.status < 400:
        error = "redirect not followed"
    elif not 200 <= answer.status < 300:
        error = f"HTTP {answer.status}"
    return Outcome(timezone.now(), answer.status, excerpt, error)


def _record(delivery: Delivery, outcome: Outcome | None) -> None:
    sending = Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENDING)
    if outcome is None:  # not sent: kept for when it is switched on again, not counted
        sending.update(state=Delivery.State.QUEUED, attempts=F("attempts") - 1)
    elif outcome.delivered:
        sending.update(
            state=Delivery.State.DELIVERED,
            delivered_at=outcome.at,
            last_attempt_at=outcome.at,
            last_status=outcome.status,
            last_response=outcome.excerpt,
            last_error="",
        )
        Subscription.objects.filter(pk=delivery.subscription_id).update(
            last_success_at=outcome.at, failing_since=None
        )
    else:
        _failed(delivery, outcome)


def _failed(delivery: Delivery, outcome: Outcome) -> None:
    now = outcome.at
    gone = outcome.status == 410
    final = gone or delivery.attempts >= MAX_ATTEMPTS
    fields = (
        {"state": Delivery.State.FAILED}
        if final
        else {
            "state": Delivery.State.QUEUED,
            "next_try_at": now + _backoff(delivery.attempts),
        }
    )
    Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENDING).update(
        last_attempt_at=now,
        last_status=outcome.status,
        last_response=outcome.excerpt,
        last_error=outcome.error[:300],
        **fields,
    )
    log.warning(
        "Webhook delivery %s (subscription %s) failed: %s",
        delivery.pk,
        delivery.subscription_id,
        outcome.error,
    )
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=delivery.subscription_id)
        subscription.last_failure_at = now
        subscription.failing_since = subscription.failing_since or now
        reason = ""
        if gone:
            reason = Subscription.Disabled.GONE
        elif now - subscription.failing_since >= FAILING_FOR:
            reason = Subscription.Disabled.FAILING
        if reason and subscription.active:
            subscription.active, subscription.disabled_reason = False, reason
            _tell_owner(subscription, now)
        subscription.save(
            update_fields=["last_failure_at", "failing_since", "active", "disabled_reason"]
        )


def _tell_owner(subscription: Subscription, now) -> None:
    """Emails the owner that their subscription was switched off, through the outbox."""
    owner = subscription.owner
    if not owner.email:
        return
    mail.message_queue(
        kind=DISABLED_OUTBOX,
        wording=texts.DISABLED,
        dues=[
            registry.Due(
                recipient=registry.user_recipient(owner),
                subject_type="webhooks.subscription",
                subject_id=str(subscription.pk),
                occurrence=now.isoformat(),
                context={
                    "subscription": {
                        "url": subscription.url,
                        "description": subscription.description,
                    },
                    "reason": subscription.get_disabled_reason_display(),
                    "url": settings.SITE_URL
                    + reverse("admin:webhooks_subscription_change", args=[subscription.pk]),
                },
            )
        ],
    )


def delivery_retry(*, deliveries) -> int:
    """Sends the given deliveries (a queryset) again, with the same `webhook-id` and body;
    those being sent right now are left alone. Returns how many were queued."""
    count = deliveries.exclude(state=Delivery.State.SENDING).update(
        state=Delivery.State.QUEUED, next_try_at=timezone.now(), attempts=0
    )
    if count:
        transaction.on_commit(webhooks_wake)
    return count


def deliveries_sweep(*, now=None) -> int:
    """Puts rows whose worker died while sending back in the queue."""
    now = now or timezone.now()
    return Delivery.objects.filter(
        state=Delivery.State.SENDING, claimed_at__lt=now - settings.WEBHOOK_STUCK_AFTER
    ).update(state=Delivery.State.QUEUED, next_try_at=now)


def deliveries_prune(*, now=None) -> int:
    """Removes delivered and failed rows older than the log keeps (RETENTION)."""
    now = now or timezone.now()
    count, _ = Delivery.objects.filter(
        state__in=[Delivery.State.DELIVERED, Delivery.State.FAILED],
        created_at__lt=now - RETENTION,
    ).delete()
    return count
