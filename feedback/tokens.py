"""Feedback links: one personal link per contact and meeting (see notifications.links)."""

from django.db.models import F

from notifications import links

PURPOSE = "feedback-link"


def url_for(invitation) -> str:
    return links.url("feedback", invitation.salt, PURPOSE)


def url_for_id(pk: str) -> str | None:
    """The link of invitation `pk`, or None (the email is not sent) when it was revoked or
    its person is no longer at the organization it was made for: the link answers 410."""
    from .models import FeedbackInvitation

    invitation = FeedbackInvitation.objects.filter(
        pk=pk, revoked_at__isnull=True, person__organization=F("organization")
    ).first()
    return url_for(invitation) if invitation else None


def invitations():
    """Where links are looked up (with what the form shows)."""
    from .models import FeedbackInvitation

    return FeedbackInvitation.objects.select_related("meeting", "organization", "person")
