"""App passwords for calendar apps: created (shown once), named, revoked, checked at sign-in."""

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AppPassword

# Lower-case letters and digits that cannot be mistaken for each other when typed on a phone.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
# 24 symbols of 31: 118 bits, shown in groups of four.
LENGTH = 24
GROUP = 4
NAME_MAX_LENGTH = AppPassword._meta.get_field("name").max_length
# "Last used" is told to the minute: an app signs in on every request.
USE_PRECISION = datetime.timedelta(minutes=1)


def _digest(secret: str) -> str:
    """The stored form: the hash of the password with spaces and hyphens left out, in lower
    case, so that it may be typed as shown or run together."""
    normalized = "".join(secret.split()).replace("-", "").lower()
    return hashlib.sha256(normalized.encode()).hexdigest()


def app_password_create(*, user, name: str) -> tuple[AppPassword, str]:
    """A new app password for `user`, under a name of their choice. Returns it and the
    password, which exists nowhere else: it can be shown once."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the app password a name.")}, code="required")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            {"name": _("A name has at most %(limit)d characters.") % {"limit": NAME_MAX_LENGTH}},
            code="max_length",
        )
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    secret = "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))
    try:
        with transaction.atomic():
            password = AppPassword.objects.create(user=user, name=name, secret_hash=_digest(raw))
    except IntegrityError:
        if AppPassword.objects.filter(user=user, name=name).exists():
            raise ValidationError(
                {"name": _("You already have an app password with this name.")}, code="unique"
            ) from None
        raise
    return password, secret


def app_password_revoke(*, user, pk) -> bool:
    """Revokes one of `user`'s app passwords: the app using it is refused from then on. True
    if there was one."""
    deleted, _ = AppPassword.objects.filter(user=user, pk=pk).delete()
    return bool(deleted)


def app_password_check(*, username: str, secret: str):
    """The active user whose app password `secret` is, under `username`, or None. Notes the
    use (at most once a minute)."""
    password = (
        AppPassword.objects.select_related("user")
        .filter(secret_hash=_digest(secret), user__username=username, user__is_active=True)
        .first()
    )
    if password is None:
        return None
    now = timezone.now()
    if password.last_used_at is None or now - password.last_used_at >= USE_PRECISION:
        AppPassword.objects.filter(pk=password.pk).update(last_used_at=now)
    return password.user
