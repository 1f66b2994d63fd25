"""iCalendar (RFC 5545 / RFC 7986) rendering of meetings, with the icalendar library.

The output depends only on the rows and the language, never on the clock, so that a rendered
feed can be cached under an ETag (events.feeds).
"""

import datetime

import icalendar
from django.conf import settings
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


def meeting_page_url(meeting_id) -> str:
    return f"{settings.SITE_URL}/meetings/{meeting_id}/"


def render_calendar(*, name: str, uid: str, rows) -> bytes:
    """A whole calendar: one VEVENT per row of FEED_FIELDS, in the active language."""
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
    for row in rows:
        calendar.add_component(_event(row))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def render_resource(row) -> bytes:
    """One meeting as a CalDAV calendar object resource (RFC 4791 §4.1): its VEVENT, the same
    as in the feeds, and its VTIMEZONE; no METHOD, which a stored resource may not carry."""
    calendar = icalendar.Calendar()
    calendar.add("VERSION", "2.0")
    calendar.add("PRODID", PRODID)
    calendar.add_component(_event(row))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _event(row) -> icalendar.Event:
    english = get_language() == "en"
    if row["all_day"]:
        # DTEND of an all-day event is exclusive: the day after the last day.
        start, end = row["start_date"], row["end_date"] + datetime.timedelta(days=1)
    else:
        start, end = timezone.localtime(row["starts_at"]), timezone.localtime(row["ends_at"])
    url = meeting_page_url(row["id"])
    event = icalendar.Event.new(
        uid=f"{row['id']}@{_host()}",
        sequence=row["version"],
        stamp=row["updated_at"],
        created=row["created_at"],
        last_modified=row["updated_at"],
        start=start,
        end=end,
        summary=(row["title_en"] if english and row["title_en"] else row["title"]),
        location=", ".join(part for part in (row["venue"], row["address"]) if part),
        description=_description(row, url),
        url=url,
        status=STATUS[row["status"]],
    )
    if row["theme"]:
        event.add("CATEGORIES", [row["theme"]])
    return event


def _description(row, url) -> str:
    lines = []
    if row["host"]:
        lines.append(_("Host: %(host)s") % {"host": row["host"]})
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
