"""Gives the roles their permissions on models added since 0002 (request attachments,
attendance replies)."""

from django.db import migrations


def update_roles(apps, schema_editor):
    from accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles_for_new_models"),
        ("followups", "0003_request_attachments"),
        ("events", "0010_attendance_replies"),
    ]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
