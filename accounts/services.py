"""Writes of accounts' own settings: API tokens (DRF's, one per user)."""

from django.db import transaction
from rest_framework.authtoken.models import Token


@transaction.atomic
def token_issue(*, user) -> Token:
    """A new API token for the user; the one they had stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def token_revoke(*, user) -> bool:
    """Withdraws the user's API token; True if there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)
