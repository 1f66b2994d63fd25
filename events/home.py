"""The home page's list of meetings (README, Calendar feeds and public pages): the upcoming
ones, soonest first, then a page of the past ones, latest first.

The list is rendered once per change and kept in the cache: its key holds the newest
change-log row (every write to a meeting or its attendance moves it, as for the feeds), what
the reader may see, the language and the page, so a change shows at once and nothing needs
invalidating. Time moves meetings from upcoming to past without a change, so an entry holds
only until the next meeting it lists as upcoming is over.
"""

import datetime
import math

from django.core.cache import cache
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import selectors, sync
from .models import Meeting

# A relay series plans a few meetings ahead; more than this is listed in the feed.
UPCOMING_LIMIT = 50
PAST_PER_PAGE = 20
CACHE_SECONDS = 24 * 60 * 60


def listing(request) -> str:
    """The HTML of the list for `?page=`: the upcoming meetings (on the first page) and the
    page's past ones with the links to the pages around it. A page that is not a number from
    1 to the last is not found."""
    number = page_number(request.GET.get("page"))
    seq, changed_at = selectors.latest_change() or (0, None)
    key = (
        f"events:home:{seq}:{changed_at.timestamp() if changed_at else ''}"
        f":{sync.scope_of(request.user)}:{get_language()}:{number}"
    )
    now = timezone.now()
    # The entry says until when it holds: Redis expires it by its own clock.
    html, until = cache.get(key, (None, now))
    if until <= now:
        html, until = render(request, number, now)
        cache.set(key, (html, until), math.ceil((until - now).total_seconds()))
    return html


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
        page = past.page(number)
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
    html = render_to_string(
        "events/_meeting_list.html",
        {
            "upcoming": upcoming if number == 1 else [],
            "more_upcoming": more and number == 1,
            "past": page,
            "pages": {
                "previous": f"?page={page.previous_page_number()}" if page.has_previous() else None,
                "next": f"?page={page.next_page_number()}" if page.has_next() else None,
            },
        },
    )
    return html, min(moments)
