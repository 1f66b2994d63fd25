"""What the public results of a series show, read in a fixed number of queries: the pledges
announced at its public meetings with their progress, and the requests a coordinator marked
public at those meetings. Nothing of an internal meeting, and no person, is read."""

import hashlib

from django.db.models import Count, Max, Prefetch, Subquery

from events.models import Meeting, Series
from followups import search
from followups.models import StakeholderRequest
from pledges.models import Commitment, ProgressEntry

RELAY_SERIES = "ai-transformation-relay"


def series_for(slug: str | None) -> Series | None:
    """The series `slug` names; without one, the relay series (or the first there is)."""
    if slug:
        return Series.objects.filter(slug=slug).first()
    return Series.objects.filter(slug=RELAY_SERIES).first() or Series.objects.first()


def public_meetings(series):
    return Meeting.objects.public().filter(series=series)


def pledges(series):
    entries = ProgressEntry.objects.only("id", "commitment_id", "date", "value", "note")
    return (
        Commitment.objects.filter(meeting__in=public_meetings(series))
        .select_related("meeting")
        .prefetch_related(Prefetch("progress_entries", queryset=entries.order_by("date", "id")))
        .order_by("meeting__period_start", "id")
    )


def public_requests(series, query: str = ""):
    requests = (
        StakeholderRequest.objects.filter(meeting__in=public_meetings(series), is_public=True)
        .select_related("meeting", "organization")
        .only(
            "id",
            "category",
            "text",
            "public_summary",
            "status",
            "response",
            "published_at",
            "meeting__id",
            "meeting__title",
            "meeting__title_en",
            "meeting__period_start",
            "meeting__relay_number",
            "organization__id",
            "organization__name",
            "organization__name_en",
        )
        .order_by("meeting__period_start", "meeting__relay_number", "meeting_id", "id")
    )
    if query.strip():
        requests = search.matching(requests, query)
    return requests


def grouped(requests) -> list[dict]:
    """The requests by meeting, in the meetings' order, and in each by category, in the order
    of the categories' choices."""
    order = {value: index for index, value in enumerate(StakeholderRequest.Category.values)}
    meetings: dict = {}
    for request in requests:
        meetings.setdefault(request.meeting_id, (request.meeting, {}))[1].setdefault(
            request.category, []
        ).append(request)
    return [
        {
            "meeting": meeting,
            "categories": [
                {"label": rows[0].get_category_display(), "requests": rows}
                for category, rows in sorted(categories.items(), key=lambda i: order[i[0]])
            ],
        }
        for meeting, categories in meetings.values()
    ]


def version(series) -> str:
    """A digest that moves with every change the page shows: the newest change and the number
    of the series' public meetings, their public requests and pledges, and the newest change
    of a progress entry (its history, which also records deletions). One query."""
    meetings = public_meetings(series)
    requests = StakeholderRequest.objects.filter(meeting__in=meetings, is_public=True)
    commitments = Commitment.objects.filter(meeting__in=meetings)
    entries = ProgressEntry.history.filter(commitment__meeting__series=series)

    def summary(queryset, group, aggregate):
        # One row: every row of `queryset` is of the series it is grouped by.
        rows = queryset.order_by().values(group).annotate(value=aggregate).values("value")
        return Subquery(rows[:1])

    row = (
        Series.objects.filter(pk=series.pk)
        .annotate(
            meetings_at=summary(Meeting.objects.filter(series=series), "series", Max("updated_at")),
            meetings_count=summary(meetings, "series", Count("pk")),
            requests_at=summary(requests, "meeting__series", Max("updated_at")),
            requests_count=summary(requests, "meeting__series", Count("pk")),
            commitments_at=summary(commitments, "meeting__series", Max("updated_at")),
            commitments_count=summary(commitments, "meeting__series", Count("pk")),
            entries_at=summary(entries, "commitment__meeting__series", Max("history_date")),
            entries_count=summary(entries, "commitment__meeting__series", Count("pk")),
        )
        .values(
            "meetings_at",
            "meetings_count",
            "requests_at",
            "requests_count",
            "commitments_at",
            "commitments_count",
            "entries_at",
            "entries_count",
        )
        .get()
    )
    basis = repr(sorted(row.items()))
    return hashlib.sha256(basis.encode()).hexdigest()[:32]
