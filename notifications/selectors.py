"""Reads of the mail layer: who runs the reminders, who opted out, what is already queued."""

from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connections

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


def rules_maybe_due_list(*, now) -> list[tuple[ReminderRule, registry.RuleKind]]:
    """The enabled rules, with their kinds, that may have something due at `now`: those whose
    kind's candidates have a row (all rules' asked in one query) and those of kinds without
    candidates. Rules of kinds no app registers any more are left out."""
    rules = [
        (rule, spec)
        for rule in ReminderRule.objects.filter(enabled=True)
        if (spec := registry.get(rule.kind))
    ]
    asked = [
        (rule.pk, queryset)
        for rule, spec in rules
        if spec.candidates
        for queryset in spec.candidates(rule, now)
    ]
    found = rows_exist_list(querysets=[queryset for _pk, queryset in asked])
    having = {pk for (pk, _queryset), exists in zip(asked, found, strict=True) if exists}
    return [(rule, spec) for rule, spec in rules if not spec.candidates or rule.pk in having]


def rows_exist_list(*, querysets) -> list[bool]:
    """Whether each of `querysets` has a row, in one query (`SELECT EXISTS(…), EXISTS(…)`):
    each is only compiled, the way QuerySet.exists() compiles it, and none is fetched."""
    parts, params = [], []
    for queryset in querysets:
        try:
            sql, more = queryset.query.exists().get_compiler(queryset.db).as_sql()
        except EmptyResultSet:  # a filter nothing matches (`__in=[]`): Django sends no query
            parts.append("false")
            continue
        parts.append(f"EXISTS({sql})")
        params.extend(more)
    if not parts:
        return []
    with connections[querysets[0].db].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        return list(cursor.fetchone())


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
