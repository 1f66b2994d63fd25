"""Calendar feeds (README, Calendar feeds and public pages): public, one meeting, one
organization, and private per user.

A feed's ETag comes from the newest change-log row, read before anything is rendered, so an
unchanged feed costs one indexed query and a 304. The rendered feed is cached under its ETag:
any change makes a new key, so there is nothing to invalidate. A new rendering reuses the
VEVENT of every meeting whose version it has rendered before (events.ics.vevents). A client
that accepts gzip, as calendar apps do, gets the body compressed once per rendering: a feed of
thousands of meetings is megabytes of text that compresses about tenfold.
"""

import functools
import gzip
import hashlib
import re
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.regex_helper import _lazy_re_compile
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from stakeholders.models import Organization

from . import ics, selectors, sync
from .models import Attendance, Meeting, PersonalFeed

LANGUAGES = {code for code, _name in settings.LANGUAGES}
CONTENT_TYPE = "text/calendar; charset=utf-8"
CACHE_SECONDS = 24 * 60 * 60


def calendar_response(request, *, scope, name, meetings, public=True, disposition=None):
    """The feed of the meetings `meetings()` returns, or 304 when the client's copy is current.

    `meetings` is called only when the feed must be rendered, so that a poll answered from a
    copy builds no queryset. `scope` names what the meetings are (the same for everyone who
    gets the same feed); `disposition` (content_disposition) names the file a browser saves.
    """
    latest = selectors.latest_change()
    seq, changed_at = latest or (0, None)
    # changed_at with seq: a database restored from a backup reuses numbers, not instants.
    basis = f"{scope}|{name}|{get_language()}|{seq}|{changed_at}|{settings.SITE_URL}"
    etag = f'"{hashlib.sha256(basis.encode()).hexdigest()[:40]}"'
    last_modified = int(changed_at.timestamp()) if changed_at else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    compressed = bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
    if response is None:
        response = HttpResponse(
            _body(
                etag,
                scope,
                lambda: ics.render_calendar(name=name, uid=scope, meetings=meetings()),
                compressed=compressed,
            ),
            content_type=CONTENT_TYPE,
        )
        if compressed:
            response["Content-Encoding"] = "gzip"
    # As Django's GZipMiddleware does: the compressed bytes differ, so their tag is weak; a
    # 304 compares weakly and answers either form.
    response["ETag"] = f"W/{etag}" if compressed else etag
    patch_vary_headers(response, ["Accept-Encoding"])
    if disposition:
        response["Content-Disposition"] = disposition
    if last_modified:
        response["Last-Modified"] = http_date(last_modified)
    # Calendar apps poll; a revalidation is one indexed query.
    response["Cache-Control"] = f"{'public' if public else 'private'}, max-age=300"
    return response


# The same test as Django's GZipMiddleware.
ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")

# The public feed's latest bodies per language and encoding, kept by each process besides the
# cache: it is the feed everyone polls, and megabytes read from Redis cost several times the
# rest of a 200.
_public_bodies: dict[tuple[str, bool], tuple[str, bytes]] = {}


def _body(etag, scope, render, *, compressed=False) -> bytes:
    """The feed whose ETag is `etag`, gzipped if `compressed`: from the process (the public
    feed), the cache, or `render()`."""
    if scope != "public":
        return _cached_body(etag, render, compressed)
    kept_etag, body = _public_bodies.get((get_language(), compressed), ("", b""))
    if kept_etag != etag:
        body = _cached_body(etag, render, compressed)
        _public_bodies[get_language(), compressed] = (etag, body)
    return body


def _cached_body(etag, render, compressed) -> bytes:
    plain = functools.partial(cache.get_or_set, f"events:ics:{etag}", render, CACHE_SECONDS)
    if not compressed:
        return plain()
    # mtime=0: the same rendering compresses to the same bytes in every process.
    return cache.get_or_set(
        f"events:ics.gz:{etag}", lambda: gzip.compress(plain(), mtime=0), CACHE_SECONDS
    )


def content_disposition(name: str, ascii_name: str = "") -> str:
    """A download named `name`.ics: RFC 5987's `filename*` in UTF-8, which browsers prefer,
    and an ASCII `filename` for older clients, from `ascii_name` (an English title) or the
    Latin words of `name`, else "meeting"."""
    # The Latin words only where there are some: "2" from "인재 간담회 2차" says nothing.
    words = [slug for slug in (slugify(ascii_name), slugify(name)) if re.search("[a-z]", slug)]
    fallback = words[0] if words else "meeting"
    readable = " ".join(name.replace("/", " ").split())
    return f"attachment; filename=\"{fallback}.ics\"; filename*=UTF-8''{quote(readable)}.ics"


def in_readers_language(view):
    """A calendar app subscribes without the reader's browser, so the pages' subscribe links
    carry the language they were read in (?lang=en); without it, the request's language."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        language = request.GET.get("lang")
        if language not in LANGUAGES:
            return view(request, *args, **kwargs)
        with translation.override(language):
            return view(request, *args, **kwargs)

    return wrapped


@require_safe
@in_readers_language
def public_feed(request):
    return calendar_response(
        request,
        scope="public",
        name=_("AI transformation relay roundtables"),
        meetings=Meeting.objects.public,
    )


@require_safe
@in_readers_language
def meeting_feed(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    title = meeting.title_en if get_language() == "en" and meeting.title_en else meeting.title
    return calendar_response(
        request,
        scope=f"meeting-{meeting.pk}",
        name=title,
        meetings=lambda: Meeting.objects.filter(pk=meeting.pk),
        public=meeting.is_public,
        disposition=content_disposition(title, meeting.title_en),
    )


@require_safe
def organization_feed(request, pk):
    organization = get_object_or_404(Organization, pk=pk)
    return calendar_response(
        request,
        scope=f"organization-{organization.pk}",
        name=_("%(organization)s: relay roundtables") % {"organization": organization.name},
        meetings=lambda: Meeting.objects.public().filter(
            pk__in=Attendance.objects.filter(organization=organization).values("meeting_id")
        ),
    )


@require_safe
def personal_feed(request, key):
    feed = get_object_or_404(
        PersonalFeed.objects.select_related("user"), key=key, user__is_active=True
    )
    user = feed.user
    if not user.has_perm("events.view_meeting"):
        raise Http404
    # Everyone with the same sight gets the same feed, so they share one cached rendering.
    scope = sync.scope_of(user)
    return calendar_response(
        request,
        scope=f"private-{scope}",
        name=_("Relay roundtables, with internal meetings")
        if scope == "all"
        else _("AI transformation relay roundtables"),
        meetings=lambda: Meeting.objects.visible_to(user),
        public=False,
    )
