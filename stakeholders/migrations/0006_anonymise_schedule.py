"""Scheduled the nightly retention run, switched off. The periodic tasks are created after every
migrate when missing (stakeholders.tasks.SCHEDULES, ops.schedules), so this step does nothing now."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("stakeholders", "0005_contact_provenance_and_access_records"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = []
