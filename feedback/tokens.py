"""Personal feedback links: 192 bits derived with the secret key from a random salt.

The database keeps the salt and the SHA-256 of the token, never the token, so a copy of the
database alone opens no link; the outbox stores the email with a marker that is replaced by
the link only when it is sent. Rotating DJANGO_SECRET_KEY invalidates every link.
"""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings


def new_salt() -> str:
    return secrets.token_hex(16)  # 128 random bits


def token_from_salt(salt: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"feedback-link:{salt}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def url_for(invitation) -> str:
    return f"{settings.SITE_URL}/feedback/{token_from_salt(invitation.salt)}/"


def url_for_id(pk: str) -> str | None:
    """The link of invitation `pk`, or None when it was revoked (the email is not sent)."""
    from .models import FeedbackInvitation

    invitation = FeedbackInvitation.objects.filter(pk=pk, revoked_at__isnull=True).first()
    return url_for(invitation) if invitation else None


def find(token: str):
    """The invitation a link belongs to, or None."""
    from .models import FeedbackInvitation

    digest = hash_token(token)
    invitation = (
        FeedbackInvitation.objects.select_related("meeting", "organization", "person")
        .filter(token_hash=digest)
        .first()
    )
    if invitation is None or not hmac.compare_digest(invitation.token_hash, digest):
        return None
    return invitation
