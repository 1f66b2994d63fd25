from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from . import selectors


def status(request):
    """The system's health for coordinators: failed emails, outbox delay, beat's last run."""
    if not request.user.has_perm("notifications.view_outboundemail"):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "ops/status.html",
        {
            **admin.site.each_context(request),
            "title": _("System status"),
            "status": selectors.system_status(),
        },
    )
