"""django-axes ships no Korean: the labels coordinators meet on its admin pages (sign-in
lock-outs) are listed here so that they are translated in the project's catalogue."""

from django.utils.translation import gettext_noop

LABELS = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("User Agent"),
    gettext_noop("Failed Logins"),
    gettext_noop("Attempt Time"),
    gettext_noop("Locked Out"),
    gettext_noop("Path"),
    gettext_noop("Logout Time"),
    gettext_noop("Expires At"),
)
