"""Created the default feedback rules. Default rules are created after migrate from their kinds'
declarations (feedback.reminders, notifications.defaults), so this step does nothing now."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
        ("notifications", "0003_email_link"),
    ]

    operations = []
