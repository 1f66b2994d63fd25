"""Personal links in emails (feedback forms, attendance replies): 192 bits derived with the
secret key from a random salt, and the throttle on guessing them.

The database keeps the salt and the SHA-256 of the token, never the token, so a copy of the
database alone opens no link; the outbox stores an email with a marker that is replaced by the
link only when it is sent. Rotating DJANGO_SECRET_KEY invalidates every link.
"""

import base64
import functools
import hashlib
import hmac
import logging
import secrets

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import get_resolver
from django.utils.cache import patch_cache_control
from django_ratelimit.core import is_ratelimited
from redis.exceptions import RedisError

GUESS_GROUP = "personal-link-guess"
logger = logging.getLogger(__name__)


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


def url(path_prefix: str, salt: str, purpose: str) -> str:
    """The absolute link, e.g. SITE_URL/feedback/<token>/."""
    return f"{settings.SITE_URL}/{path_prefix}/{token_for(salt, purpose)}/"


def find(queryset, token: str):
    """The row of `queryset` (with a `token_hash` field) that `token` opens, or None."""
    digest = hash_token(token)
    found = queryset.filter(token_hash=digest).first()
    if found is None or not hmac.compare_digest(found.token_hash, digest):
        return None
    return found


def opened(request, queryset, token, unknown_template):
    """`(row, None)` for the row `token` opens, else `(None, response)`: 429 while this
    address is throttled, 404 with `unknown_template` for an unknown link (counted)."""
    if guessing_blocked(request):
        return None, render(request, "links/throttled.html", status=429)
    found = find(queryset, token)
    if found is None:
        count_guess(request)
        return None, render(request, unknown_template, status=404)
    return found, None


def guessing_blocked(request) -> bool:
    """Whether this client address has tried too many unknown links lately
    (`PERSONAL_LINK_GUESS_RATE`). Every link answers 429 while it lasts: letting a valid link
    through would tell a guesser which one is valid."""
    return _usage(request, increment=False)


def count_guess(request) -> None:
    """Counts an unknown link against the client address."""
    _usage(request, increment=True)


def _usage(request, *, increment):
    try:
        return is_ratelimited(
            request,
            group=GUESS_GROUP,
            key="ip",
            rate=settings.PERSONAL_LINK_GUESS_RATE,
            increment=increment,
        )
    except RedisError:
        # With the cache down, links keep working unthrottled rather than all failing.
        logger.warning("personal link throttle unavailable: the cache does not answer")
        return False


# What a page opened by a personal link tells the pages and files it loads: the site, not the
# address with its token. ("no-referrer" would also blank the Origin of the page's own form
# posts, which the CSRF check needs.)
PERSONAL_PAGE_REFERRER_POLICY = "strict-origin"


def personal_page(view):
    """A page at a personal link's address. Whatever it answers (the page, a redirect, a
    download, 404, 410 or 429) no cache keeps (`Cache-Control: no-store`: the page shows a
    company's or a person's own data) and no Referer names its address (the token)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404 as missing:
            response = get_resolver().resolve_error_handler(404)(request, missing)
        patch_cache_control(response, no_store=True)
        response["Referrer-Policy"] = PERSONAL_PAGE_REFERRER_POLICY
        return response

    return wrapped
