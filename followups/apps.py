from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Requests")

    def ready(self):
        from . import meeting_admin, privacy, signals  # noqa: F401
