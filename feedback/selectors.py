"""Reads of feedback state, shared by the meeting's admin page and the non-responder rule."""

import dataclasses
import datetime

from django.db.models import Count, Min, Q

from events.reminders import recipients_of
from notifications.models import OutboundEmail
from stakeholders.models import Organization

from .models import FeedbackInvitation


@dataclasses.dataclass(frozen=True)
class OrganizationResponse:
    organization: str
    invited: int
    invited_at: datetime.datetime
    opened_at: datetime.datetime | None
    answered_at: datetime.datetime | None


def responses(meeting) -> tuple[list[OrganizationResponse], int | None]:
    """Per invited organization: how many contacts, and when they were first invited, first
    opened their link and first answered; with the share of organizations that answered."""
    rows = (
        FeedbackInvitation.objects.filter(meeting=meeting)
        .values("organization__name")
        .annotate(
            invited=Count("pk"),
            invited_at=Min("created_at"),
            opened_at=Min("opened_at"),
            answered_at=Min("answered_at"),
        )
        .order_by("organization__name")
    )
    found = [
        OrganizationResponse(
            organization=row["organization__name"],
            invited=row["invited"],
            invited_at=row["invited_at"],
            opened_at=row["opened_at"],
            answered_at=row["answered_at"],
        )
        for row in rows
    ]
    return found, response_rates([meeting.pk]).get(meeting.pk)


def response_rates(meeting_ids=None) -> dict:
    """Per meeting with invitations: the percentage of invited organizations that answered."""
    invitations = FeedbackInvitation.objects.all()
    if meeting_ids is not None:
        invitations = invitations.filter(meeting_id__in=meeting_ids)
    return {
        row["meeting_id"]: round(100 * row["answered"] / row["invited"])
        for row in invitations.values("meeting_id")
        .annotate(
            invited=Count("organization", distinct=True),
            answered=Count("organization", distinct=True, filter=Q(answered_at__isnull=False)),
        )
        .order_by()
    }


@dataclasses.dataclass(frozen=True)
class Invitee:
    """A contact asking for feedback on the meeting would email, and when they were asked."""

    organization: str
    name: str
    email: str
    language: str
    asked_at: datetime.datetime | None
    # Their link was withdrawn: asking emails them nothing.
    revoked: bool


def invitation_recipients(meeting) -> dict:
    """{person id: (attendance, recipient)}: one invitation per contact of every attending
    organization that is not a ministry (the people named on its attendance, else all its
    contacts who accept email)."""
    attendances = (
        meeting.attendances.exclude(organization__kind=Organization.Kind.MINISTRY)
        .select_related("meeting", "person", "organization")
        .prefetch_related("organization__people")
    )
    return {
        recipient.person_id: (attendance, recipient)
        for attendance, recipient in recipients_of(attendances).values()
    }


def invitees(meeting) -> list[Invitee]:
    """The contacts asking for feedback on `meeting` emails, by organization and name, with
    when each was first emailed the ask."""
    from .services import INVITATION_OUTBOX  # services read this module

    found = invitation_recipients(meeting)
    revoked = set(
        meeting.feedback_invitations.filter(revoked_at__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    asked = dict(
        OutboundEmail.objects.filter(
            kind=INVITATION_OUTBOX,
            subject_type="events.meeting",
            subject_id=str(meeting.pk),
            recipient__in=[recipient.email for _attendance, recipient in found.values()],
        )
        .values("recipient")
        .annotate(first=Min("created_at"))
        .values_list("recipient", "first")
    )
    rows = [
        Invitee(
            organization=attendance.organization.name,
            name=recipient.name,
            email=recipient.email,
            language=recipient.language,
            asked_at=asked.get(recipient.email),
            revoked=person_id in revoked,
        )
        for person_id, (attendance, recipient) in found.items()
    ]
    return sorted(rows, key=lambda row: (row.organization, row.name))
