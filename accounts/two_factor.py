"""Two-factor sign-in in the admin: the sign-in form asks for the authenticator code of staff
who set one up, and with DJANGO_REQUIRE_2FA coordinators must set one up first."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from . import services


class CodeField(forms.CharField):
    def __init__(self, *, digits_only=False, **kwargs):
        # Backup codes have letters: a phone's number pad only for the app's six digits.
        attrs = {"autocomplete": "one-time-code", "size": 12}
        attrs["inputmode"] = "numeric" if digits_only else "text"
        super().__init__(max_length=32, widget=forms.TextInput(attrs=attrs), **kwargs)


class SignInForm(AdminAuthenticationForm):
    otp_token = CodeField(
        label=_("Authenticator code"),
        required=False,
        help_text=_(
            "Only if you set up two-factor sign-in: the app's six digits or a backup code."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and services.two_factor_enabled(user):
            code = cleaned.get("otp_token")
            if not code:
                raise forms.ValidationError(
                    _("Enter the code your authenticator app shows."), code="code_required"
                )
            # django-otp's sign-in signal marks the session as verified by this device.
            user.otp_device = services.two_factor_verify(user=user, code=code)
        return cleaned


class ConfirmForm(forms.Form):
    code = CodeField(label=_("Code shown by the app"), digits_only=True)


class TwoFactorRequiredMiddleware:
    """A session opened by password alone reaches only the two-factor page (to set up an app,
    or to be told to sign in again with its code), signing out and the language switch: when
    the user has an app (set up since, in another session), or must have one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._unverified(request):
            page = reverse("two-factor")
            open_paths = (page, reverse("admin:logout"), "/i18n/", settings.STATIC_URL)
            if not request.path.startswith(open_paths):
                return redirect(f"{page}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _unverified(request) -> bool:
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return False
        return services.two_factor_required(user) or services.two_factor_enabled(user)


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's tokens, refused to users who must use two-factor sign-in and have not set it up
    (a token issued before the rule was switched on must not get round it)."""

    def authenticate(self, request):
        # A key sent as OAuth's "Bearer" would otherwise read as no credentials at all.
        scheme = authentication.get_authorization_header(request).split(b" ")[0]
        if scheme.lower() == b"bearer":
            raise exceptions.AuthenticationFailed(
                _(
                    "This API takes its token as “Authorization: Token <key>”, not “Bearer”: "
                    "write the word Token before the key."
                )
            )
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        # DRF's own lookup, with when the token was last used (one query still).
        model = self.get_model()
        token = model.objects.select_related("user", "use").filter(key=key).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        user = token.user
        if services.two_factor_missing(user):
            raise exceptions.PermissionDenied(
                _("Set up two-factor sign-in in the admin before using the API.")
            )
        services.token_used(token=token)
        return user, token
