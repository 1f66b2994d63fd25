"""Created the default reminders about requests. Default rules are created after migrate from
their kinds' declarations (followups.reminders, notifications.defaults), so this step does
nothing now."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0001_initial"),
        ("notifications", "0001_initial"),
    ]

    operations = []
