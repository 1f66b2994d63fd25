"""What a meeting's result report (결과 보고) says, read once for both formats (see
reports.documents) and for filling a ministry's form (reports.filling).

The report reads every domain app through its models and selectors; it is written in the
active language (the reader's), the meeting's date as everywhere else (events.dates)."""

import dataclasses
import re

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from events import dates
from events.models import Attendance, Presentation
from followups import selectors as request_selectors
from followups.models import StakeholderRequest
from pledges.models import Commitment

# Characters that XML 1.0 cannot carry (what DOCX and HWPX are written in): control
# characters other than tab and line ends, lone surrogates and the two non-characters.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# Hosts and ministries first, then who presented, the companies and the rest.
ROLE_ORDER = [
    Attendance.Role.HOST,
    Attendance.Role.MINISTRY,
    Attendance.Role.PRESENTER,
    Attendance.Role.COMPANY,
    Attendance.Role.EXPERT,
    Attendance.Role.OTHER,
]


def writable(text) -> str:
    """`text` as both formats can hold it: unwritable characters dropped, line ends as \\n."""
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n")
    return UNWRITABLE.sub("", text).strip()


@dataclasses.dataclass
class Table:
    header: list[str]
    rows: list[list[str]]


@dataclasses.dataclass
class Section:
    heading: str
    table: Table
    # What the section says when it has no rows.
    empty: str


@dataclasses.dataclass
class Report:
    title: str
    # (label, value) lines under the title: date and time, venue, host, …
    facts: list[tuple[str, str]]
    sections: list[Section]
    # The text for each field of a ministry's form, by the keys of reports.filling.LABELS.
    fields: dict[str, str]


def answer_shown(request: StakeholderRequest) -> str:
    """The answer of `request` that the report may carry: only what the company could see,
    the published response of a request answered or declined (and closed after that); an
    open request's draft, or an answer held for publication, is never shown. The one place
    that decides it."""
    return request.published_response()


def _english() -> bool:
    return (translation.get_language() or "").startswith("en")


def named(obj, field="name") -> str:
    """An object's name in the reader's language: its English one for English readers."""
    english = getattr(obj, f"{field}_en", "") if _english() else ""
    return writable(english or getattr(obj, field))


def _person(person) -> str:
    name = named(person)
    return f"{name} ({writable(person.position)})" if person.position else name


def meeting_report(meeting, user) -> Report:
    """The result report of `meeting` as `user` may read it: an officer's holds their
    ministry's requests only (followups.selectors.requests_visible_to). Four queries, however
    many rows."""
    attendance = (
        Attendance.objects.filter(meeting=meeting)
        .exclude(status=Attendance.Status.ABSENT)
        .select_related("organization", "person")
        .order_by("organization__name", "pk")
    )
    presentations = (
        Presentation.objects.filter(meeting=meeting)
        .select_related("organization", "presenter")
        .order_by("order", "pk")
    )
    requests = (
        request_selectors.requests_visible_to(
            user, StakeholderRequest.objects.filter(meeting=meeting)
        )
        .select_related("organization", "ministry")
        .order_by("organization__name", "created_at", "pk")
    )
    pledges = Commitment.objects.filter(meeting=meeting).select_related("ministry").order_by("pk")
    return _report(meeting, list(attendance), list(presentations), list(requests), pledges)


def _report(meeting, attendance, presentations, requests, pledges) -> Report:
    title = named(meeting, "title")
    when = dates.meeting_when(meeting)
    venue = writable(f"{meeting.venue} ({meeting.address})" if meeting.address else meeting.venue)
    host = writable(meeting.host) or named(meeting.series, "host")
    attendees = _attendees(attendance)
    people = sum(len(names) for _organization, _roles, names in attendees)
    series = named(meeting.series)
    if meeting.relay_number:
        series = _("%(series)s, no. %(number)s") % {
            "series": series,
            "number": meeting.relay_number,
        }
    turnout = ngettext(
        "%(organizations)d organization", "%(organizations)d organizations", len(attendees)
    ) % {"organizations": len(attendees)}
    if people:
        turnout += ngettext(", %(people)d person", ", %(people)d people", people) % {
            "people": people
        }
    facts = [
        (_("Series"), series),
        (_("Date and time"), when),
        (_("Venue"), venue or "—"),
        (_("Host"), host or "—"),
        (_("Attendance"), turnout),
        (_("Prepared on"), formats.date_format(timezone.localdate(), "DATE_FORMAT")),
    ]
    attendee_rows = [
        [organization, ", ".join(roles), ", ".join(names) or "—"]
        for organization, roles, names in attendees
    ]
    presentation_rows = [
        [
            str(number),
            named(p.organization),
            _person(p.presenter) if p.presenter_id else "—",
            _presentation_text(p),
        ]
        for number, p in enumerate(presentations, 1)
    ]
    request_rows = [
        [
            str(number),
            named(r.organization),
            writable(r.get_category_display()),
            writable(r.text),
            _status(r),
            writable(answer_shown(r)) or "—",
        ]
        for number, r in enumerate(requests, 1)
    ]
    pledge_rows = [
        [str(number), named(c, "title"), named(c.ministry) if c.ministry_id else "—", _figures(c)]
        for number, c in enumerate(pledges, 1)
    ]
    # "No." alone is the relay number elsewhere.
    row_number = pgettext("row number", "No.")
    sections = [
        Section(
            _("Attendees by organization"),
            Table([_("Organization"), _("Role"), _("Attendees")], attendee_rows),
            _("No attendees recorded."),
        ),
        Section(
            _("Presentations"),
            Table(
                [row_number, _("Organization"), _("Presented by"), _("Presentation")],
                presentation_rows,
            ),
            _("No presentations recorded."),
        ),
        Section(
            _("Requests and their answers"),
            Table(
                [
                    row_number,
                    _("Organization"),
                    _("Category"),
                    _("Request"),
                    _("Status"),
                    _("Answer"),
                ],
                request_rows,
            ),
            _("No requests recorded."),
        ),
        Section(
            _("Pledges announced"),
            Table([row_number, _("Pledge"), _("Responsible ministry"), _("Figures")], pledge_rows),
            _("No pledges announced."),
        ),
    ]
    fields = {
        "title": title,
        "when": when,
        "venue": venue,
        "host": host,
        "attendees": "\n".join(
            f"{organization}: {', '.join(names)}" if names else organization
            for organization, _roles, names in attendees
        ),
        "presentations": "\n".join(f"{row[0]}. {row[1]} — {row[3]}" for row in presentation_rows),
        "requests": "\n".join(
            _("%(number)s. [%(organization)s] %(request)s — %(status)s")
            % {"number": row[0], "organization": row[1], "request": row[3], "status": row[4]}
            + (f"\n   → {row[5]}" if row[5] != "—" else "")
            for row in request_rows
        ),
        "pledges": "\n".join(f"{row[0]}. {row[1]} ({row[3]})" for row in pledge_rows),
    }
    return Report(
        title=_("%(title)s: result report") % {"title": title},
        facts=facts,
        sections=sections,
        fields=fields,
    )


def _attendees(attendance) -> list[tuple[str, list[str], list[str]]]:
    """(organization, its roles, its people) once per organization, hosts and ministries
    first (ROLE_ORDER), then by name."""
    found: dict = {}
    for row in attendance:
        _organization, roles, names = found.setdefault(
            row.organization_id, (named(row.organization), {}, [])
        )
        roles[row.role] = writable(row.get_role_display())
        if row.person_id:
            names.append(_person(row.person))

    def rank(item):
        _organization, roles, _names = item
        return min(ROLE_ORDER.index(role) for role in roles)

    ordered = sorted(found.values(), key=rank)
    return [
        (organization, [roles[role] for role in ROLE_ORDER if role in roles], names)
        for organization, roles, names in ordered
    ]


def _presentation_text(presentation) -> str:
    title = named(presentation, "title")
    summary = writable(presentation.summary)
    return f"{title}\n{summary}" if summary else title


def _status(request) -> str:
    status = writable(request.get_status_for_company_display())
    if request.ministry_id:
        return f"{status} ({named(request.ministry)})"
    return status


def _figures(commitment) -> str:
    baseline, target = commitment.baseline_display(), commitment.target_display()
    parts = []
    if baseline and target:
        parts.append(f"{baseline} → {target}")
    elif target:
        parts.append(target)
    if amount := commitment.amount_display():
        parts.append(amount)
    return writable("; ".join(parts)) or "—"
