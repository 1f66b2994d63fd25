from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token, TokenProxy


class Authenticator(TOTPDevice):
    """A staff member's authenticator app (django-otp's TOTP device), as the admin lists it:
    coordinators see who has one and reset it for a colleague who lost their phone."""

    class Meta:
        proxy = True
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")
        default_permissions = ("view", "delete")

    def __str__(self):
        return str(self.user)


# A key is 40 hexadecimal digits; the four shown leave 144 bits unknown.
KEY_PREFIX_LENGTH = 4


class ApiToken(TokenProxy):
    """API tokens as the admin lists them: by their owner, never by their key. Addressed by the
    owner's id (as DRF's TokenProxy is), so that no key is in an address either. Coordinators
    see whose token exists and withdraw it; only its owner issues one (their API token page)."""

    class Meta:
        proxy = True
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        default_permissions = ("view", "delete")

    def __str__(self):
        return gettext("API token of %(user)s") % {"user": self.user}

    @property
    def key_prefix(self) -> str:
        """Enough of the key for its owner to tell which token a program holds."""
        return f"{self.key[:KEY_PREFIX_LENGTH]}…"


class TokenUse(models.Model):
    """When an API token last authenticated a request: written at most once a minute per token
    (see services.token_used), and gone with the token."""

    token = models.OneToOneField(
        Token,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="use",
        verbose_name=_("API token"),
    )
    last_used_at = models.DateTimeField(_("last used"))

    class Meta:
        verbose_name = _("API token use")
        verbose_name_plural = _("API token uses")
        default_permissions = ()

    def __str__(self):
        # Not Django's default, which names the primary key: here, the token's key.
        return gettext("use of an API token")
