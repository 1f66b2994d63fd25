"""Default rules are created after migrate from their kinds' declarations (notifications.defaults),
once per kind, as recorded here.

A database set up before this had its default rules made by data migrations (events 0007,
followups 0002, feedback 0002), which did so for these kinds: they are recorded as done, so that
a rule a coordinator deleted does not come back. A database with no rule at all is new (those
migrations now do nothing): its defaults are created after this migrate.
"""

from django.db import migrations, models

# The kinds whose default rule the earlier data migrations created (frozen here).
CREATED_BY_EARLIER_MIGRATIONS = [
    "events.pre_meeting",
    "followups.due_soon",
    "followups.overdue",
    "followups.escalation",
    "followups.weekly_digest",
    "feedback.request",
    "feedback.non_responder",
]


def record_earlier_defaults(apps, schema_editor):
    db = schema_editor.connection.alias
    if not apps.get_model("notifications", "ReminderRule").objects.using(db).exists():
        return
    DefaultRuleRecord = apps.get_model("notifications", "DefaultRuleRecord")
    DefaultRuleRecord.objects.using(db).bulk_create(
        [DefaultRuleRecord(kind=kind) for kind in CREATED_BY_EARLIER_MIGRATIONS],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0003_email_link'),
    ]

    operations = [
        migrations.CreateModel(
            name='DefaultRuleRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=60, unique=True, verbose_name='kind')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
            ],
            options={
                'verbose_name': 'default rule record',
                'verbose_name_plural': 'default rule records',
                'default_permissions': (),
            },
        ),
        migrations.RunPython(record_earlier_defaults, migrations.RunPython.noop),
    ]
