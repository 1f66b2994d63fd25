"""The figures of the coordinators' dashboard. Each table is read with a fixed number of
queries, however many meetings, ministries, requests and pledges there are."""

import dataclasses
import datetime
import statistics

from django.db.models import Case, Count, F, Q, When
from django.utils import timezone

from events.models import Attendance, Meeting
from feedback import selectors as feedback_selectors
from followups.models import StakeholderRequest
from followups.selectors import requests_visible_to
from pledges import selectors as pledge_selectors
from stakeholders.models import Organization

Status = StakeholderRequest.Status


@dataclasses.dataclass
class MeetingRow:
    meeting: Meeting
    attendees: int
    by_status: dict
    requests: int
    response_rate: int | None


@dataclasses.dataclass
class MinistryRow:
    ministry: Organization
    open: int
    overdue: int
    answered: int
    median_days: float | None


# The dashboard lists the meetings around today, not the whole series: the next ones and the
# latest held, as many of each (the meeting list has every one).
MEETINGS_EACH_WAY = 10


@dataclasses.dataclass
class MeetingRows:
    rows: list[MeetingRow]
    total: int  # meetings in all, of which `rows` are the ones around today


def meeting_rows(user=None) -> MeetingRows:
    """The next MEETINGS_EACH_WAY meetings and the latest as many before them, latest first:
    attendees, requests by status (those `user` may see, so that each count is what its link
    lists), feedback response rate."""
    start_of_today = datetime.datetime.combine(
        today(), datetime.time.min, timezone.get_current_timezone()
    )
    # Two reads along the index on period_start: one query with both would scan every meeting.
    meetings = Meeting.objects.select_related("series")
    upcoming = meetings.filter(period_start__gte=start_of_today).order_by("period_start", "pk")
    past = meetings.filter(period_start__lt=start_of_today).order_by("-period_start", "-pk")
    shown = [
        *reversed(upcoming[:MEETINGS_EACH_WAY]),
        *past[:MEETINGS_EACH_WAY],
    ]
    ids = [meeting.pk for meeting in shown]
    attendees = dict(
        Attendance.objects.filter(meeting_id__in=ids)
        .values_list("meeting_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_status = {}
    for meeting_id, status, count in (
        _visible(user)
        .filter(meeting_id__in=ids)
        .values_list("meeting_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        by_status.setdefault(meeting_id, {})[status] = count
    rates = feedback_selectors.response_rates(ids)
    rows = [
        MeetingRow(
            meeting=meeting,
            attendees=attendees.get(meeting.pk, 0),
            by_status={s: by_status.get(meeting.pk, {}).get(s, 0) for s in Status.values},
            requests=sum(by_status.get(meeting.pk, {}).values()),
            response_rate=rates.get(meeting.pk),
        )
        for meeting in shown
    ]
    return MeetingRows(rows=rows, total=Meeting.objects.count())


def ministry_rows(today: datetime.date, user=None) -> list[MinistryRow]:
    """Per ministry with requests (that `user` may see): open, overdue, answered, median days
    to the response."""
    counts = {
        row["ministry_id"]: row
        for row in _visible(user)
        .filter(ministry__isnull=False)
        .values("ministry_id")
        .annotate(
            open=Count("pk", filter=Q(status__in=StakeholderRequest.OPEN_STATUSES)),
            overdue=Count(
                "pk",
                filter=Q(status__in=StakeholderRequest.OPEN_STATUSES, due_date__lt=today),
            ),
            answered=Count("pk", filter=Q(status__in=StakeholderRequest.DONE_STATUSES)),
        )
        .order_by()
    }
    durations = {}
    for ministry_id, taken in (
        _visible(user)
        .filter(ministry__isnull=False, responded_at__isnull=False)
        .values_list("ministry_id", F("responded_at") - raised_at())
    ):
        durations.setdefault(ministry_id, []).append(taken.total_seconds() / 86400)
    ministries = Organization.objects.filter(pk__in=counts).order_by("name")
    return [
        MinistryRow(
            ministry=ministry,
            open=counts[ministry.pk]["open"],
            overdue=counts[ministry.pk]["overdue"],
            answered=counts[ministry.pk]["answered"],
            median_days=(
                round(statistics.median(durations[ministry.pk]), 1)
                if ministry.pk in durations
                else None
            ),
        )
        for ministry in ministries
    ]


def _visible(user):
    requests = StakeholderRequest.objects.all()
    return requests if user is None else requests_visible_to(user, requests)


def raised_at():
    """When a request was raised: its meeting's start for one raised there (a request is often
    recorded, or imported, long after the meeting), else when it was recorded."""
    return Case(
        When(
            source=StakeholderRequest.Source.MEETING,
            then=F("meeting__period_start"),
        ),
        default=F("created_at"),
    )


# The due list shows the soonest requests, as many as this; the request list has the rest.
DUE_SHOWN = 50


def due_within(today: datetime.date, days: int):
    """Open requests due from today to `days` ahead, soonest first."""
    return (
        StakeholderRequest.objects.filter(
            status__in=StakeholderRequest.OPEN_STATUSES,
            due_date__gte=today,
            due_date__lte=today + datetime.timedelta(days=days),
        )
        .select_related("organization", "ministry", "meeting")
        .order_by("due_date", "pk")
    )


def pledges():
    """Pledges with their latest value and, for their charts, every progress entry."""
    return (
        pledge_selectors.with_latest_progress()
        .select_related("meeting")
        .prefetch_related("progress_entries")
    )


def asking_organizations(user=None, limit=12) -> list[dict]:
    """The organizations that made the most requests (that `user` may see), for their
    timelines: id, name and count, most first. One query."""
    return list(
        _visible(user)
        .values("organization_id", "organization__name")
        .annotate(requests=Count("pk"))
        .order_by("-requests", "organization__name")[:limit]
    )


def today() -> datetime.date:
    return timezone.localdate()
