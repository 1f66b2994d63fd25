"""Reads of the mail layer: who runs the reminders, who opted out, what is already queued."""

import dataclasses
import datetime

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import Exists
from django.db.models.sql.compiler import SQLCompiler

from . import registry
from .models import OutboundEmail, ReminderRule, Unsubscription


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


# How far ahead the scan's probe reaches: compiled at one scan, it serves those of the hour
# after, asking for candidates at any moment of that hour (a little more than a minute needs).
PROBE_REACH = datetime.timedelta(hours=1)
# The rules' own columns, which the probe reads before its answers.
RULE_FIELDS = tuple(field.attname for field in ReminderRule._meta.concrete_fields)


@dataclasses.dataclass(frozen=True)
class Probe:
    """One statement, compiled once: the enabled rules' rows, each followed by whether each
    rule's candidates have a row from `start` to `end` (uncorrelated EXISTS, run once). It was
    compiled for the rules whose field values are `state`, and answers for them only."""

    state: tuple[tuple, ...]
    start: datetime.datetime
    end: datetime.datetime
    sql: str
    params: tuple
    compiler: SQLCompiler  # turns what it reads into field values, as the ORM does
    owners: tuple[int, ...]  # the rule of each EXISTS, in order


# The last probe this process compiled: compiling the candidates costs more than running them.
_probe: Probe | None = None


def rules_maybe_due_list(*, now) -> list[tuple[ReminderRule, registry.RuleKind]]:
    """The enabled rules, with their kinds, that may have something due at `now`: those whose
    kind's candidates have a row (all rules' asked in one query) and those of kinds without
    candidates. Rules of kinds no app registers any more are left out.

    The query is this process's last probe while `now` is within its reach. It reads the
    rules along with the answers, so a rule edited, added, disabled or deleted since (here or
    in any other process) shows as rows other than those the probe was compiled for: the
    probe is then compiled for the rows read and asked again."""
    global _probe
    probe = _probe
    if probe is None or not probe.start <= now <= probe.end:
        probe = probe_compile(state=probe.state if probe else (), start=now, end=now + PROBE_REACH)
    rows = probe_read(probe=probe)
    while (state := tuple(row[: len(RULE_FIELDS)] for row in rows)) != probe.state:
        probe = probe_compile(state=state, start=probe.start, end=probe.end)
        rows = probe_read(probe=probe)
    _probe = probe
    found = rows[0][len(RULE_FIELDS) :] if rows else ()
    having = {pk for pk, exists in zip(probe.owners, found, strict=True) if exists}
    return [
        (rule, spec)
        for rule in _rules_of(state)
        if (spec := registry.get(rule.kind)) and (not spec.candidates or rule.pk in having)
    ]


def probe_compile(*, state, start, end) -> Probe:
    """The probe for the rules whose field values are `state`, asking from `start` to `end`."""
    columns, owners = {}, []
    for rule in _rules_of(state):
        spec = registry.get(rule.kind)
        for queryset in spec.candidates(rule, start, end) if spec and spec.candidates else ():
            columns[f"candidates_{len(owners)}"] = Exists(queryset)
            owners.append(rule.pk)
    rules = (
        ReminderRule.objects.filter(enabled=True)
        .order_by(*ReminderRule._meta.ordering, "pk")
        .annotate(**columns)
        .values_list(*RULE_FIELDS, *columns)
    )
    compiler = rules.query.get_compiler(rules.db)
    sql, params = compiler.as_sql()
    return Probe(state, start, end, sql, tuple(params), compiler, tuple(owners))


def probe_read(*, probe: Probe) -> list[tuple]:
    """The probe's rows, each the rule's field values and then the answers."""
    with connections[probe.compiler.using].cursor() as cursor:
        cursor.execute(probe.sql, probe.params)
        rows = cursor.fetchall()
    return list(probe.compiler.results_iter(results=[rows], tuple_expected=True))


def _rules_of(state) -> list[ReminderRule]:
    return [ReminderRule.from_db(ReminderRule.objects.db, RULE_FIELDS, values) for values in state]


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
