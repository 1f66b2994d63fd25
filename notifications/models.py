"""The email outbox, the reminder rules coordinators edit, and opt-outs.

This app is the mail layer: it knows people and addresses, never meetings or requests. Apps
register their rule kinds (notifications.registry) and the scan asks them what is due.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import registry


class ReminderRule(models.Model):
    kind = models.CharField(_("kind"), max_length=60, choices=registry.kind_choices)
    name = models.CharField(_("name"), max_length=200)
    enabled = models.BooleanField(_("enabled"), default=True)
    offset = models.DurationField(
        _("offset"),
        default=datetime.timedelta,
        help_text=_(
            "How long before (for reminders ahead of a moment) or after (for follow-ups) the "
            "moment the kind watches. See the kind's description."
        ),
    )
    repeat_every = models.DurationField(
        _("repeat every"),
        null=True,
        blank=True,
        help_text=_("Empty: once. Otherwise sent again at this interval while still due."),
    )
    grace = models.DurationField(
        _("grace window"),
        default=datetime.timedelta(days=2),
        help_text=_(
            "A moment further in the past than this is never sent, so loading or importing "
            "history sends nothing."
        ),
    )
    subject_ko = models.CharField(_("subject (Korean)"), max_length=300)
    body_ko = models.TextField(_("body (Korean)"))
    subject_en = models.CharField(_("subject (English)"), max_length=300)
    body_en = models.TextField(_("body (English)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        ordering = ["kind", "offset"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grace__gt=datetime.timedelta(0)),
                name="reminder_rule_grace_positive",
                violation_error_message=_("The grace window must be longer than zero."),
            ),
            models.CheckConstraint(
                condition=Q(repeat_every__isnull=True)
                | Q(repeat_every__gte=datetime.timedelta(hours=1)),
                name="reminder_rule_repeat_at_least_hourly",
                violation_error_message=_("A rule repeats at most once an hour."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def outbox_kind(self) -> str:
        return f"rule-{self.pk}"


class OutboundEmailQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(state=OutboundEmail.State.QUEUED, next_try_at__lte=now or timezone.now())


class OutboundEmail(models.Model):
    """One email, from queued to sent or failed. Every email the system sends is one of these.

    The key (kind, recipient, subject, occurrence) is unique in the database: however often and
    by whomever an email is queued, it exists once and is sent at most once.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=60)
    recipient = models.EmailField(_("recipient"))
    subject_type = models.CharField(_("about (type)"), max_length=60, blank=True)
    subject_id = models.CharField(_("about (id)"), max_length=60, blank=True)
    occurrence = models.CharField(_("occurrence"), max_length=60, blank=True)

    rule = models.ForeignKey(
        ReminderRule,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("rule"),
    )
    person = models.ForeignKey(
        "stakeholders.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("person"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("user"),
    )
    language = models.CharField(_("language"), max_length=2, default="ko")
    from_email = models.CharField(_("from"), max_length=300)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    # [{"filename", "content", "mimetype"}], text attachments such as an .ics
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=200, unique=True)
    # "feedback:12": the personal link put in at sending time (registry.LINK_MARKER), so
    # that no secret link is stored here.
    link_ref = models.CharField(_("link"), max_length=100, blank=True)

    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_try_at = models.DateTimeField(_("next try at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "subject_type", "subject_id", "occurrence"],
                name="outbound_email_once",
            ),
            models.CheckConstraint(
                condition=Q(state="sent", sent_at__isnull=False) | ~Q(state="sent"),
                name="outbound_email_sent_has_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["state", "next_try_at"],
                name="outbox_queued_idx",
                condition=Q(state="queued"),
            ),
            models.Index(
                fields=["claimed_at"], name="outbox_sending_idx", condition=Q(state="sending")
            ),
            models.Index(fields=["subject_type", "subject_id"], name="outbox_subject_idx"),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.subject}"


class Unsubscription(models.Model):
    """An address that asked for no more emails of one rule kind."""

    email = models.EmailField(_("email"))
    kind = models.CharField(_("kind"), max_length=60, choices=registry.kind_choices)
    created_at = models.DateTimeField(_("unsubscribed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("unsubscription")
        verbose_name_plural = _("unsubscriptions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["email", "kind"], name="unsubscription_once")
        ]

    def __str__(self):
        return f"{self.email} · {self.get_kind_display()}"


class DefaultRuleRecord(models.Model):
    """A rule kind whose default rule (RuleKind.default) has been created. It is created once:
    whatever a coordinator does with it afterwards (edits, renames, deletes it) is kept."""

    kind = models.CharField(_("kind"), max_length=60, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("default rule record")
        verbose_name_plural = _("default rule records")
        default_permissions = ()  # bookkeeping of the migrate step, in no admin page

    def __str__(self):
        return self.kind
