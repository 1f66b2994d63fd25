"""Created the default pre-meeting reminder. Default rules are created after migrate from their
kinds' declarations (events.reminders, notifications.defaults), so this step does nothing now."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_personal_feed"),
        ("notifications", "0001_initial"),
    ]

    operations = []
