"""The periodic tasks beat runs (django-celery-beat, under Periodic tasks), created after every
migrate (post_migrate) when missing.

Each app lists its own in its tasks.py, as `SCHEDULES`: dicts with the `task`, the `name` shown
under Periodic tasks, an `interval` (IntervalSchedule's fields) or a `crontab` (CrontabSchedule's;
the unnamed fields are "*", the time zone TIME_ZONE's), and `enabled` (default True). A task
is looked up by its task name: one a coordinator changed (its timing, name, switched off) is
kept as it is. One that was deleted comes back, as declared, since each does work the system
needs (one created switched off comes back switched off).
"""

import importlib

from django.apps import apps as global_apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Q
from django.utils.module_loading import module_has_submodule
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask


def schedule_list() -> list[dict]:
    """What the installed apps' tasks.py declare."""
    found = []
    for app_config in global_apps.get_app_configs():
        if module_has_submodule(app_config.module, "tasks"):
            tasks = importlib.import_module(f"{app_config.name}.tasks")
            found.extend(getattr(tasks, "SCHEDULES", ()))
    return found


def schedules_create(*, using: str = DEFAULT_DB_ALIAS) -> int:
    """Creates each declared periodic task that is missing; returns how many."""
    created = 0
    for entry in schedule_list():
        tasks = PeriodicTask.objects.using(using)
        # A name is unique: a coordinator's own task may already carry it.
        if tasks.filter(Q(task=entry["task"]) | Q(name=entry["name"])).exists():
            continue
        with transaction.atomic(using=using):
            tasks.create(
                task=entry["task"],
                name=entry["name"],
                enabled=entry.get("enabled", True),
                **_timing(entry, using),
            )
        created += 1
    return created


def _timing(entry: dict, using: str) -> dict:
    if "interval" in entry:
        return {"interval": _first_or_create(IntervalSchedule, using, entry["interval"])}
    crontab = {
        "minute": "*",
        "hour": "*",
        "day_of_week": "*",
        "day_of_month": "*",
        "month_of_year": "*",
        "timezone": settings.TIME_ZONE,
        **entry["crontab"],
    }
    return {"crontab": _first_or_create(CrontabSchedule, using, crontab)}


def _first_or_create(model, using, fields):
    """A timing is shared by the tasks that run at it; coordinators may have made it twice."""
    rows = model.objects.using(using)
    return rows.filter(**fields).order_by("pk").first() or rows.create(**fields)


def after_migrate(sender, *, apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate (after migrate and flush): only once beat's tables exist (a partial
    migrate may stop short of them)."""
    try:
        apps.get_model("django_celery_beat", "PeriodicTask")
    except LookupError:
        return
    schedules_create(using=using)
