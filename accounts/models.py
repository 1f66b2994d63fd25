from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice


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
