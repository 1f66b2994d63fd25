"""Writes of accounts' own settings: API tokens (DRF's, one per user) and two-factor sign-in
(django-otp: an authenticator app and one-time backup codes)."""

import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from .models import TokenUse
from .roles import COORDINATORS

logger = logging.getLogger(__name__)


@transaction.atomic
def token_issue(*, user) -> Token:
    """A new API token for the user; the one they had stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def token_revoke(*, user) -> bool:
    """Withdraws the user's API token; True if there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)


# "Last used" is told to the minute: a token that signs in a program's every request is
# written at most once a minute.
TOKEN_USE_PRECISION = datetime.timedelta(minutes=1)


def token_used(*, token: Token) -> None:
    """Notes that the token authenticated a request. `token.use`, when loaded with it (see
    two_factor.TokenAuthentication), saves asking the database whether a minute has passed."""
    now = timezone.now()
    use = getattr(token, "use", None)
    if use is not None and now - use.last_used_at < TOKEN_USE_PRECISION:
        return
    # One statement, safe against two requests of the same program at once.
    TokenUse.objects.bulk_create(
        [TokenUse(token=token, last_used_at=now)],
        update_conflicts=True,
        unique_fields=["token"],
        update_fields=["last_used_at"],
    )


# --- Two-factor sign-in ----------------------------------------------------------------------


def two_factor_enabled(user) -> bool:
    """Asked on every signed-in request (see TwoFactorRequiredMiddleware), so kept in the
    cache; turning it on or off forgets the cached answer."""
    key = _enabled_key(user)
    enabled = cache.get(key)
    if enabled is None:
        enabled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        cache.set(key, enabled, timeout=300)
    return enabled


def _enabled_key(user) -> str:
    return f"two-factor-enabled:{user.pk}"


def _forget_enabled(user) -> None:
    # Again after the commit: a request in between may have cached the old answer.
    key = _enabled_key(user)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def two_factor_missing(user) -> bool:
    """A user who must use two-factor sign-in and has not set it up: a password alone (or an
    API token) lets them do nothing else."""
    return two_factor_required(user) and not two_factor_enabled(user)


def two_factor_required(user) -> bool:
    """With DJANGO_REQUIRE_2FA, coordinators (and superusers, who can do more) must use it."""
    if not (settings.REQUIRE_TWO_FACTOR and user.is_authenticated and user.is_staff):
        return False
    return user.is_superuser or user.groups.filter(name=COORDINATORS).exists()


def two_factor_start(*, user) -> TOTPDevice:
    """The authenticator the user is setting up: made once, so that reloading the page shows
    the same QR code as the app already scanned."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "authenticator"}
    )
    return device


def two_factor_confirm(*, device: TOTPDevice, code: str) -> list[str]:
    """Turns two-factor sign-in on once the app shows a right code; returns fresh backup codes."""
    _check(device, code)  # outside the transaction: a wrong code's throttling must stay
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        codes = backup_codes_renew(user=device.user)
        _forget_enabled(device.user)
    logger.info("two-factor sign-in turned on for %s", device.user)
    return codes


def two_factor_verify(*, user, code: str):
    """The device that accepts `code` (the app's six digits, or a backup code, which is then
    used up). Raises ValidationError otherwise; repeated wrong codes are slowed down."""
    code = "".join(code.split()).replace("-", "").lower()
    # The app's codes are six digits; backup codes are eight letters and digits.
    if len(code) == 6 and code.isdigit():
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise ValidationError(_("That code is not right."), code="invalid")
    _check(device, code)
    return device


@transaction.atomic
def backup_codes_renew(*, user) -> list[str]:
    """Replaces the user's backup codes (each works once, for when the phone is lost)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "backup", "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_remove(*, user) -> None:
    """Turns two-factor sign-in off: the app and the backup codes stop working."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _forget_enabled(user)
    logger.info("two-factor sign-in turned off for %s", user)


def _check(device, code: str) -> None:
    allowed, _reason = device.verify_is_allowed()
    if not allowed:
        raise ValidationError(
            _("Too many wrong codes. Wait a minute, then try again."), code="throttled"
        )
    if not device.verify_token(code):
        raise ValidationError(_("That code is not right."), code="invalid")
