"""Webhook subscriptions and their deliveries (README, Webhooks; Standard Webhooks 1.0).

Events come from the database, in the transaction of their cause: a meeting's from the change
log its triggers write (a trigger copies each row into MeetingFeed, so every write path
counts), a request's from its workflow's services. Each event becomes one Delivery per
subscription whose owner may see it, unique by (subscription, event key): a cause read twice
queues once. Workers claim deliveries as the email outbox's workers claim emails.
"""

import base64
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import transport

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """A signing secret as the Standard Webhooks libraries read it: whsec_ and 32 random bytes
    in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def new_webhook_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class EventType(models.TextChoices):
    MEETING_CREATED = "meeting.created", _("Meeting created")
    MEETING_CHANGED = "meeting.changed", _("Meeting changed")
    MEETING_DELETED = "meeting.deleted", _("Meeting deleted (or no longer visible)")
    REQUEST_CREATED = "request.created", _("Request created")
    REQUEST_CHANGED = "request.changed", _("Request changed")


MEETING_EVENTS = frozenset(t for t in EventType.values if t.startswith("meeting."))
REQUEST_EVENTS = frozenset(t for t in EventType.values if t.startswith("request."))


class Subscription(models.Model):
    """A URL that receives the events its owner chose, of what its owner may see."""

    class Disabled(models.TextChoices):
        GONE = "gone", _("The receiver answered 410 Gone")
        FAILING = "failing", _("Deliveries failed for 5 days")
        BY_OWNER = "owner", _("Switched off")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="webhook_subscriptions",
        verbose_name=_("owner"),
    )
    url = models.URLField(_("URL"), max_length=2000)
    events = models.JSONField(_("events"), default=list)
    description = models.CharField(_("description"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)
    disabled_reason = models.CharField(
        _("why it is off"), max_length=10, choices=Disabled.choices, blank=True
    )
    # Kept as written: it signs every delivery. Shown once, when created or rotated.
    secret = models.CharField(_("signing secret"), max_length=100, default=new_secret)
    # During a rotation deliveries carry the old secret's signature too, until then.
    previous_secret = models.CharField(_("previous signing secret"), max_length=100, blank=True)
    previous_secret_until = models.DateTimeField(
        _("previous secret valid until"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("last failure"), null=True, blank=True)
    # The first failure since the last success: 5 days of failures switch it off.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active=False) | Q(disabled_reason=""),
                name="webhook_active_has_no_reason",
            ),
        ]

    def __str__(self):
        return self.url

    def clean(self):
        if self.active:  # switched on: no longer off for any reason
            self.disabled_reason = ""
        errors = {}
        events = self.events if isinstance(self.events, list) else None
        if not events or not all(isinstance(event, str) for event in events):
            errors["events"] = _("Choose at least one event.")
        elif unknown := sorted(set(events) - set(EventType.values)):
            errors["events"] = _("Unknown events: %(events)s") % {"events": ", ".join(unknown)}
        elif len(set(events)) != len(events):
            errors["events"] = _("Name each event once.")
        if self.url and (problem := transport.url_problem(self.url)):
            errors["url"] = _("This URL cannot receive webhooks: %(problem)s.") % {
                "problem": problem
            }
        if errors:
            raise ValidationError(errors)

    def signing_secrets(self, now=None) -> list[str]:
        """The secrets a delivery is signed with now: during a rotation, both."""
        now = now or timezone.now()
        if self.previous_secret and self.previous_secret_until and self.previous_secret_until > now:
            return [self.secret, self.previous_secret]
        return [self.secret]


class DeliveryQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(
            state=Delivery.State.QUEUED,
            next_try_at__lte=now or timezone.now(),
            subscription__active=True,
        )


class Delivery(models.Model):
    """One event for one subscription, from queued to delivered or failed."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(
        Subscription, models.CASCADE, related_name="deliveries", verbose_name=_("subscription")
    )
    event_type = models.CharField(_("event"), max_length=30, choices=EventType.choices)
    # What caused it ("meeting:<id>:<feed row>", "request:<id>:<status>@<time>"): the same
    # cause read twice queues once.
    event_key = models.CharField(_("cause"), max_length=200)
    # The `webhook-id` header: one per event and subscription, the same on every retry.
    webhook_id = models.CharField(
        _("webhook-id"), max_length=40, unique=True, default=new_webhook_id
    )
    # The exact body signed and sent, the same on every retry.
    body = models.TextField(_("body"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_try_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("last status"), null=True, blank=True)
    last_response = models.CharField(_("last response (excerpt)"), max_length=200, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_key"], name="webhook_delivery_once"
            ),
            models.CheckConstraint(
                condition=~Q(state="delivered") | Q(delivered_at__isnull=False),
                name="webhook_delivered_has_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_try_at", "id"],
                name="webhook_queued_idx",
                condition=Q(state="queued"),
            ),
            models.Index(
                fields=["claimed_at"], name="webhook_sending_idx", condition=Q(state="sending")
            ),
            models.Index(fields=["created_at"], name="webhook_created_idx"),
        ]

    def __str__(self):
        return f"{self.event_type} → {self.subscription}"


class MeetingFeed(models.Model):
    """A copy of each meeting change-log row, written by a trigger on that log while some
    subscription is active (migration 0002), read and removed when its deliveries are queued.

    The change log itself is read by calendar sync from positions it hands out; this queue is
    ours, so taking rows from it needs no position."""

    id = models.BigAutoField(primary_key=True)
    meeting_id = models.UUIDField(_("meeting"))
    kind = models.CharField(_("kind"), max_length=10)  # the change log's: saved, deleted
    visibility = models.CharField(_("visibility after"), max_length=20)
    previous_visibility = models.CharField(_("visibility before"), max_length=20, blank=True)
    version = models.PositiveIntegerField(_("version"), null=True)
    changed_at = models.DateTimeField(_("changed at"), db_default=Now())

    class Meta:
        verbose_name = _("meeting change for webhooks")
        verbose_name_plural = _("meeting changes for webhooks")
        default_permissions = ()  # a queue the system keeps, in no admin page

    def __str__(self):
        return f"{self.meeting_id} {self.kind}"
