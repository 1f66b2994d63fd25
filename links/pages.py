"""The one way a page is served at a personal link: the throttle on guessing, 404 for an
unknown link, 410 with the kind's page for one that no longer works, and headers that keep the
token out of caches and Referers."""

import functools
import logging

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import get_resolver
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django_ratelimit.core import is_ratelimited
from redis.exceptions import RedisError

from . import registry, tokens

GUESS_GROUP = "personal-link-guess"
# What a page opened by a personal link tells the pages and files it loads: the site, not the
# address with its token. ("no-referrer" would also blank the Origin of the page's own form
# posts, which the CSRF check needs.)
REFERRER_POLICY = "strict-origin"
logger = logging.getLogger(__name__)


def personal_link(kind_key: str):
    """Decorates `view(request, link, token, **kwargs)`: it runs only for a working link of
    kind `kind_key`. Otherwise the answer is 429 while this address is throttled, 404 for an
    unknown link (counted as a guess), or 410 with the kind's closed page. Whatever the answer,
    no cache keeps it (`no-store`: it shows a company's or a person's own data) and no Referer
    names its address."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, token, **kwargs):
            kind = registry.get(kind_key)
            if guessing_blocked(request):
                return render(request, "links/throttled.html", status=429)
            link = tokens.find(kind.rows(), token)
            if link is None:
                count_guess(request)
                return render(request, kind.unknown_template, status=404)
            if reason := kind.closed_because(link, timezone.now()):
                context = {"link": link, "reason": reason, **kind.closed_context(link)}
                return render(request, kind.closed_template, context, status=410)
            return view(request, link, token=token, **kwargs)

        served = private(wrapped)
        served.link_kind = kind_key  # what tests find at a link's address
        return served

    return decorator


def private(view):
    """No cache keeps the answer and no Referer names the address, a 404 raised inside too."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404 as missing:
            response = get_resolver().resolve_error_handler(404)(request, missing)
        patch_cache_control(response, no_store=True)
        response["Referrer-Policy"] = REFERRER_POLICY
        return response

    return wrapped


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
