from celery import shared_task

from . import services


@shared_task
def prune_meeting_changes() -> int:
    return services.meeting_changes_prune()
