"""Feedback links: one personal link per contact and meeting (see links)."""

from django.db.models import F

from links import registry

from .models import FeedbackInvitation, feedback_deadline


def url_for(invitation) -> str:
    return invitation.url


def url_for_id(pk: str) -> str | None:
    """The link of invitation `pk`, or None (the email is not sent) when it was revoked or
    its person is no longer at the organization it was made for: the link answers 410."""
    invitation = (
        FeedbackInvitation.objects.working()
        .filter(pk=pk, person__organization=F("organization"))
        .first()
    )
    return url_for(invitation) if invitation else None


def invitations():
    """Where links are looked up (with what the form shows)."""
    return FeedbackInvitation.objects.select_related("meeting", "organization", "person")


def closed_because(invitation, now) -> str | None:
    """Why a link no longer works ("revoked"; "moved": its person is no longer at the
    organization it was sent for; "closed": past the deadline), or None while it works."""
    if invitation.revoked_at:
        return "revoked"
    if invitation.person.organization_id != invitation.organization_id:
        return "moved"
    if now > feedback_deadline(invitation.meeting):
        return "closed"
    return None


def _closed_context(invitation) -> dict:
    return {"invitation": invitation, "deadline": feedback_deadline(invitation.meeting)}


registry.register(
    registry.LinkKind(
        key=FeedbackInvitation.LINK_KIND,
        rows=invitations,
        closed_because=closed_because,
        resolve_ref=url_for_id,
        unknown_template="feedback/unknown.html",
        closed_template="feedback/closed.html",
        closed_context=_closed_context,
    )
)
