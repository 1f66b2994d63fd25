"""Gave the roles their permissions on meeting documents. Roles are set after every migrate
(accounts.roles, post_migrate)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_roles_for_attachments_and_replies"),
        ("events", "0012_meeting_documents"),
    ]

    operations = []
