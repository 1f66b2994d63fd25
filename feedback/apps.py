from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Company feedback")

    def ready(self):
        from . import meeting_admin, privacy, tokens  # noqa: F401
