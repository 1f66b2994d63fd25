"""A reply records the attendance row it added for its substitute: a later answer takes off
that row alone, never a colleague's own. Replies given before this are matched to the row
their answer added, where the row's history shows it: created from the reply page (no staff
user) as the substitute of the person who answered, while the reply named them. A row that
cannot be told apart stays on the list when its reply changes."""

import datetime

import django.db.models.deletion
from django.db import migrations, models

SAME_REQUEST = datetime.timedelta(seconds=60)


def record_added_rows(apps, schema_editor):
    Attendance = apps.get_model("events", "Attendance")
    AttendanceReply = apps.get_model("events", "AttendanceReply")
    HistoricalAttendance = apps.get_model("events", "HistoricalAttendance")
    HistoricalAttendanceReply = apps.get_model("events", "HistoricalAttendanceReply")
    taken = set()
    replies = AttendanceReply.objects.filter(
        answer="substitute", substitute__isnull=False, substitute_attendance__isnull=True
    ).select_related("attendance")
    for reply in replies:
        row = Attendance.objects.filter(
            meeting_id=reply.attendance.meeting_id,
            person_id=reply.substitute_id,
            status="substitute",
            replaces_id=reply.person_id,
        ).first()
        if row is None or row.pk in taken:
            continue
        created = (
            HistoricalAttendance.objects.filter(id=row.pk, history_type="+")
            .order_by("history_date")
            .first()
        )
        if (
            created is None
            or created.history_user_id is not None
            or created.status != "substitute"
            or created.replaces_id != reply.person_id
        ):
            continue
        named = HistoricalAttendanceReply.objects.filter(
            id=reply.pk,
            substitute_id=reply.substitute_id,
            history_date__gte=created.history_date - SAME_REQUEST,
            history_date__lte=created.history_date + SAME_REQUEST,
        )
        if named.exists():
            reply.substitute_attendance_id = row.pk
            reply.save(update_fields=["substitute_attendance"])
            taken.add(row.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0012_meeting_documents"),
        ("stakeholders", "0006_anonymise_schedule"),
    ]

    operations = [
        migrations.AddField(
            model_name="attendancereply",
            name="substitute_attendance",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="added_by_reply",
                to="events.attendance",
                verbose_name="substitute's attendance (added by this reply)",
            ),
        ),
        migrations.AddField(
            model_name="historicalattendancereply",
            name="substitute_attendance",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="events.attendance",
                verbose_name="substitute's attendance (added by this reply)",
            ),
        ),
        migrations.AddConstraint(
            model_name="attendancereply",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("substitute_attendance__isnull", True),
                    ("answer", "substitute"),
                    _connector="OR",
                ),
                name="attendance_reply_added_row_for_substitute",
            ),
        ),
        migrations.RunPython(record_added_rows, migrations.RunPython.noop, elidable=True),
    ]
