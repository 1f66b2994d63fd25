from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Email and reminders")

    def ready(self):
        # Each app registers the reminder kinds it knows about in its own reminders.py.
        autodiscover_modules("reminders")
        # What it holds about people, for merges, erasure and access requests.
        from . import defaults, privacy  # noqa: F401

        # The kinds' default rules, after every migrate (and flush).
        post_migrate.connect(
            defaults.after_migrate, sender=self, dispatch_uid="notifications.default_rules"
        )
