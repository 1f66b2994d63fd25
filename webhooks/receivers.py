"""What makes webhook events: a request's services (followups.signals.request_saved, in their
transaction) and, for meetings, the change log's trigger (nothing to do here but wake a
worker after the commit; a write no signal sees is picked up by the minute scan)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from events.models import Attendance, Meeting
from followups.models import StakeholderRequest
from followups.signals import request_saved

from . import services
from .models import Subscription


@receiver(request_saved, sender=StakeholderRequest)
def queue_request_event(sender, request, created, **kwargs):
    services.request_events_queue(request=request, created=created)


@receiver(post_save, sender=Meeting)
@receiver(post_delete, sender=Meeting)
@receiver(post_save, sender=Attendance)
@receiver(post_delete, sender=Attendance)
def wake_for_meeting(sender, **kwargs):
    """Once per transaction, however many rows it writes; costs no query inside it."""
    pending = transaction.get_connection().run_on_commit
    if not any(callback is _wake_if_subscribed for _, callback, _ in pending):
        transaction.on_commit(_wake_if_subscribed)


def _wake_if_subscribed():
    if Subscription.objects.filter(active=True).exists():
        services.webhooks_wake()
