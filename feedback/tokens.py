"""Feedback links: one personal link per contact and meeting (see notifications.links)."""

from django.conf import settings

from notifications import links

PURPOSE = "feedback-link"


def new_salt_and_hash() -> tuple[str, str]:
    salt = links.new_salt()
    return salt, links.hash_token(links.token_for(salt, PURPOSE))


def url_for(invitation) -> str:
    return f"{settings.SITE_URL}/feedback/{links.token_for(invitation.salt, PURPOSE)}/"


def url_for_id(pk: str) -> str | None:
    """The link of invitation `pk`, or None when it was revoked (the email is not sent)."""
    from .models import FeedbackInvitation

    invitation = FeedbackInvitation.objects.filter(pk=pk, revoked_at__isnull=True).first()
    return url_for(invitation) if invitation else None


def invitations():
    """Where links are looked up (with what the form shows)."""
    from .models import FeedbackInvitation

    return FeedbackInvitation.objects.select_related("meeting", "organization", "person")
