from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Email and reminders")

    def ready(self):
        # Each app registers the reminder kinds it knows about in its own reminders.py.
        autodiscover_modules("reminders")
        # What it holds about people, for merges, erasure and access requests.
        from . import privacy  # noqa: F401
