"""Kinds of personal link. Each app with a link registers its kind (in the module that defines
it); the pages at a link (links.pages) and the outbox (when an email goes) look kinds up here."""

import dataclasses
from collections.abc import Callable


@dataclasses.dataclass(frozen=True)
class LinkKind:
    # The address prefix (SITE_URL/<key>/<token>/) and the outbox's reference prefix ("<key>:…").
    key: str
    # Where links are looked up, with what their pages show.
    rows: Callable[[], object]
    # (row, now) -> why the link no longer works ("revoked", "moved", …; the closed page says
    # which), or None while it works.
    closed_because: Callable[..., str | None]
    # The URL behind an outbox reference's id, or None when the email must not go (revoked).
    resolve_ref: Callable[[str], str | None]
    unknown_template: str
    closed_template: str
    # What the closed page shows besides the row (`link`) and the reason.
    closed_context: Callable[[object], dict] = lambda row: {}


_kinds: dict[str, LinkKind] = {}


def register(kind: LinkKind) -> LinkKind:
    _kinds[kind.key] = kind
    return kind


def get(key: str) -> LinkKind:
    return _kinds[key]


def resolve_ref(link_ref: str) -> str | None:
    """The URL behind an outbox reference "<kind>:<id>", or None (unknown kind, revoked)."""
    key, _, ref = link_ref.partition(":")
    kind = _kinds.get(key)
    return kind.resolve_ref(ref) if kind else None
