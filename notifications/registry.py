"""Rule kinds: what each app can remind about. Apps register theirs in their reminders.py.

A kind says, for a rule and the current moment, which emails are due: the scan turns each into
an outbox row, and the outbox's unique key makes asking again harmless.
"""

import dataclasses
from collections.abc import Callable, Iterable


@dataclasses.dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""
    language: str = "ko"
    person_id: int | None = None
    user_id: int | None = None


@dataclasses.dataclass(frozen=True)
class Due:
    """One email a rule wants sent: to whom, about what, for which occurrence, with what."""

    recipient: Recipient
    subject_type: str
    subject_id: str
    occurrence: str
    context: dict
    attachments: tuple = ()


@dataclasses.dataclass(frozen=True)
class RuleKind:
    key: str
    label: str
    description: str
    # (rule, now) -> the emails due now; must read only what is due (indexed ranges).
    find_due: Callable[..., Iterable[Due]]
    # A context for the admin's preview.
    sample_context: Callable[[], dict]
    # Bulk kinds (digests, chasers) carry RFC 8058 one-click unsubscribe headers.
    bulk: bool = False


_kinds: dict[str, RuleKind] = {}


def register(kind: RuleKind) -> RuleKind:
    _kinds[kind.key] = kind
    return kind


def get(key: str) -> RuleKind | None:
    return _kinds.get(key)


def kind_choices():
    return [(kind.key, kind.label) for kind in _kinds.values()]


def coordinators() -> list[Recipient]:
    """The people who run the reminders (coordinators and superusers), at their account email."""
    from django.contrib.auth import get_user_model

    users = (
        get_user_model()
        .objects.with_perm("notifications.change_reminderrule", is_active=True)
        .exclude(email="")
        .select_related("person")
    )
    return [
        Recipient(
            email=user.email.lower(),
            name=user.get_full_name() or user.get_username(),
            language=getattr(getattr(user, "person", None), "language", "ko"),
            user_id=user.pk,
        )
        for user in users
    ]


def people(persons) -> list[Recipient]:
    """Contacts who have an email address and accept email."""
    return [
        Recipient(
            email=person.email,
            name=person.name,
            language=person.language,
            person_id=person.pk,
        )
        for person in persons
        if person.email and person.accepts_email
    ]
