from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DavConfig(AppConfig):
    name = "dav"
    verbose_name = _("Calendar apps (CalDAV)")
