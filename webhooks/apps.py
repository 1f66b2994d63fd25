from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        # Meetings and requests wake a worker when they change (events come from the database).
        from . import receivers  # noqa: F401
