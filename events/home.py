"""The home page (README, Calendar feeds and public pages): how to subscribe, the upcoming
meetings, soonest first, then a page of the past ones, latest first.

The page is rendered once per change and kept in the cache: its key holds the newest
change-log row (every write to a meeting or its attendance moves it, as for the feeds), what
the reader may see, the language and the page, so a change shows at once and nothing needs
invalidating. Time moves meetings from upcoming to past without a change, so an entry holds
only until the next meeting it lists as upcoming is over. The one part that differs between
readers, the language form's CSRF token, is put into the cached HTML as each is served.
"""

import datetime
import math

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import selectors, sync
from .models import Meeting

# A relay series plans a few meetings ahead; more than this is listed in the feed.
UPCOMING_LIMIT = 50
PAST_PER_PAGE = 20
CACHE_SECONDS = 24 * 60 * 60
# Stands for the CSRF token in the cached HTML. The language form comes before anything a
# meeting's text puts on the page, so the first occurrence is the form's.
CSRF_TOKEN_SLOT = "csrf-token-of-this-reader"
# Each process keeps its latest rendering of a page besides the cache: the home page is the
# most read one, and a read from Redis costs about a third of serving it from here.
KEPT_PAGES = 256
_kept: dict[tuple, tuple[str, str, datetime.datetime]] = {}


def page(request) -> str:
    """The HTML of the home page for `?page=`: the upcoming meetings (on the first page) and
    the page's past ones with the links to the pages around it. A page that is not a number
    from 1 to the last is not found."""
    number = page_number(request.GET.get("page"))
    seq, changed_at = selectors.latest_change() or (0, None)
    which = (sync.scope_of(request.user), get_language(), number)
    key = f"events:home:{seq}:{changed_at.timestamp() if changed_at else ''}:" + ":".join(
        map(str, which)
    )
    now = timezone.now()
    kept_key, html, until = _kept.get(which, ("", "", now))
    if kept_key != key or until <= now:
        # The entry says until when it holds: Redis expires it by its own clock.
        html, until = cache.get(key, (None, now))
        if until <= now:
            html, until = render(request, number, now)
            cache.set(key, (html, until), math.ceil((until - now).total_seconds()))
        if len(_kept) >= KEPT_PAGES:
            _kept.clear()
        _kept[which] = (key, html, until)
    return html.replace(CSRF_TOKEN_SLOT, get_token(request), 1)


def subscribe_links(path: str) -> dict:
    """The addresses of a feed a reader subscribes to: as it is, for calendar apps
    (webcal://), and through Google Calendar's "add by URL"; each in the page's language."""
    url = f"{settings.SITE_URL}{path}?{urlencode({'lang': get_language()})}"
    webcal = "webcal://" + url.split("://", 1)[1]
    return {
        "feed_url": url,
        "webcal_url": webcal,
        "google_url": f"https://calendar.google.com/calendar/r?{urlencode({'cid': webcal})}",
    }


def page_number(value) -> int:
    if value is None:
        return 1
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise Http404(_("There is no such page."))
    return number


def render(request, number, now) -> tuple[str, datetime.datetime]:
    """(HTML, until when it holds: the end of the next meeting to be over, a day at most)."""
    meetings = Meeting.objects.visible_to(request.user)
    past = Paginator(
        meetings.ended_before(now).order_by("-period_start", "-relay_number", "-id"),
        PAST_PER_PAGE,
    )
    try:
        past_page = past.page(number)
    except InvalidPage:
        raise Http404(_("There is no such page.")) from None
    upcoming = list(
        meetings.not_ended(now).order_by("period_start", "relay_number", "id")[: UPCOMING_LIMIT + 1]
    )
    more = len(upcoming) > UPCOMING_LIMIT
    upcoming = upcoming[:UPCOMING_LIMIT]
    # The next to be over is among those listed: one beyond the limit starts, so ends, no
    # sooner than the last one listed starts.
    moments = [now + datetime.timedelta(seconds=CACHE_SECONDS)]
    moments += [meeting.ends for meeting in upcoming]
    if more:
        moments.append(upcoming[-1].period_start)
    here = reverse("home")
    html = render_to_string(
        "events/meeting_list.html",
        {
            "upcoming": upcoming if number == 1 else [],
            "more_upcoming": more and number == 1,
            "past": past_page,
            "pages": {
                "previous": f"?page={past_page.previous_page_number()}"
                if past_page.has_previous()
                else None,
                "next": f"?page={past_page.next_page_number()}" if past_page.has_next() else None,
            },
            **subscribe_links(reverse("feed-public")),
            # The same for every reader of this page, whatever else the query holds.
            "next_path": f"{here}?page={number}" if number > 1 else here,
            "csrf_token": CSRF_TOKEN_SLOT,
        },
        request,
    )
    return html, min(moments)
