"""Thin tasks: the work is in services (imported in the bodies, as in every app's tasks.py)."""

from celery import shared_task

# The periodic task beat runs for this app (created after migrate when missing: ops.schedules).
SCHEDULES = [
    {
        "task": "events.tasks.prune_meeting_changes",
        "name": "Prune the meeting change log",
        "crontab": {"minute": "30", "hour": "4"},
    },
]


@shared_task
def prune_meeting_changes() -> int:
    from . import services

    return services.meeting_changes_prune()
