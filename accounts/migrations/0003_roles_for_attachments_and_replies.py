"""Gave the roles their permissions on request attachments and attendance replies. Roles are set
after every migrate (accounts.roles, post_migrate)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles_for_new_models"),
        ("followups", "0003_request_attachments"),
        ("events", "0010_attendance_replies"),
    ]

    operations = []
