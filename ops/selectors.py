"""What operators watch: failed emails, how long due emails have waited, and when beat last
sent the reminder scan (it should, every minute)."""

import datetime
from dataclasses import dataclass

from django.db.models import Min
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from notifications.models import OutboundEmail
from stakeholders import services as stakeholders

SCAN_TASK = "notifications.tasks.scan_reminders"
# Beyond these, the status page asks for attention.
OUTBOX_DELAY_LIMIT = datetime.timedelta(minutes=10)
BEAT_SILENCE_LIMIT = datetime.timedelta(minutes=5)


@dataclass
class Status:
    failed_emails: int
    oldest_due_email: datetime.datetime | None
    beat_last_run: datetime.datetime | None
    now: datetime.datetime
    # Not a fault: PIPA wants them erased, which a coordinator decides (the nightly run).
    contacts_past_retention: int = 0

    @property
    def outbox_delay(self) -> datetime.timedelta | None:
        return self.now - self.oldest_due_email if self.oldest_due_email else None

    @property
    def outbox_late(self) -> bool:
        return self.outbox_delay is not None and self.outbox_delay > OUTBOX_DELAY_LIMIT

    @property
    def beat_silent(self) -> bool:
        return self.beat_last_run is None or self.now - self.beat_last_run > BEAT_SILENCE_LIMIT

    @property
    def healthy(self) -> bool:
        return not (self.failed_emails or self.outbox_late or self.beat_silent)


def system_status() -> Status:
    now = timezone.now()
    waiting = OutboundEmail.objects.filter(
        state__in=[OutboundEmail.State.QUEUED, OutboundEmail.State.SENDING], next_try_at__lte=now
    ).aggregate(oldest=Min("next_try_at"))
    return Status(
        failed_emails=OutboundEmail.objects.filter(state=OutboundEmail.State.FAILED).count(),
        oldest_due_email=waiting["oldest"],
        beat_last_run=PeriodicTask.objects.filter(task=SCAN_TASK, enabled=True).aggregate(
            last=Min("last_run_at")
        )["last"],
        now=now,
        contacts_past_retention=stakeholders.contacts_to_anonymise(now=now).count(),
    )
