"""Calendar sync (README, REST API): full and incremental, and never missing a late commit.

Every change of a meeting or its attendance writes a MeetingChange row in the same transaction
(database triggers, so every write path counts). A *position* says which rows a client still
needs:

- PostgreSQL: a transaction id. A round first reads the current snapshot's xmin (every
  transaction below it has ended, so its rows are visible to the reads that follow) and xmax
  (no transaction at or above it had begun). It then reads the rows with
  token's xmin <= txid < xmax, and the next token carries this round's xmin. A transaction still
  in flight has txid >= xmin and is read again next round: a change may come twice, never not
  at all. Ids and timestamps are taken before commit; xmin is the only safe cursor.
- SQLite serialises writers, so commits happen in `seq` order: the position is the seq, and
  xmin and xmax are both max(seq) + 1.

Tokens are signed and dated. A token older than the retention period, or older than the change
history kept (see `services.meeting_changes_prune`), is refused: the client does a full sync.

*Settled* tokens (CalDAV's sync-token, dav.views) name the same position in a form that stays
the same while nothing the caller may see changes: the position is moved back to just after the
newest change below it (no change can still appear between the two, so both deliver the same),
a marker counts the committed changes above it, and the date is the day's end. A client that
compares the token it holds with the collection's current one then syncs only when something
changed, late commits included.
"""

import dataclasses
import time

from django.conf import settings
from django.core import signing
from django.db import connection
from django.db.models import Max

from . import rules
from .models import Meeting, MeetingChange, MeetingChangePruning
from .selectors import meeting_rows, meeting_values

SALT = "events.sync"


class SyncTokenInvalid(Exception):
    """The token is unknown, tampered with, too old or older than the change history."""


@dataclasses.dataclass(frozen=True)
class SyncPage:
    results: list
    next_page_token: str | None
    next_sync_token: str | None


class _PostgreSQL:
    def horizon(self, cursor) -> tuple[int, int]:
        cursor.execute(
            "SELECT pg_snapshot_xmin(s)::text::bigint, pg_snapshot_xmax(s)::text::bigint"
            " FROM pg_current_snapshot() AS s"
        )
        return cursor.fetchone()

    def start(self, since: int) -> tuple[int, int]:
        return since, 0

    def lowest_needed(self, after: tuple[int, int]) -> int:
        return after[0]

    def changes(self, cursor, *, after, before, public_only, limit):
        cursor.execute(
            "SELECT txid::text::bigint, seq, meeting_id FROM events_meetingchange"
            " WHERE (txid, seq) > (%s::text::xid8, %s) AND txid < %s::text::xid8"
            f"{_PUBLIC_ONLY if public_only else ''} ORDER BY txid, seq LIMIT %s",
            [after[0], after[1], before, limit],
        )
        return cursor.fetchall()

    def settle(self, cursor, *, low, public_only) -> tuple[int, str]:
        only = _PUBLIC_ONLY if public_only else ""
        cursor.execute(
            # Named otherwise than txid, or ORDER BY would sort the bigint: no index, a scan.
            "SELECT (SELECT txid::text::bigint AS below FROM events_meetingchange"
            f" WHERE txid < %s::text::xid8{only} ORDER BY txid DESC, seq DESC LIMIT 1),"
            " (SELECT count(*)::text || '-' || COALESCE(max(seq), 0)::text"
            f" FROM events_meetingchange WHERE txid >= %s::text::xid8{only})",
            [low, low],
        )
        below, above = cursor.fetchone()
        return (below + 1 if below is not None else low), ("" if above.startswith("0-") else above)

    def prune(self, cursor, *, changed_before, below) -> tuple[int, int | None]:
        cursor.execute(
            "WITH removed AS (DELETE FROM events_meetingchange"
            " WHERE changed_at < %s AND txid < %s::text::xid8 RETURNING txid)"
            " SELECT count(*), max(txid::text::bigint) FROM removed",
            [changed_before, below],
        )
        return cursor.fetchone()


class _SQLite:
    def horizon(self, cursor) -> tuple[int, int]:
        cursor.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM events_meetingchange")
        (position,) = cursor.fetchone()
        return position, position

    def start(self, since: int) -> tuple[int, int]:
        return since, since - 1

    def lowest_needed(self, after: tuple[int, int]) -> int:
        return after[1] + 1

    def changes(self, cursor, *, after, before, public_only, limit):
        cursor.execute(
            "SELECT seq, seq, meeting_id FROM events_meetingchange WHERE seq > %s AND seq < %s"
            f"{_PUBLIC_ONLY if public_only else ''} ORDER BY seq LIMIT %s",
            [after[1], before, limit],
        )
        return cursor.fetchall()

    def settle(self, cursor, *, low, public_only) -> tuple[int, str]:
        cursor.execute(
            "SELECT seq FROM events_meetingchange WHERE seq < %s"
            f"{_PUBLIC_ONLY if public_only else ''} ORDER BY seq DESC LIMIT 1",
            [low],
        )
        below = cursor.fetchone()
        return (below[0] + 1 if below else low), ""

    def prune(self, cursor, *, changed_before, below) -> tuple[int, int | None]:
        removed = MeetingChange.objects.filter(changed_at__lt=changed_before, seq__lt=below)
        through = removed.aggregate(through=Max("seq"))["through"]
        count, _ = removed.delete()
        return count, through


# A caller who cannot see internal meetings needs a tombstone only for a meeting that was
# public at some point: changes of meetings that were always internal are none of its business.
_PUBLIC_ONLY = " AND (visibility = 'public' OR previous_visibility = 'public')"


def backend():
    return _PostgreSQL() if connection.vendor == "postgresql" else _SQLite()


def scope_of(user) -> str:
    return "all" if rules.sees_internal_meetings(user) else "public"


def sync_page(*, user, sync_token=None, page_token=None, page_size=100, settled=False) -> SyncPage:
    """One page of a full sync (no token) or of the changes since `sync_token`. `settled`: the
    round ends with a settled token (see the module docstring)."""
    scope = scope_of(user)
    db = backend()
    with connection.cursor() as cursor:
        if page_token:
            state = _load(page_token, scope, kind="page")
        else:
            # The horizon is read before any change or meeting: see the module docstring.
            low, high = db.horizon(cursor)
            marker = None
            if settled:
                low, marker = db.settle(cursor, low=low, public_only=scope == "public")
            if sync_token:
                since = _load(sync_token, scope, kind="sync")["x"]
                if since > high:  # issued by another database
                    raise SyncTokenInvalid
                state = {"k": "page", "s": scope, "x": low, "hi": high, "c": db.start(since)}
            else:
                state = {"k": "page", "s": scope, "x": low, "full": ""}
            if marker is not None:
                state["m"] = marker
        if "full" in state:
            return _full_page(user, state, page_size)
        _check_history_kept(db.lowest_needed(state["c"]))
        return _changes_page(user, db, cursor, state, page_size)


def _full_page(user, state, page_size) -> SyncPage:
    meetings = Meeting.objects.visible_to(user).order_by("pk")
    if state["full"]:
        meetings = meetings.filter(pk__gt=state["full"])
    rows = list(meeting_values(meetings)[: page_size + 1])
    results = meeting_rows(rows[:page_size])
    if len(rows) > page_size:
        return _next_page(results, {**state, "full": results[-1]["id"]})
    return _last_page(results, state)


def _changes_page(user, db, cursor, state, page_size) -> SyncPage:
    changes = db.changes(
        cursor,
        after=tuple(state["c"]),
        before=state["hi"],
        public_only=state["s"] == "public",
        limit=page_size + 1,
    )
    page = changes[:page_size]
    field = MeetingChange._meta.get_field("meeting_id")
    changed_ids = list(dict.fromkeys(str(field.to_python(row[2])) for row in page))
    current = {
        row["id"]: row
        for row in meeting_rows(
            meeting_values(Meeting.objects.visible_to(user).filter(pk__in=changed_ids))
        )
    }
    results = [current.get(pk) or {"id": pk, "deleted": True} for pk in changed_ids]
    if len(changes) > page_size:
        return _next_page(results, {**state, "c": list(page[-1][:2])})
    return _last_page(results, state)


def _next_page(results, state) -> SyncPage:
    return SyncPage(results, _dump(state), None)


def _last_page(results, state) -> SyncPage:
    if "m" in state:
        return SyncPage(results, None, _settled_token(state["s"], state["x"], state["m"]))
    return SyncPage(results, None, _dump({"k": "sync", "s": state["s"], "x": state["x"]}))


def settled_sync_token(*, user) -> str:
    """The settled token a round starting now would end with: the same string until something
    the user may see changes (or the day ends). A client holding it has nothing to fetch."""
    scope = scope_of(user)
    db = backend()
    with connection.cursor() as cursor:
        low, _high = db.horizon(cursor)
        position, marker = db.settle(cursor, low=low, public_only=scope == "public")
    return _settled_token(scope, position, marker)


class _DaySigner(signing.TimestampSigner):
    """Dates a token by the end of the day it is made in (UTC): the same state signs to the
    same string all day, and the token stays valid for at least the retention period."""

    DAY = 24 * 60 * 60

    def timestamp(self):
        return signing.b62_encode(-(-int(time.time()) // self.DAY) * self.DAY)


def _settled_token(scope, position, marker) -> str:
    state = {"k": "sync", "s": scope, "x": position}
    if marker:
        state["m"] = marker
    return _DaySigner(salt=SALT).sign_object(state, compress=True)


def _check_history_kept(position: int):
    pruned = MeetingChangePruning.objects.aggregate(through=Max("through_position"))["through"]
    if pruned is not None and pruned >= position:
        raise SyncTokenInvalid


def _dump(state) -> str:
    return signing.dumps(state, salt=SALT, compress=True)


def _load(token: str, scope: str, *, kind: str) -> dict:
    try:
        state = signing.loads(token, salt=SALT, max_age=settings.MEETING_SYNC_RETENTION)
    except (signing.BadSignature, ValueError) as exc:
        raise SyncTokenInvalid from exc
    # A caller whose sight changed (a permission granted or taken) starts again: an
    # incremental sync cannot bring meetings that became visible without changing.
    if not isinstance(state, dict) or state.get("k") != kind or state.get("s") != scope:
        raise SyncTokenInvalid
    return state
