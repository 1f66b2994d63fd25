"""Reads of the mail layer: who runs the reminders, who opted out, what is already queued."""

from django.contrib.auth import get_user_model

from . import registry
from .models import OutboundEmail, Unsubscription


def coordinator_list() -> list[registry.Recipient]:
    """The people who run the reminders (coordinators and superusers), at their account email."""
    users = (
        get_user_model()
        # The permissions themselves (django-axes' backend, also configured, holds none).
        .objects.with_perm(
            "notifications.change_reminderrule",
            is_active=True,
            backend="django.contrib.auth.backends.ModelBackend",
        )
        .exclude(email="")
        .select_related("person")
    )
    return [registry.user_recipient(user) for user in users]


def unsubscription_email_set(*, kind: str, emails) -> set[str]:
    """The addresses among `emails` that asked for no more emails of `kind`."""
    return set(
        Unsubscription.objects.filter(kind=kind, email__in=set(emails)).values_list(
            "email", flat=True
        )
    )


def due_unqueued_list(*, rule, dues) -> list[registry.Due]:
    """The due items whose email is not in the outbox yet (by the outbox's unique key)."""
    if not dues:
        return []
    existing = set(
        OutboundEmail.objects.filter(
            kind__in={d.outbox_kind or rule.outbox_kind for d in dues},
            subject_id__in={d.subject_id for d in dues},
        ).values_list("kind", "recipient", "subject_type", "subject_id", "occurrence")
    )
    return [
        d
        for d in dues
        if (
            d.outbox_kind or rule.outbox_kind,
            d.recipient.email,
            d.subject_type,
            d.subject_id,
            d.occurrence,
        )
        not in existing
    ]
