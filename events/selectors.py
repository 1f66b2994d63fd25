"""Reads of meetings shared by the API list, calendar sync and feeds.

The list and sync endpoints render plain rows from `values()` rather than model instances and
serializers: two queries for any number of meetings, and a fraction of the Python work. The
shape is the API's Meeting (events.api.MeetingSerializer); a test holds the two equal.
"""

import datetime
import functools

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.utils import timezone

from api.rows import day, instant

from .models import Attendance, MeetingChange, MeetingDocument

MEETING_VALUE_FIELDS = (
    "id",
    "relay_number",
    "title",
    "title_en",
    "theme",
    "description",
    "all_day",
    "starts_at",
    "ends_at",
    "start_date",
    "end_date",
    "venue",
    "address",
    "status",
    "visibility",
    "feedback_deadline",
    "host",
    "version",
    "updated_at",
)
_DATETIMES = ("starts_at", "ends_at", "feedback_deadline", "updated_at")
_DATES = ("start_date", "end_date")


def meeting_values(queryset):
    """A values() queryset of the API's meeting fields, to paginate or slice."""
    return queryset.values(*MEETING_VALUE_FIELDS, series_slug=F("series__slug"))


def meeting_ics_url(meeting_id) -> str:
    return f"{settings.SITE_URL}/calendar/meetings/{meeting_id}.ics"


def meeting_rows(values) -> list[dict]:
    """API representations of meeting rows from `meeting_values`, in their order."""
    values = list(values)
    organizations = meeting_organizations([row["id"] for row in values])
    tz = timezone.get_current_timezone()
    return [_as_api_row(row, organizations.get(row["id"], []), tz) for row in values]


def meeting_organizations(meeting_ids) -> dict:
    """Each meeting's attending organizations as `[{id, name}]`, once each, in list order."""
    found: dict = {}
    attendance = (
        Attendance.objects.filter(meeting_id__in=meeting_ids)
        .order_by("id")
        .values_list("meeting_id", "organization_id", "organization__name")
    )
    for meeting_id, organization_id, name in attendance:
        found.setdefault(meeting_id, {}).setdefault(organization_id, name)
    return {
        meeting_id: [{"id": pk, "name": name} for pk, name in names.items()]
        for meeting_id, names in found.items()
    }


def _as_api_row(row, organizations, tz) -> dict:
    for name in _DATETIMES:
        row[name] = instant(row[name], tz)
    for name in _DATES:
        row[name] = day(row[name])
    return {
        "id": str(row["id"]),
        "series": row["series_slug"],
        **{name: row[name] for name in MEETING_VALUE_FIELDS[1:-2]},
        "organizations": organizations,
        "version": row["version"],
        "updated_at": row["updated_at"],
        "ics_url": meeting_ics_url(row["id"]),
    }


def latest_change():
    """`(seq, changed_at)` of the newest change of any meeting, or None.

    Every write to a meeting or its attendance moves it, so feeds and the home page take their
    ETag, Last-Modified and cache key from this one indexed row before rendering anything.
    """
    sql, params = _latest_change_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    seq, changed_at = row
    # SQLite gives the naive UTC instant that the ORM would have made aware.
    if timezone.is_naive(changed_at):
        changed_at = changed_at.replace(tzinfo=datetime.UTC)
    return seq, changed_at


@functools.cache
def _latest_change_sql():
    """Compiled once per process: every feed poll and home page asks, and compiling the
    query cost as much as running it."""
    newest = MeetingChange.objects.order_by("-seq").values_list("seq", "changed_at")[:1]
    return newest.query.sql_with_params()


def documents_visible_to(user):
    """A meeting's documents the user may list and download: public ones for anyone (on a
    meeting they may see), internal ones for staff."""
    documents = MeetingDocument.objects.order_by("kind", "title", "pk")
    if user.has_perm("events.view_meetingdocument"):
        return documents
    return documents.filter(visibility=MeetingDocument.Visibility.PUBLIC)
