"""Read-only CalDAV (RFC 4791, RFC 6578, RFC 6764), as thin views over what exists:
the meetings a user may see (the same set as the REST sync), the feeds' VEVENT (events.ics)
and the sync positions of events.sync, whose late-commit guarantee the DAV sync token keeps (it
carries the same signed position).

    /.well-known/caldav                          → /dav/ (any method)
    /dav/                                        current-user-principal, calendar-home-set
    /dav/principals/<username>/                  the user's principal
    /dav/calendars/<username>/                   calendar home
    /dav/calendars/<username>/meetings/          the calendar
    /dav/calendars/<username>/meetings/<id>.ics  one meeting

Every address answers with and without its closing slash (no APPEND_SLASH redirect, which a
PROPFIND or REPORT would not follow), no view is CSRF-protected (calendar apps send no token;
nothing here writes), and each meeting's ETag is strong, the same in GET and in getetag.
"""

import datetime
import hashlib
import urllib.parse
import uuid
from itertools import islice

from django.conf import settings
from django.http import (
    HttpResponse,
    HttpResponsePermanentRedirect,
    StreamingHttpResponse,
)
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.common import no_append_slash
from django.views.decorators.csrf import csrf_exempt

from events import ics, sync
from events.models import Meeting

from . import auth, xml
from .xml import c, d

DAV_HEADER = "1, 3, calendar-access"
ALLOW = "OPTIONS, GET, HEAD, PROPFIND, REPORT"
XML_TYPE = "application/xml; charset=utf-8"
ICS_TYPE = "text/calendar; charset=utf-8"
# Meetings read and written out at a time: a listing of any size is streamed.
CHUNK = 500
# A sync-collection answer brings at most this many changes per page of events.sync.
SYNC_PAGE = 500
CALENDAR_NAME = "meetings"
COLOR = "#1F5FAEFF"
# Whatever may change a meeting's rendering besides the meeting: its ETag names them too.
RENDERING = f"{ics.PRODID}|2"
# What allprop leaves out: costly to compute, and asked for by name by the clients that want it.
NOT_IN_ALLPROP = {c("calendar-data"), d("getcontentlength")}
# Methods that would change something, and the privilege each would need (RFC 3744).
WRITES = {
    "PUT": "write-content",
    "POST": "write",
    "PATCH": "write",
    "DELETE": "unbind",
    "MKCOL": "bind",
    "MKCALENDAR": "bind",
    "PROPPATCH": "write-properties",
    "MOVE": "unbind",
    "COPY": "bind",
    "LOCK": "write",
    "UNLOCK": "write",
    "ACL": "write-acl",
    "BIND": "bind",
    "UNBIND": "unbind",
    "REBIND": "bind",
}


class Precondition(Exception):
    """A request this server refuses with 403 and the precondition it fails (RFC 4918 §16)."""

    def __init__(self, condition: str):
        self.condition = condition


# --- Entry points ------------------------------------------------------------------------------


@csrf_exempt
@no_append_slash
def well_known(request):
    """RFC 6764: whatever the method, the context path."""
    return HttpResponsePermanentRedirect(reverse("dav-root"))


@csrf_exempt
@no_append_slash
def resource(request, kind, username=None, name=None, rest=None):
    method = request.method.upper()
    if method == "OPTIONS":
        return _with_dav(HttpResponse(headers={"Allow": ALLOW, "Content-Length": "0"}))
    try:
        user = auth.authenticate(request)
    except auth.Refused as refused:
        return _with_dav(refused.response)
    request.user = user  # for the request log
    if username is not None and username != user.get_username():
        return _not_found()
    if not user.has_perm("events.view_meeting"):
        return _with_dav(_forbidden(request.path, "read"))
    if method in WRITES:
        return _with_dav(_forbidden(request.path, WRITES[method]))
    handler = {"GET": _get, "HEAD": _get, "PROPFIND": _propfind, "REPORT": _report}.get(method)
    if handler is None:
        return _with_dav(HttpResponse(status=405, headers={"Allow": ALLOW}))
    if kind == "unknown":
        return _not_found()
    dav = Dav(request, user)
    meeting_id = None
    if kind == "object":
        meeting_id = _meeting_id(name)
        if meeting_id is None:
            return _not_found()
    try:
        response = handler(dav, kind, meeting_id)
    except xml.BadBody as bad:
        response = HttpResponse(
            _("The request body is not DAV XML this server reads: %(error)s") % {"error": bad},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    except Precondition as refused:
        response = HttpResponse(xml.error(refused.condition), status=403, content_type=XML_TYPE)
    return _with_dav(response)


def _with_dav(response):
    response["DAV"] = DAV_HEADER
    return response


def _not_found():
    return _with_dav(HttpResponse(status=404, content_type="text/plain; charset=utf-8"))


def _forbidden(path, privilege):
    body = xml.error(
        d("need-privileges"),
        [
            xml.element(
                d("resource"),
                [xml.href(path), xml.element(d("privilege"), [xml.element(d(privilege))])],
            )
        ],
    )
    return HttpResponse(body, status=403, content_type=XML_TYPE)


def _meeting_id(name):
    stem, dot, extension = (name or "").rpartition(".")
    if not dot or extension != "ics":
        return None
    try:
        return uuid.UUID(stem)
    except ValueError:
        return None


# --- What a signed-in user sees ----------------------------------------------------------------


class Dav:
    """One request's user, addresses and (computed once) collection state."""

    def __init__(self, request, user):
        self.request = request
        self.user = user
        self.username = user.get_username()
        self.root = reverse("dav-root")
        self.principal = reverse("dav-principal", args=[self.username])
        self.home = reverse("dav-home", args=[self.username])
        self.calendar = reverse("dav-calendar", args=[self.username])
        self.language = get_language()
        self._token = None

    def meetings(self):
        return Meeting.objects.visible_to(self.user)

    def object_path(self, meeting_id) -> str:
        return f"{self.calendar}{meeting_id}.ics"

    @property
    def sync_token(self) -> str:
        """The collection's current (settled) sync token, as a URI."""
        if self._token is None:
            self._token = _token_uri("s", sync.settled_sync_token(user=self.user))
        return self._token

    def ctag(self) -> str:
        basis = f"{self.sync_token}|{self.language}|{settings.SITE_URL}|{RENDERING}"
        return hashlib.sha256(basis.encode()).hexdigest()[:32]

    # Properties of each kind of resource: name → a function giving its value.

    def common(self):
        return {
            d("current-user-principal"): lambda: [xml.href(self.principal)],
            d("current-user-privilege-set"): lambda: [_privilege("read")],
        }

    def root_props(self):
        return {
            d("resourcetype"): lambda: [xml.element(d("collection"))],
            d("displayname"): lambda: "Roundtable",
            c("calendar-home-set"): lambda: [xml.href(self.home)],
            d("principal-URL"): lambda: [xml.href(self.principal)],
            **self.common(),
        }

    def principal_props(self):
        addresses = [f"mailto:{self.user.email}"] if self.user.email else []
        return {
            d("resourcetype"): lambda: [xml.element(d("principal"))],
            d("displayname"): lambda: self.user.get_full_name() or self.username,
            d("principal-URL"): lambda: [xml.href(self.principal)],
            c("calendar-home-set"): lambda: [xml.href(self.home)],
            c("calendar-user-address-set"): lambda: [
                xml.href(a) for a in [*addresses, self.principal]
            ],
            **self.common(),
        }

    def home_props(self):
        return {
            d("resourcetype"): lambda: [xml.element(d("collection"))],
            d("displayname"): lambda: _("Calendars"),
            d("owner"): lambda: [xml.href(self.principal)],
            **self.common(),
        }

    def calendar_props(self):
        everything = sync.scope_of(self.user) == "all"
        return {
            d("resourcetype"): lambda: [xml.element(d("collection")), xml.element(c("calendar"))],
            d("displayname"): lambda: (
                _("Relay roundtables, with internal meetings")
                if everything
                else _("AI transformation relay roundtables")
            ),
            d("owner"): lambda: [xml.href(self.principal)],
            c("supported-calendar-component-set"): lambda: [xml.element(c("comp"), name="VEVENT")],
            c("supported-calendar-data"): lambda: [
                xml.element(c("calendar-data"), content_type="text/calendar", version="2.0")
            ],
            d("supported-report-set"): lambda: [
                xml.element(
                    d("supported-report"), [xml.element(d("report"), [xml.element(report)])]
                )
                for report in (c("calendar-multiget"), c("calendar-query"), d("sync-collection"))
            ],
            d("sync-token"): lambda: self.sync_token,
            xml.tag(xml.CALSERVER, "getctag"): self.ctag,
            xml.tag(xml.APPLE, "calendar-color"): lambda: COLOR,
            d("current-user-principal"): lambda: [xml.href(self.principal)],
            d("current-user-privilege-set"): lambda: [
                _privilege("read"),
                _privilege(c("read-free-busy")),
            ],
        }

    def object_props(self, row):
        body = []

        def rendered() -> bytes:
            if not body:
                body.append(ics.render_resource(row))
            return body[0]

        return {
            d("resourcetype"): lambda: None,
            d("getetag"): lambda: etag(row["id"], row["version"]),
            d("getcontenttype"): lambda: f"{ICS_TYPE}; component=VEVENT",
            d("getlastmodified"): lambda: http_date(row["updated_at"].timestamp()),
            d("getcontentlength"): lambda: str(len(rendered())),
            c("calendar-data"): lambda: rendered().decode(),
        }


def _privilege(name):
    return xml.element(d("privilege"), [xml.element(name if name.startswith("{") else d(name))])


def etag(meeting_id, version) -> str:
    """A meeting's strong ETag, the same for GET and getetag: its rendering depends on nothing
    else than its row (whose version every change raises), the language and the site."""
    basis = (
        f"{meeting_id}|{version}|{get_language()}|{settings.SITE_URL}|{RENDERING}"
        f"|{_('Host: %(host)s')}"
    )
    return f'"{hashlib.sha256(basis.encode()).hexdigest()[:32]}"'


def _token_uri(kind: str, token: str) -> str:
    return f"{settings.SITE_URL}/dav/sync/{kind}/{token}"


# --- GET ---------------------------------------------------------------------------------------


def _get(dav, kind, meeting_id):
    if kind != "object":
        return HttpResponse(
            _(
                "This is a calendar address for calendar apps (CalDAV). Add the server to "
                "your app as an account, with your username and an app password from My "
                "calendar."
            )
            + "\n",
            content_type="text/plain; charset=utf-8",
        )
    row = dav.meetings().filter(pk=meeting_id).values(*ics.FEED_FIELDS).first()
    if row is None:
        return _not_found()
    tag = etag(row["id"], row["version"])
    last_modified = int(row["updated_at"].timestamp())
    response = get_conditional_response(dav.request, etag=tag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(ics.render_resource(row), content_type=ICS_TYPE)
    response["ETag"] = tag
    response["Last-Modified"] = http_date(last_modified)
    # Each user's own: never kept by a shared cache; a client revalidates with the ETag.
    response["Cache-Control"] = "private, no-cache"
    return response


# --- PROPFIND ----------------------------------------------------------------------------------


def _propfind(dav, kind, meeting_id):
    depth = dav.request.headers.get("Depth", "0").strip().lower()
    if depth == "infinity":
        raise Precondition(d("propfind-finite-depth"))
    if depth not in ("0", "1"):
        raise xml.BadBody(f"Depth: {depth}")
    root = xml.parse(dav.request.body)
    if root is not None and root.tag != d("propfind"):
        raise xml.BadBody(root.tag)
    wanted = _wanted(root)
    if kind == "root":
        return _multistatus(dav, [answer(dav.root, dav.root_props(), wanted)])
    if kind == "principal":
        return _multistatus(dav, [answer(dav.principal, dav.principal_props(), wanted)])
    if kind == "home":
        found = [answer(dav.home, dav.home_props(), wanted)]
        if depth == "1":
            found.append(answer(dav.calendar, dav.calendar_props(), wanted))
        return _multistatus(dav, found)
    if kind == "calendar":
        found = [answer(dav.calendar, dav.calendar_props(), wanted)]
        if depth == "0":
            return _multistatus(dav, found)
        return _multistatus(dav, _chain(found, _objects(dav, dav.meetings(), wanted)))
    row = dav.meetings().filter(pk=meeting_id).values(*ics.FEED_FIELDS).first()
    if row is None:
        return _not_found()
    return _multistatus(dav, [answer(dav.object_path(row["id"]), dav.object_props(row), wanted)])


def _wanted(root):
    """What a PROPFIND or REPORT asks for: ("allprop", [included names]), ("propname", []) or
    ("prop", [names])."""
    if root is None:
        return "allprop", []
    if root.find(d("propname")) is not None:
        return "propname", []
    prop = root.find(d("prop"))
    if prop is not None:
        return "prop", list(
            dict.fromkeys(child.tag for child in prop if isinstance(child.tag, str))
        )
    include = root.find(d("include"))
    return "allprop", [child.tag for child in include] if include is not None else []


def answer(path, available, wanted):
    how, names = wanted
    if how == "propname":
        return xml.response(path, dict.fromkeys(available))
    if how == "allprop":
        names = [n for n in available if n not in NOT_IN_ALLPROP] + [
            n for n in names if n in NOT_IN_ALLPROP
        ]
    found = {name: available[name]() for name in names if name in available}
    missing = [name for name in names if name not in available]
    return xml.response(path, found, missing)


def _objects(dav, meetings, wanted):
    """The `response` of every meeting of `meetings`, read CHUNK at a time in id order."""
    after = None
    while True:
        page = meetings.order_by("pk")
        if after is not None:
            page = page.filter(pk__gt=after)
        rows = list(page.values(*ics.FEED_FIELDS)[:CHUNK])
        for row in rows:
            yield answer(dav.object_path(row["id"]), dav.object_props(row), wanted)
        if len(rows) < CHUNK:
            return
        after = rows[-1]["id"]


def _chain(first, rest):
    yield from first
    yield from rest


def _multistatus(dav, responses, tail=()):
    """A 207 streamed as it is written, in the request's language throughout."""
    language = dav.language

    def body():
        with translation.override(language):
            yield from xml.multistatus(responses, tail)

    return StreamingHttpResponse(body(), status=207, content_type=XML_TYPE)


# --- REPORT ------------------------------------------------------------------------------------


def _report(dav, kind, meeting_id):
    root = xml.parse(dav.request.body)
    if root is None:
        raise xml.BadBody(_("A REPORT needs a body."))
    reports = {
        c("calendar-multiget"): _multiget,
        c("calendar-query"): _query,
        d("sync-collection"): _sync_collection,
    }
    if kind != "calendar" or root.tag not in reports:
        raise Precondition(d("supported-report"))
    return reports[root.tag](dav, root)


def _multiget(dav, root):
    wanted = _wanted(root)
    hrefs = [(node.text or "").strip() for node in root.findall(d("href"))]

    def responses():
        chunks = iter(hrefs)
        while chunk := list(islice(chunks, CHUNK)):
            ids = {given: _href_meeting(dav, given) for given in chunk}
            rows = {
                row["id"]: row
                for row in dav.meetings()
                .filter(pk__in={pk for pk in ids.values() if pk})
                .values(*ics.FEED_FIELDS)
            }
            for given in chunk:
                row = rows.get(ids[given])
                if row is None:
                    yield xml.response(given, {}, code=404)
                else:
                    yield answer(given, dav.object_props(row), wanted)

    return _multistatus(dav, responses())


def _href_meeting(dav, given):
    """The meeting an href in this calendar names, or None."""
    path = urllib.parse.unquote(urllib.parse.urlsplit(given).path)
    folder, _slash, name = path.rpartition("/")
    if f"{folder}/" != urllib.parse.unquote(dav.calendar):
        return None
    return _meeting_id(name)


def _query(dav, root):
    wanted = _wanted(root)
    found = root.find(c("filter"))
    if found is None:
        raise Precondition(c("valid-filter"))
    meetings = _filtered(dav.meetings(), found)
    return _multistatus(dav, _objects(dav, meetings, wanted))


def _filtered(meetings, found):
    """`meetings` narrowed by a calendar-query filter (RFC 4791 §9.7): VCALENDAR, and in it
    VEVENT with a time-range and a UID match; any other component matches nothing."""
    calendars = found.findall(c("comp-filter"))
    if len(calendars) != 1 or calendars[0].get("name", "").upper() != "VCALENDAR":
        raise Precondition(c("valid-filter"))
    calendar = calendars[0]
    if calendar.find(c("is-not-defined")) is not None:
        return meetings.none()
    if calendar.find(c("prop-filter")) is not None or calendar.find(c("time-range")) is not None:
        raise Precondition(c("supported-filter"))
    for component in calendar.findall(c("comp-filter")):
        absent = component.find(c("is-not-defined")) is not None
        if component.get("name", "").upper() != "VEVENT":
            # A meeting is one VEVENT: no other component is there to match.
            if not absent:
                return meetings.none()
            continue
        if absent:
            return meetings.none()
        time_range = component.find(c("time-range"))
        if time_range is not None:
            meetings = _in_time_range(meetings, time_range)
        for prop in component.findall(c("prop-filter")):
            meetings = _uid_filter(meetings, prop)
        for inner in component.findall(c("comp-filter")):
            if inner.find(c("is-not-defined")) is None:
                return meetings.none()  # a meeting has no alarm or other sub-component
    return meetings


def _instant(value):
    if value is None:
        return None
    try:
        moment = datetime.datetime.strptime(value.strip(), "%Y%m%dT%H%M%SZ")
    except ValueError:
        raise Precondition(c("valid-filter")) from None
    return moment.replace(tzinfo=datetime.UTC)


def _in_time_range(meetings, time_range):
    """Meetings that overlap the range (RFC 4791 §9.9); an all-day meeting covers its days in
    Asia/Seoul, as its period does."""
    start, end = _instant(time_range.get("start")), _instant(time_range.get("end"))
    if start is None and end is None:
        raise Precondition(c("valid-filter"))
    if start is not None:
        meetings = meetings.filter(period_end__gt=start)
    if end is not None:
        meetings = meetings.filter(period_start__lt=end)
    return meetings


def _uid_filter(meetings, prop):
    if prop.get("name", "").upper() != "UID":
        raise Precondition(c("supported-filter"))
    if prop.find(c("is-not-defined")) is not None:
        return meetings.none()
    match = prop.find(c("text-match"))
    if match is None:
        return meetings
    # A meeting's UID is its id, then @ and the site's host (events.ics).
    meeting_id = _meeting_id(f"{(match.text or '').strip().split('@', 1)[0]}.ics")
    negate = match.get("negate-condition") == "yes"
    if meeting_id is None:
        return meetings if negate else meetings.none()
    return meetings.exclude(pk=meeting_id) if negate else meetings.filter(pk=meeting_id)


def _sync_collection(dav, root):
    """RFC 6578 sync-collection over events.sync: an empty token lists every meeting, a token
    what changed since it (a removed or hidden meeting as a 404 response). A DAV:limit is kept
    by answering one page and a 507 for the collection, with a token to go on from."""
    wanted = _wanted(root)
    level = (root.findtext(d("sync-level")) or "1").strip().lower()
    if level not in ("1", "infinite"):
        raise xml.BadBody(f"sync-level {level}")
    limit = root.findtext(f"{d('limit')}/{d('nresults')}")
    if limit is not None:
        try:
            limit = int(limit.strip())
        except ValueError:
            raise xml.BadBody(f"nresults {limit}") from None
        if limit < 1:
            raise xml.BadBody(f"nresults {limit}")
    given = (root.findtext(d("sync-token")) or "").strip()
    position = {}
    if given:
        kind, _slash, token = given.rpartition("/dav/sync/")[2].partition("/")
        if kind not in ("s", "p") or not token:
            raise Precondition(d("valid-sync-token"))
        position = {"sync_token" if kind == "s" else "page_token": token}
    try:
        first = sync.sync_page(
            user=dav.user, page_size=min(limit or SYNC_PAGE, SYNC_PAGE), settled=True, **position
        )
    except sync.SyncTokenInvalid:
        raise Precondition(d("valid-sync-token")) from None
    final = []

    def responses():
        page = first
        while True:
            yield from _changes(dav, page, wanted)
            if page.next_sync_token:
                final.append(_token_uri("s", page.next_sync_token))
                return
            if limit is not None:
                final.append(_token_uri("p", page.next_page_token))
                yield xml.response(dav.calendar, {}, code=507)
                return
            page = sync.sync_page(
                user=dav.user, page_token=page.next_page_token, page_size=SYNC_PAGE, settled=True
            )

    def tail():
        yield xml.element(d("sync-token"), final[0])

    return _multistatus(dav, responses(), tail())


def _changes(dav, page, wanted):
    """The responses of one page of events.sync: each changed meeting as it is now (read again,
    with what its rendering needs), or a 404 when it is gone from the user's sight."""
    ids = [item["id"] for item in page.results if not item.get("deleted")]
    rows = {
        str(row["id"]): row for row in dav.meetings().filter(pk__in=ids).values(*ics.FEED_FIELDS)
    }
    for item in page.results:
        path = dav.object_path(item["id"])
        row = rows.get(item["id"])
        if row is None:
            yield xml.response(path, {}, code=404)
        else:
            yield answer(path, dav.object_props(row), wanted)
