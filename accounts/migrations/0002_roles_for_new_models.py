"""Gives the roles their permissions on models added since 0001 (the change log, personal
feeds, the outbox and reminder rules, company feedback)."""

from django.db import migrations


def update_roles(apps, schema_editor):
    from accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_roles"),
        ("events", "0007_default_reminders"),
        ("followups", "0002_default_reminders"),
        ("notifications", "0002_scan_schedule"),
        ("feedback", "0002_default_reminders"),
    ]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
