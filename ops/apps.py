from django.apps import AppConfig


class OpsConfig(AppConfig):
    """What operators need: health checks (and, with them, logs and backups). No models."""

    name = "ops"

    def ready(self):
        from . import logs  # noqa: F401  (connects the task signals)
        from .lookups import register

        register()
