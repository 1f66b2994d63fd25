"""What happened, in order, across a series: to one organization (the meetings it attended,
what it asked, the answers, their publication, and the progress of the pledges its requests
are linked to) and to one pledge (where it was announced, the requests it answers and their
answers, its progress entries).

Two sights of the same events. Staff see what they may (an officer, their ministry's
requests), drafted answers included. The public sees what /results/ shows: public meetings,
requests marked public, published answers, and no person. Each timeline is read in a fixed
number of queries, however many rows it has."""

import dataclasses
import datetime

from django.db.models import Exists, Prefetch
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from events.models import Attendance, Meeting
from followups.models import StakeholderRequest
from followups.selectors import requests_visible_to
from pledges.formatting import format_quantity
from pledges.models import Commitment, ProgressEntry
from stakeholders.models import Organization


class Kind:
    """What an entry records; also its CSS class on the pages."""

    MEETING = "meeting"
    REQUEST = "request"
    ANSWER = "answer"
    DECLINE = "decline"
    PUBLICATION = "publication"
    PLEDGE = "pledge"
    PROGRESS = "progress"

    LABELS = {
        MEETING: pgettext_lazy("a timeline entry", "Meeting"),
        REQUEST: pgettext_lazy("a timeline entry", "Request"),
        ANSWER: pgettext_lazy("a timeline entry", "Answer"),
        DECLINE: pgettext_lazy("a timeline entry", "Declined"),
        PUBLICATION: pgettext_lazy("a timeline entry", "Answer published"),
        PLEDGE: pgettext_lazy("a timeline entry", "Pledge announced"),
        PROGRESS: pgettext_lazy("a timeline entry", "Progress"),
    }


@dataclasses.dataclass
class Entry:
    at: datetime.datetime | datetime.date
    kind: str
    meeting: Meeting | None = None
    request: StakeholderRequest | None = None
    commitment: Commitment | None = None
    progress: ProgressEntry | None = None
    attendance: Attendance | None = None
    # Staff only: an answer drafted but not yet published.
    unpublished: bool = False

    @property
    def label(self) -> str:
        return Kind.LABELS[self.kind]

    @property
    def on_day(self) -> bool:
        """Whether only the day is known: a progress entry, or what happened at an all-day
        meeting (its start is midnight, not a time anyone met)."""
        if not isinstance(self.at, datetime.datetime):
            return True
        meeting = self.meeting
        return meeting is not None and meeting.all_day and self.at == meeting.period_start

    @property
    def progress_value(self) -> str:
        """A progress entry's figure as people write it: "230개", "12%"."""
        return format_quantity(self.progress.value, self.commitment.unit) if self.progress else ""

    def sort_key(self):
        if not isinstance(self.at, datetime.datetime):
            # A day's entries after that day's timed ones.
            moment = datetime.datetime.combine(self.at, datetime.time.max)
            return timezone.make_aware(moment), _ORDER[self.kind]
        return self.at, _ORDER[self.kind]


# Within the same moment: a meeting before what was asked at it, an ask before its answer.
_ORDER = {
    kind: position
    for position, kind in enumerate(
        [
            Kind.MEETING,
            Kind.PLEDGE,
            Kind.REQUEST,
            Kind.ANSWER,
            Kind.DECLINE,
            Kind.PUBLICATION,
            Kind.PROGRESS,
        ]
    )
}


def organization_timeline(organization, user=None, series=None) -> list[Entry]:
    """`organization`'s timeline as `user` may see it, the public's without a user; across
    every series, or `series` only."""
    public = user is None
    meetings = _meetings(user, series)
    attendances = (
        Attendance.objects.filter(organization=organization, meeting__in=meetings)
        .select_related("meeting")
        .order_by("meeting__period_start", "pk")
    )
    if not public:
        attendances = attendances.select_related("person")
    requests = _requests(
        StakeholderRequest.objects.filter(organization=organization), meetings, user
    )
    entries = [
        Entry(
            attendance.meeting.period_start, Kind.MEETING, attendance.meeting, attendance=attendance
        )
        for attendance in attendances
        if not (public and _absent(attendance))
    ]
    for request in requests:
        entries += _request_entries(request, public)
    linked = (
        Commitment.objects.filter(meeting__in=meetings, requests__in=requests.values("pk"))
        .distinct()
        .select_related("meeting")
        .prefetch_related(_entries_prefetch())
    )
    for commitment in linked:
        entries += _pledge_entries(commitment)
    return _in_order(entries)


def has_public_timeline(organization, series) -> bool:
    """Whether `organization` has anything on the public timeline of `series`: a public
    meeting it attended (not as absent) or a request there marked public. One query."""
    meetings = _meetings(None, series)
    attended = Attendance.objects.filter(organization=organization, meeting__in=meetings).exclude(
        status=Attendance.Status.ABSENT
    )
    asked = StakeholderRequest.objects.filter(
        organization=organization, meeting__in=meetings, is_public=True
    )
    return Organization.objects.filter(
        Exists(attended) | Exists(asked), pk=organization.pk
    ).exists()


def pledge_timeline(commitment, user=None) -> list[Entry]:
    """`commitment`'s timeline as `user` may see it; the public's without a user (then
    `commitment` must be of a public meeting: pledge_for), with the requests of its own
    series for the public."""
    public = user is None
    meetings = _meetings(user, commitment.meeting.series_id if public else None)
    requests = _requests(commitment.requests.all(), meetings, user)
    entries = _pledge_entries(commitment)
    for request in requests:
        entries += _request_entries(request, public)
    return _in_order(entries)


def pledge_for(pk, user=None):
    """The pledge `pk`, with its meeting and progress entries, if `user` (None: the public)
    may see its meeting."""
    return (
        Commitment.objects.filter(pk=pk, meeting__in=_meetings(user))
        .select_related("meeting")
        .prefetch_related(_entries_prefetch())
        .first()
    )


def _meetings(user, series=None):
    """The meetings `user` (None: the public) may see, of `series` if one is given."""
    meetings = Meeting.objects.public() if user is None else Meeting.objects.visible_to(user)
    return meetings if series is None else meetings.filter(series=series)


def _entries_prefetch():
    return Prefetch(
        "progress_entries",
        queryset=ProgressEntry.objects.order_by("date", "pk"),
    )


def _requests(queryset, meetings, user):
    """`queryset`'s requests at `meetings` as `user` (None: the public) may see them."""
    queryset = queryset.filter(meeting__in=meetings)
    if user is None:
        queryset = queryset.filter(is_public=True)
    else:
        queryset = requests_visible_to(user, queryset)
    return queryset.select_related("meeting__series", "organization", "ministry").order_by(
        "meeting__period_start", "pk"
    )


def _absent(attendance) -> bool:
    """Whether the organization is known to have stayed away (the public pages, once a
    meeting is held, name only the organizations that came)."""
    return attendance.status == Attendance.Status.ABSENT


def _request_entries(request, public) -> list[Entry]:
    meeting = request.meeting
    entries = [Entry(request.raised_at, Kind.REQUEST, meeting, request)]
    if not request.has_response():
        return entries
    kind = Kind.DECLINE if request.status == StakeholderRequest.Status.DECLINED else Kind.ANSWER
    if public:
        # The public learns of an answer when it is published.
        if request.answer_published:
            entries.append(Entry(request.published_at, kind, meeting, request))
        return entries
    answered_at = request.responded_at or request.updated_at
    entries.append(
        Entry(answered_at, kind, meeting, request, unpublished=not request.answer_published)
    )
    if request.answer_published and meeting.series.holds_answers:
        entries.append(Entry(request.published_at, Kind.PUBLICATION, meeting, request))
    return entries


def _pledge_entries(commitment) -> list[Entry]:
    """Where the pledge was announced, and each of its progress entries."""
    meeting = commitment.meeting
    return [
        Entry(meeting.period_start, Kind.PLEDGE, meeting, commitment=commitment),
        *(
            Entry(entry.date, Kind.PROGRESS, meeting, commitment=commitment, progress=entry)
            for entry in commitment.progress_entries.all()
        ),
    ]


def _in_order(entries) -> list[Entry]:
    return sorted(entries, key=Entry.sort_key)
