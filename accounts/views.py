from base64 import b32encode

import segno
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from events import services

from . import services as accounts
from .models import ApiToken
from .two_factor import ConfirmForm


# The pages below show secrets (a calendar address, an API key, an authenticator's key and
# backup codes): never kept by a browser's or a proxy's cache.
@never_cache
@staff_member_required
def my_calendar(request):
    """The signed-in user's private calendar address, and a way to replace it."""
    if request.method == "POST":
        services.personal_feed_reset(user=request.user)
        messages.success(
            request, _("Your calendar has a new address; the old one no longer works.")
        )
        return redirect("my-calendar")
    feed = services.personal_feed_for(user=request.user)
    return TemplateResponse(
        request,
        "accounts/my_calendar.html",
        {**admin.site.each_context(request), "title": _("My calendar"), "feed": feed},
    )


@never_cache
@staff_member_required
def my_token(request):
    """The signed-in user's API token: issue one, replace it, or withdraw it. The key is shown
    once, in the answer to issuing it; afterwards only its first characters."""
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            accounts.token_revoke(user=request.user)
            messages.success(request, _("Your API token was withdrawn; programs using it stop."))
            return redirect("my-token")
        new_key = accounts.token_issue(user=request.user).key
        messages.success(request, _("You have a new API token; an older one no longer works."))
    token = ApiToken.objects.select_related("use").filter(user=request.user).first()
    return TemplateResponse(
        request,
        "accounts/my_token.html",
        {
            **admin.site.each_context(request),
            "title": _("My API token"),
            "token": token,
            "new_key": new_key,
            "last_used": getattr(token, "use", None) and token.use.last_used_at,
        },
    )


@never_cache
@staff_member_required
def two_factor(request):
    """Sets up an authenticator app (QR code, then a code from the app), shows backup codes
    once, renews them, or turns two-factor sign-in off."""
    user = request.user
    enabled = accounts.two_factor_enabled(user)
    action = request.POST.get("action") if request.method == "POST" else None
    context = {
        **admin.site.each_context(request),
        "title": _("Two-factor sign-in"),
        "enabled": enabled,
        "required": accounts.two_factor_required(user),
        "next": _safe_next(request),
    }
    form = ConfirmForm(request.POST if action == "confirm" else None)
    # A session opened by password alone (the app was set up elsewhere since) changes nothing:
    # the page tells it to sign in again with the code.
    verified = enabled and user.is_verified()
    if verified and action == "backup_codes":
        context["backup_codes"] = accounts.backup_codes_renew(user=user)
    elif verified and action == "remove":
        accounts.two_factor_remove(user=user)
        messages.success(request, _("Two-factor sign-in is off; you sign in with your password."))
        return redirect("two-factor")
    elif not enabled:
        device = accounts.two_factor_start(user=user)
        if form.is_valid():
            try:
                context["backup_codes"] = accounts.two_factor_confirm(
                    device=device, code=form.cleaned_data["code"]
                )
            except ValidationError as error:
                form.add_error("code", error)
            else:
                request.session.cycle_key()
                otp_login(request, device)
                context["enabled"] = True
        if not context["enabled"]:
            context["qr_code"] = mark_safe(segno.make(device.config_url).svg_inline(scale=4))
            context["key"] = _grouped(device.bin_key)
    context["form"] = form
    return TemplateResponse(request, "accounts/two_factor.html", context)


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if allowed else ""


def _grouped(key: bytes) -> str:
    """The secret as apps ask for it when typed in: base32, in groups of four."""
    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
