"""Sign-in of calendar apps: HTTP Basic with the username and an app password.

Failures count towards the same lock-out as the admin's sign-in (django-axes: after
LOGIN_FAILURE_LIMIT failures in a row for one account from one address, that account is locked
there for LOGIN_LOCKOUT_MINUTES; coordinators see and lift it under Access attempts), so
guessing an app password is as slow as guessing the account's password.
"""

import base64
import binascii

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.http import HttpResponse
from django.utils.translation import gettext as _

from accounts.services import two_factor_missing

from . import services

REALM = "Roundtable"


class Refused(Exception):
    def __init__(self, response: HttpResponse):
        self.response = response


def challenge() -> HttpResponse:
    response = HttpResponse(
        _("Sign in with your username and an app password from My calendar.") + "\n",
        status=401,
        content_type="text/plain; charset=utf-8",
    )
    response["WWW-Authenticate"] = f'Basic realm="{REALM}"'
    return response


def credentials_of(request) -> tuple[str, str] | None:
    """(username, password) from an `Authorization: Basic` header, or None."""
    scheme, _, encoded = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, colon, password = decoded.partition(":")
    if not colon or not username or "\x00" in decoded:
        return None
    return username, password


def authenticate(request):
    """The user the request signs in as, with an app password; raises Refused otherwise (401,
    or the lock-out page once the account is locked for this address)."""
    given = credentials_of(request)
    if given is None:
        raise Refused(challenge())
    username, password = given
    credentials = {"username": username}
    if not AxesProxyHandler.is_allowed(request, credentials):
        # As the admin's sign-in: axes' middleware answers with its lock-out page (429).
        request.axes_locked_out = True
        request.axes_credentials = credentials
        raise Refused(challenge())
    user = services.app_password_check(username=username, secret=password)
    if user is None:
        # Recorded by axes like a failed admin sign-in; it locks the account here at the limit.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        raise Refused(challenge())
    AxesProxyHandler.reset_attempts(ip_address=request.axes_ip_address, username=username)
    if two_factor_missing(user):
        # As for API tokens: a coordinator who must use two-factor sign-in and has not set it
        # up can do nothing else.
        raise Refused(
            HttpResponse(
                _("Set up two-factor sign-in first.") + "\n",
                status=403,
                content_type="text/plain; charset=utf-8",
            )
        )
    return user
