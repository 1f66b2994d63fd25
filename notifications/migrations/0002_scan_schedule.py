"""Scheduled the reminder scan every minute. The periodic tasks are created after every migrate
when missing (notifications.tasks.SCHEDULES, ops.schedules), so this step does nothing now."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = []
