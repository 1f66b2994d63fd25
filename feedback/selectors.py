"""Reads of feedback state, shared by the meeting's admin page and the non-responder rule."""

import dataclasses
import datetime

from django.db.models import Count, Min, Q

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
