"""Thin tasks: the work is in services (imported in the bodies, as in every app's tasks.py)."""

from celery import shared_task

# The periodic task beat runs for this app (created after migrate when missing: ops.schedules),
# switched off: a coordinator reads the dry run (`anonymise_contacts`) first, then enables it.
SCHEDULES = [
    {
        "task": "stakeholders.tasks.anonymise_contacts",
        "name": "Anonymise contacts past the retention period",
        "crontab": {"minute": "45", "hour": "4"},
        "enabled": False,
    },
]


@shared_task
def anonymise_contacts() -> int:
    """Erases the contacts past the retention period (as `anonymise_contacts --apply`)."""
    from . import services

    return services.contacts_anonymise(people=services.contacts_to_anonymise())
