"""What this app holds about people and organizations (stakeholders.holders)."""

from stakeholders import holders

from .models import Attendance, AttendanceReply, Presentation


def attendance_notes_forget(erasure: holders.Erasure) -> None:
    """Which meetings an erased contact attended stays; the note on their attendance (text
    about them: "attends in the afternoon", "wheelchair access") goes, in past versions too."""
    person_id = erasure.person.pk
    Attendance.objects.filter(person_id=person_id).exclude(note="").update(note="")
    Attendance.history.filter(person_id=person_id).exclude(note="").update(note="")


holders.register(
    holders.Holder(
        model=Attendance,
        people=("person", "replaces"),
        organizations=("organization",),
        details=("note",),
        forget=attendance_notes_forget,
        fold=Attendance.merge_into_duplicate,
        traces=(("person", "updated_at"),),
    )
)
# What was presented is the meeting's public record, not a copy of the presenter's details.
holders.register(
    holders.Holder(
        model=Presentation,
        people=("presenter",),
        organizations=("organization",),
        kept=("title", "title_en", "summary"),
    )
)
holders.register(
    holders.Holder(
        model=AttendanceReply,
        people=("person", "substitute"),
        traces=(("person", "created_at"),),
    )
)
