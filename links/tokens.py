"""The secret in a personal link: 192 bits derived with the secret key from a random salt.

The database keeps the salt and the SHA-256 of the token, never the token, so a copy of the
database alone opens no link; the outbox stores an email with a marker that is replaced by the
link only when it is sent. Rotating DJANGO_SECRET_KEY invalidates every link.
"""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings


def new_salt() -> str:
    return secrets.token_hex(16)  # 128 random bits


def token_for(salt: str, purpose: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{purpose}:{salt}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_salt_and_hash(purpose: str) -> dict:
    """The `salt` and `token_hash` fields of a new link row."""
    salt = new_salt()
    return {"salt": salt, "token_hash": hash_token(token_for(salt, purpose))}


def find(queryset, token: str):
    """The row of `queryset` (with a `token_hash` field) that `token` opens, or None."""
    digest = hash_token(token)
    found = queryset.filter(token_hash=digest).first()
    if found is None or not hmac.compare_digest(found.token_hash, digest):
        return None
    return found
