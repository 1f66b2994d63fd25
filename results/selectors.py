"""What the public results of a series show, read in a fixed number of queries: the pledges
announced at its public meetings with their progress, and the requests a coordinator marked
public at those meetings. Nothing of an internal meeting, and no person, is read."""

import hashlib

from django.db.models import Prefetch, Subquery

from events.models import Meeting, MeetingChange, Series
from followups import search
from followups.models import StakeholderRequest
from pledges.models import Commitment, ProgressEntry
from stakeholders.models import Organization

from . import pages

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


def requests_page(series, query: str, number):
    """Page `number` of the public requests, with the count of them all."""
    return pages.page_of(public_requests(series, query), number)


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
    """A digest that moves with every change the public results can show, read in one query
    of index lookups only, whatever the size of the tables: the newest row of the meetings'
    change log (triggers write one for every change of a meeting or its attendance, deletions
    included), and the newest history row of the requests (their links to pledges included),
    pledges, progress entries, organizations and series. It moves for a change of any series
    too, which costs a page a fresh rendering, never a stale one."""
    newest = {
        "meetings": MeetingChange.objects.order_by("-seq").values("seq"),
        "requests": StakeholderRequest.history.order_by("-history_id").values("history_id"),
        "pledges": Commitment.history.order_by("-history_id").values("history_id"),
        "entries": ProgressEntry.history.order_by("-history_id").values("history_id"),
        "organizations": Organization.history.order_by("-history_id").values("history_id"),
        "series": Series.history.order_by("-history_id").values("history_id"),
    }
    row = (
        Series.objects.filter(pk=series.pk)
        .annotate(**{f"newest_{name}": Subquery(rows[:1]) for name, rows in newest.items()})
        .values(*(f"newest_{name}" for name in newest))
        .get()
    )
    return hashlib.sha256(repr(sorted(row.items())).encode()).hexdigest()[:32]
