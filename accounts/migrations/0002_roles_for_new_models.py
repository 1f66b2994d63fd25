"""Gave the roles their permissions on models added since 0001. Roles are set after every migrate
(accounts.roles, post_migrate)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_roles"),
        ("events", "0007_default_reminders"),
        ("followups", "0002_default_reminders"),
        ("notifications", "0002_scan_schedule"),
        ("feedback", "0002_default_reminders"),
    ]

    operations = []
