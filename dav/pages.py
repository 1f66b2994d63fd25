"""The app passwords part of the admin's My calendar page: create one (shown once), revoke one.

The section itself is drawn on My calendar by `{% app_passwords %}` (templatetags/dav.py); its
forms post here."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import selectors, services
from .forms import AppPasswordForm


def server_address() -> str:
    """What to type into a calendar app as the server (its context path, RFC 6764)."""
    return f"{settings.SITE_URL}{reverse('dav-root')}"


def section_context(user, form=None) -> dict:
    return {
        "app_passwords": list(selectors.app_passwords_of(user)),
        "app_password_form": form or AppPasswordForm(),
        "dav_server": server_address(),
        "dav_username": user.get_username(),
    }


# Shows a new password: never kept by a browser's or a proxy's cache.
@never_cache
@staff_member_required
def app_passwords(request):
    if request.method != "POST":
        return redirect("my-calendar")
    if request.POST.get("action") == "revoke":
        if services.app_password_revoke(user=request.user, pk=_id(request.POST.get("id"))):
            messages.success(
                request, _("The app password was revoked; the app using it is refused now.")
            )
        return redirect("my-calendar")
    form = AppPasswordForm(request.POST)
    context = {**admin.site.each_context(request), "title": _("My calendar")}
    if form.is_valid():
        try:
            password, secret = services.app_password_create(
                user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return TemplateResponse(
                request,
                "dav/app_password_created.html",
                {
                    **context,
                    "app_password": password,
                    "secret": secret,
                    "dav_server": server_address(),
                    "dav_username": request.user.get_username(),
                },
            )
    return TemplateResponse(
        request, "dav/app_passwords_page.html", {**context, **section_context(request.user, form)}
    )


def _id(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None
