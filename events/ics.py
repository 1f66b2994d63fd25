"""iCalendar (RFC 5545 / RFC 7986) rendering of meetings.

Each meeting's VEVENT is written straight to bytes, once per version of the meeting, and kept
in the cache; a calendar is its header and VTIMEZONE (from the icalendar library, which the
tests also hold every VEVENT to) around those pieces. The output depends only on the rows and
the language, never on the clock, so that a rendered feed can be cached under an ETag
(events.feeds).
"""

import datetime
import functools
import hashlib

import icalendar
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import Meeting
from .selectors import MEETING_VALUE_FIELDS

PRODID = "-//Roundtable//AI transformation relay roundtables//KO"
REFRESH = datetime.timedelta(hours=1)
FEED_FIELDS = (*MEETING_VALUE_FIELDS, "created_at")
STATUS = {
    Meeting.Status.PLANNED: "TENTATIVE",
    Meeting.Status.POSTPONED: "TENTATIVE",
    Meeting.Status.CONFIRMED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.CANCELLED: "CANCELLED",
}
# Raise when the rendering of a VEVENT changes: cached pieces of the old one are then unused.
RENDERING = 1
PIECE_SECONDS = 7 * 24 * 60 * 60
# Up to this many meetings missing from the cache are read by id; more, with the feed's query.
BY_ID = 500
END = b"END:VCALENDAR\r\n"


def meeting_page_url(meeting_id) -> str:
    return f"{settings.SITE_URL}/meetings/{meeting_id}/"


def render_calendar(*, name: str, uid: str, meetings) -> bytes:
    """A whole calendar of the `meetings` queryset, one VEVENT each, in the active language."""
    calendar = icalendar.Calendar.new(
        # A calendar's name is one line in every client.
        name=" ".join(name.split()),
        uid=f"{uid}@{_host()}",
        prodid=PRODID,
        method="PUBLISH",
        refresh_interval=REFRESH,
    )
    # RFC 7986 asks for the value type; clients that predate it read X-PUBLISHED-TTL.
    calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    calendar.add("X-PUBLISHED-TTL", icalendar.vDuration(REFRESH))
    pieces, timed = vevents(meetings)
    return _assemble(calendar, pieces, timed)


def render_resource(row) -> bytes:
    """One meeting as a CalDAV calendar object resource (RFC 4791 §4.1): its VEVENT, the same
    as in the feeds, and its VTIMEZONE; no METHOD, which a stored resource may not carry."""
    calendar = icalendar.Calendar()
    calendar.add("VERSION", "2.0")
    calendar.add("PRODID", PRODID)
    return _assemble(calendar, [vevent(row)], not row["all_day"])


def _assemble(calendar, pieces, timed) -> bytes:
    head = calendar.to_ical().removesuffix(END)
    zone = _vtimezone(settings.TIME_ZONE) if timed else b""
    return b"".join((head, zone, *pieces, END))


@functools.cache
def _vtimezone(tzid) -> bytes:
    # What icalendar's add_missing_timezones() adds: it depends on nothing but the zone.
    return icalendar.Timezone.from_tzid(tzid).to_ical()


def vevents(meetings) -> tuple[list[bytes], bool]:
    """The VEVENTs of `meetings` in feed order, and whether any is timed (needs VTIMEZONE).

    One query for ids and versions, the pieces from the cache, and one more query for the
    meetings whose current version is not there: every change raises the version, so a
    cached piece is never stale."""
    variant = _variant()
    heads = list(meetings.order_by("period_start", "id").values_list("id", "version", "updated_at"))
    keys = [_piece_key(variant, *head) for head in heads]
    found = cache.get_many(keys)
    missing = {head[0] for head, key in zip(heads, keys, strict=True) if key not in found}
    fresh = {}
    if missing:
        rows = meetings.filter(pk__in=missing) if len(missing) <= BY_ID else meetings
        for row in rows.values(*FEED_FIELDS):
            if row["id"] in missing:
                # Keyed by the version read with it, which may be newer than the heads'.
                key = _piece_key(variant, row["id"], row["version"], row["updated_at"])
                fresh[row["id"]] = (key, vevent(row), row["all_day"])
        cache.set_many(
            {key: (body, all_day) for key, body, all_day in fresh.values()}, PIECE_SECONDS
        )
    pieces, timed = [], False
    for head, key in zip(heads, keys, strict=True):
        piece = found.get(key) or fresh.get(head[0], (None, None, None))[1:]
        if piece[0] is None:
            continue  # deleted, or out of this feed, between the two queries
        pieces.append(piece[0])
        timed = timed or not piece[1]
    return pieces, timed


def _variant() -> str:
    """Whatever a VEVENT depends on besides its meeting's row."""
    basis = f"{RENDERING}|{get_language()}|{settings.SITE_URL}|{settings.TIME_ZONE}|{_host_label()}"
    return hashlib.sha256(basis.encode()).hexdigest()[:16]


def _piece_key(variant, meeting_id, version, updated_at) -> str:
    # updated_at too: a database restored from a backup reuses versions, not instants.
    return f"events:vevent:{variant}:{meeting_id}:{version}:{updated_at.timestamp()}"


def _host_label() -> str:
    return _("Host: %(host)s")


def vevent(row) -> bytes:
    """One meeting (a row of FEED_FIELDS) as a VEVENT in the active language: the bytes
    icalendar writes for it, property for property (events/tests/test_ics.py), only faster."""
    english = get_language() == "en"
    host = _host()
    if row["all_day"]:
        # DTEND of an all-day event is exclusive: the day after the last day.
        start = f"DTSTART;VALUE=DATE:{_date(row['start_date'])}"
        end = f"DTEND;VALUE=DATE:{_date(row['end_date'] + datetime.timedelta(days=1))}"
    else:
        start, end = _local("DTSTART", row["starts_at"]), _local("DTEND", row["ends_at"])
    url = meeting_page_url(row["id"])
    summary = row["title_en"] if english and row["title_en"] else row["title"]
    location = ", ".join(part for part in (row["venue"], row["address"]) if part)
    lines = [
        b"BEGIN:VEVENT\r\n",
        _line(f"SUMMARY:{_text(summary)}"),
        _line(start),
        _line(end),
        _line(f"DTSTAMP:{_utc(row['updated_at'])}"),
        _line(f"UID:{_text(str(row['id']))}@{_text(host)}"),
        _line(f"SEQUENCE:{row['version']}"),
        _line(f"CATEGORIES:{_text(row['theme'])}") if row["theme"] else b"",
        _line(f"CREATED:{_utc(row['created_at'])}"),
        _line(f"DESCRIPTION:{_text(_description(row, url))}"),
        _line(f"LAST-MODIFIED:{_utc(row['updated_at'])}"),
        _line(f"LOCATION:{_text(location)}"),
        _line(f"STATUS:{STATUS[row['status']]}"),
        _line(f"URL:{url}"),
        b"END:VEVENT\r\n",
    ]
    return b"".join(lines)


def _text(value: str) -> str:
    """RFC 5545 TEXT (§3.3.11): what was typed stays data. Unlike icalendar, a typed "\\N"
    stays two characters rather than becoming a line break."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _line(line: str) -> bytes:
    """A content line folded as icalendar folds it: at most 75 octets with the leading space of
    a continuation, never inside a UTF-8 character nor right after an escaping backslash."""
    data = line.encode()
    if len(data) < 75:
        return data + b"\r\n"
    parts, start = [], 0
    while len(data) - start > 74:
        cut = start + 74
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte
            cut -= 1
        if data[cut - 1] in b"\\^":
            cut -= 1
        parts.append(data[start:cut])
        start = cut
    parts.append(data[start:])
    return b"\r\n ".join(parts) + b"\r\n"


def _date(day) -> str:
    return f"{day.year:04}{day.month:02}{day.day:02}"


def _clock(moment) -> str:
    return f"{_date(moment)}T{moment.hour:02}{moment.minute:02}{moment.second:02}"


def _utc(moment) -> str:
    return f"{_clock(moment.astimezone(datetime.UTC))}Z"


def _local(name, moment) -> str:
    local = timezone.localtime(moment)
    return f"{name};TZID={settings.TIME_ZONE}:{_clock(local)}"


def _description(row, url) -> str:
    lines = []
    if row["host"]:
        lines.append(_host_label() % {"host": row["host"]})
    if row["description"]:
        lines.append(row["description"])
    lines.append(url)
    return "\n\n".join(lines)


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]


def google_event_url(meeting) -> str:
    """Google Calendar's "add this event" page for one meeting (a link, no script): its title,
    time (all-day as dates, the last one exclusive), place and page, in the active language."""
    if meeting.all_day:
        end = meeting.end_date or meeting.start_date
        dates = f"{meeting.start_date:%Y%m%d}/{end + datetime.timedelta(days=1):%Y%m%d}"
    else:
        utc = datetime.UTC
        dates = f"{meeting.starts_at.astimezone(utc):%Y%m%dT%H%M%SZ}/"
        dates += f"{meeting.ends_at.astimezone(utc):%Y%m%dT%H%M%SZ}"
    english = get_language() == "en"
    query = {
        "action": "TEMPLATE",
        "text": meeting.title_en if english and meeting.title_en else meeting.title,
        "dates": dates,
        "location": ", ".join(part for part in (meeting.venue, meeting.address) if part),
        "details": meeting_page_url(meeting.pk),
        "ctz": settings.TIME_ZONE,
    }
    return f"https://calendar.google.com/calendar/render?{urlencode(query)}"
