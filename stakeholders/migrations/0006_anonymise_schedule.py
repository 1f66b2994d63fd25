"""A nightly run of the retention rule, created switched off: a coordinator reads the dry run
(`anonymise_contacts`) first, then enables it under Periodic tasks."""

from django.db import migrations

TASK = "stakeholders.tasks.anonymise_contacts"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="45",
        hour="4",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Asia/Seoul",
    )
    PeriodicTask.objects.get_or_create(
        task=TASK,
        defaults={
            "name": "Anonymise contacts past the retention period",
            "crontab": crontab,
            "enabled": False,
        },
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("stakeholders", "0005_contact_provenance_and_access_records"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
