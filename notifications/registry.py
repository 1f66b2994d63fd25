"""Rule kinds: what each app can remind about. Apps register theirs in their reminders.py.

A kind says, for a rule and the current moment, which emails are due: the scan turns each into
an outbox row, and the outbox's unique key makes asking again harmless.
"""

import dataclasses
from collections.abc import Callable, Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .templating import Var


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
    # Emails that several paths may ask for (a manual ask and a rule) share one outbox kind.
    outbox_kind: str = ""
    # A secret link resolved when the email is sent, so the outbox never stores it.
    link_ref: str = ""


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
    # What its templates may use, besides `recipient` and `link` (see templating).
    variables: dict[str, Var] = dataclasses.field(default_factory=dict)
    # The rule a new system starts with (ReminderRule's fields but `kind`: name, offset, the
    # four templates, ...). Created once after migrate (notifications.defaults); what a
    # coordinator then does with it (edit, rename, delete) is never undone.
    default: dict | None = None
    # (rule, now, until) -> querysets of which at least one has a row whenever find_due has
    # anything due at a moment from `now` to `until` (the rows it starts from, in ranges that
    # span both). The scan asks every rule's at once, in one query it compiles for the scans
    # of the hour ahead (selectors.rules_maybe_due_list), and calls find_due only for the rules
    # whose have a row: a minute with nothing due then costs one query, not a dozen querysets
    # built and compiled. None: the kind reads nothing when nothing is due (the weekly
    # digest), so find_due is always called.
    candidates: Callable[..., Iterable[QuerySet]] | None = None


# Every email's templates may use these.
COMMON_VARIABLES = {
    "recipient": Var(_("the recipient"), fields={"name": Var(_("their name"))}),
    "link": Var(_("the recipient's personal link, where the email has one")),
}


_kinds: dict[str, RuleKind] = {}

# Where a secret link goes in a stored email; replaced when the email is sent.
LINK_MARKER = "[[link]]"


def register(kind: RuleKind) -> RuleKind:
    _kinds[kind.key] = kind
    return kind


def get(key: str) -> RuleKind | None:
    return _kinds.get(key)


def kinds() -> list[RuleKind]:
    return list(_kinds.values())


def variables_of(key: str, declared: dict[str, Var] | None = None) -> dict[str, Var]:
    """What the templates of a rule kind (or, `declared`, of a one-off email) may use."""
    if declared is None:
        declared = _kinds[key].variables if key in _kinds else {}
    return {**COMMON_VARIABLES, **declared}


def kind_choices():
    return [(kind.key, kind.label) for kind in _kinds.values()]


def user_recipient(user) -> Recipient:
    """A staff account at its email, in the language of its contact record (Korean without)."""
    return Recipient(
        email=user.email.lower(),
        name=user.get_full_name() or user.get_username(),
        language=getattr(getattr(user, "person", None), "language", "ko"),
        user_id=user.pk,
    )


def person_recipient(person) -> Recipient:
    return Recipient(
        email=person.email, name=person.name, language=person.language, person_id=person.pk
    )


def people(persons) -> list[Recipient]:
    """Contacts who have an email address and accept email."""
    return [person_recipient(person) for person in persons if person.email and person.accepts_email]
