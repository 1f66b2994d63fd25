"""For apps' data migrations that create their default reminder rules."""

from django.db import migrations


def default_rules(rules):
    """A migration operation creating `rules` (dicts of ReminderRule fields) unless present."""

    def create(apps, schema_editor):
        ReminderRule = apps.get_model("notifications", "ReminderRule")
        for rule in rules:
            ReminderRule.objects.get_or_create(kind=rule["kind"], name=rule["name"], defaults=rule)

    def remove(apps, schema_editor):
        apps.get_model("notifications", "ReminderRule").objects.filter(
            kind__in={rule["kind"] for rule in rules}
        ).delete()

    return migrations.RunPython(create, remove)
