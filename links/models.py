"""What every personal link row holds (feedback invitations, attendance replies, …)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import tokens


class PersonalLinkQuerySet(models.QuerySet):
    def working(self):
        return self.filter(revoked_at__isnull=True)

    def revoke(self) -> int:
        """Revokes the links not yet revoked: they answer 410 and later emails carrying them
        are not sent. Returns how many were revoked now."""
        return self.working().update(revoked_at=timezone.now())


class PersonalLink(models.Model):
    """A personal link sent by email: `SITE_URL/<LINK_KIND>/<token>/`. The token is derived
    from `salt` with the site's secret key and found again by its hash (links.tokens)."""

    # The link's kind in links.registry: its address prefix and its outbox reference prefix.
    LINK_KIND = ""

    salt = models.CharField(_("salt"), max_length=64, editable=False)
    token_hash = models.CharField(_("link hash"), max_length=64, unique=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = PersonalLinkQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def purpose(cls) -> str:
        return f"{cls.LINK_KIND}-link"

    @classmethod
    def new_secret(cls) -> dict:
        """The `salt` and `token_hash` of a new row."""
        return tokens.new_salt_and_hash(cls.purpose())

    @property
    def url(self) -> str:
        token = tokens.token_for(self.salt, self.purpose())
        return f"{settings.SITE_URL}/{self.LINK_KIND}/{token}/"
