"""Reads of feedback state, shared by the meeting's admin page and the non-responder rule."""

import dataclasses
import datetime

from django.db.models import Count, Min

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
    answered = sum(1 for row in found if row.answered_at)
    return found, round(100 * answered / len(found)) if found else None
