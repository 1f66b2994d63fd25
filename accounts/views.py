from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from events import services

from . import services as accounts


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


@staff_member_required
def my_token(request):
    """The signed-in user's API token: issue one, replace it, or withdraw it."""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            accounts.token_revoke(user=request.user)
            messages.success(request, _("Your API token was withdrawn; programs using it stop."))
        else:
            accounts.token_issue(user=request.user)
            messages.success(request, _("You have a new API token; an older one no longer works."))
        return redirect("my-token")
    return TemplateResponse(
        request,
        "accounts/my_token.html",
        {
            **admin.site.each_context(request),
            "title": _("My API token"),
            "token": Token.objects.filter(user=request.user).first(),
        },
    )
