"""Gives the roles their permissions on meeting documents."""

from django.db import migrations


def update_roles(apps, schema_editor):
    from accounts.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_roles_for_attachments_and_replies"),
        ("events", "0012_meeting_documents"),
    ]

    operations = [migrations.RunPython(update_roles, migrations.RunPython.noop)]
