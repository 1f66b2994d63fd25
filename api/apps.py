from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """HTTP API plumbing shared by every app's endpoints; knows no domain model."""

    name = "api"
    verbose_name = _("API")
