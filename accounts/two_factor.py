"""Two-factor sign-in in the admin: the sign-in form asks for the authenticator code of staff
who set one up, and with DJANGO_REQUIRE_2FA coordinators must set one up first."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import services


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        attrs = {"autocomplete": "one-time-code", "inputmode": "numeric", "size": 12}
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
    code = CodeField(label=_("Code shown by the app"))


class TwoFactorRequiredMiddleware:
    """Sends a coordinator signed in by password alone to set up an authenticator app when it
    is required; until then only that page, signing out and the language switch answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.REQUIRE_TWO_FACTOR and self._must_set_up(request):
            page = reverse("two-factor")
            open_paths = (page, reverse("admin:logout"), "/i18n/", settings.STATIC_URL)
            if not request.path.startswith(open_paths):
                return redirect(f"{page}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _must_set_up(request) -> bool:
        user = request.user
        return (
            user.is_authenticated and not user.is_verified() and services.two_factor_required(user)
        )
