"""Scheduled the daily pruning of the meeting change log. The periodic tasks are created after
every migrate when missing (events.tasks.SCHEDULES, ops.schedules), so this step does nothing now."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_change_log_triggers"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = []
