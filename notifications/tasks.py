"""Thin tasks: the work is in services; running one twice is harmless."""

from celery import shared_task

from . import services


@shared_task
def scan_reminders() -> int:
    """Every minute from beat: queue what is due, then send. Ends by draining, so mail goes
    out even when no wake-up message reached a worker."""
    queued = services.scan()
    services.drain()
    return queued


@shared_task
def drain_outbox() -> int:
    return services.drain()
