from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppPassword(models.Model):
    """A password for one calendar app (CalDAV sign-in), made by the system and shown once.

    Only its SHA-256 is kept: it is random (120 bits), so no slow hash is needed to keep it
    from being guessed back, and checking it costs a lookup on every request of the app. The
    account's own password is never accepted where app passwords are, so two-factor sign-in
    is not weakened by a calendar app."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="app_passwords",
        verbose_name=_("user"),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Which app or device uses it, e.g. “iPhone”.")
    )
    secret_hash = models.CharField(_("password hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("app password")
        verbose_name_plural = _("app passwords")
        ordering = ["user", "name"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="app_password_name_unique"),
        ]

    def __str__(self):
        return self.name
