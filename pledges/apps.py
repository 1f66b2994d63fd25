from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = _("Government pledges")

    def ready(self):
        from . import meeting_admin, privacy  # noqa: F401
