"""The default reminder rules, created after every migrate (post_migrate) when new.

Each kind may declare the rule a new system starts with (`RuleKind.default`, from its app's
reminders.py). It is created once per kind and recorded (DefaultRuleRecord): what coordinators
then do with it (change its wording, rename it, switch it off, delete it) is never undone, and a
kind added later gets its rule at the next migrate, with no data migration.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, transaction

from . import registry
from .models import DefaultRuleRecord, ReminderRule


def rule_defaults_create(*, using: str = DEFAULT_DB_ALIAS) -> int:
    """Creates the default rule of each registered kind that never had one; returns how many."""
    done = set(DefaultRuleRecord.objects.using(using).values_list("kind", flat=True))
    created = 0
    for kind in registry.kinds():
        if kind.default is None or kind.key in done:
            continue
        with transaction.atomic(using=using):
            # The record first: of two migrates at once, one creates the rule, the other waits.
            _, new = DefaultRuleRecord.objects.using(using).get_or_create(kind=kind.key)
            if new:
                ReminderRule.objects.using(using).create(kind=kind.key, **kind.default)
                created += 1
    return created


def after_migrate(sender, *, apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate (after migrate and flush): only once the tables exist (a partial migrate may
    stop short of them)."""
    try:
        apps.get_model("notifications", "DefaultRuleRecord")
    except LookupError:
        return
    rule_defaults_create(using=using)
