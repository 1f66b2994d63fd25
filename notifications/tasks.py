"""Thin tasks: the work is in services; running one twice is harmless.

Services import this module (to wake a worker), so the tasks import services in their bodies.
The task names are kept as they are: beat's schedule and queued messages name them.
"""

from celery import shared_task

# The periodic task beat runs for this app (created after migrate when missing: ops.schedules).
SCHEDULES = [
    {
        "task": "notifications.tasks.scan_reminders",
        "name": "Reminder scan and outbox",
        "interval": {"every": 1, "period": "minutes"},
    },
]


@shared_task
def scan_reminders() -> int:
    """Every minute from beat: queue what is due, then send. Ends by draining, so mail goes
    out even when no wake-up message reached a worker."""
    from . import services

    queued = services.reminder_scan()
    services.outbox_drain()
    return queued


@shared_task
def drain_outbox() -> int:
    from . import services

    return services.outbox_drain()
