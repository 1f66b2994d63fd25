from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate


class OpsConfig(AppConfig):
    """What operators need: health checks (and, with them, logs and backups), and the periodic
    tasks beat runs. No models."""

    name = "ops"

    def ready(self):
        from . import logs, schedules  # noqa: F401  (logs connects the task signals)
        from .lookups import register

        register()
        # The declared periodic tasks, after every migrate (and flush). This app has no models,
        # so no post_migrate of its own: beat's app, which holds the tasks, sends it.
        post_migrate.connect(
            schedules.after_migrate,
            sender=global_apps.get_app_config("django_celery_beat"),
            dispatch_uid="ops.schedules",
        )
