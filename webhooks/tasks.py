"""Thin tasks: the work is in services (imported in the bodies, as in every app's tasks.py)."""

from celery import shared_task

# The periodic tasks beat runs for this app (created after migrate when missing: ops.schedules).
SCHEDULES = [
    {
        "task": "webhooks.tasks.scan_webhooks",
        "name": "Webhook deliveries",
        "interval": {"every": 1, "period": "minutes"},
    },
    {
        "task": "webhooks.tasks.prune_webhook_deliveries",
        "name": "Prune the webhook delivery log",
        "crontab": {"minute": "40", "hour": "4"},
    },
]


@shared_task
def deliver_webhooks() -> int:
    """A wake-up: queue the meeting feed's events and deliver what is due."""
    from . import services

    return services.webhooks_deliver()


@shared_task
def scan_webhooks() -> int:
    """Every minute from beat: put back what dead workers left, then deliver what is due
    (retries included), so nothing waits on a wake-up that never reached a worker."""
    from . import services

    services.deliveries_sweep()
    return services.webhooks_deliver()


@shared_task
def prune_webhook_deliveries() -> int:
    from . import services

    return services.deliveries_prune()
