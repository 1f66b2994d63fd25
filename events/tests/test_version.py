"""A meeting's version rises with every change of the meeting or its attendance, on any path."""

import pytest

from events import services
from events.models import Attendance, Meeting
from events.tests.factories import AttendanceFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def version_of(meeting):
    return Meeting.objects.values_list("version", flat=True).get(pk=meeting.pk)


def test_new_meeting_starts_at_version_one():
    assert version_of(MeetingFactory()) == 1


def test_save_raises_version_and_python_cannot_lower_it():
    meeting = MeetingFactory()
    meeting.title = "바뀐 제목"
    meeting.save()
    assert version_of(meeting) == 2
    meeting.version = 1  # a stale copy writing its old number back
    meeting.save()
    assert version_of(meeting) == 3


def test_service_returns_the_current_version():
    meeting = MeetingFactory()
    meeting = services.meeting_update(meeting=meeting, venue="KAIST")
    assert meeting.version == 2


def test_queryset_update_raises_version_and_updated_at():
    meeting = MeetingFactory()
    before = Meeting.objects.get(pk=meeting.pk).updated_at
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    after = Meeting.objects.get(pk=meeting.pk)
    assert after.version == 2
    assert after.updated_at > before


def test_attendance_add_change_and_delete_raise_version():
    meeting = MeetingFactory()
    attendance = AttendanceFactory(meeting=meeting)
    assert version_of(meeting) == 2
    attendance.status = Attendance.Status.CONFIRMED
    attendance.save()
    assert version_of(meeting) == 3
    Attendance.objects.filter(pk=attendance.pk).update(status=Attendance.Status.ATTENDED)
    assert version_of(meeting) == 4
    attendance.delete()
    assert version_of(meeting) == 5


def test_moving_attendance_raises_both_meetings():
    first, second = MeetingFactory(), MeetingFactory()
    attendance = AttendanceFactory(meeting=first)
    Attendance.objects.filter(pk=attendance.pk).update(meeting=second)
    assert (version_of(first), version_of(second)) == (3, 2)


def test_other_meetings_are_untouched():
    meeting, bystander = MeetingFactory(), MeetingFactory()
    AttendanceFactory(meeting=meeting)
    assert version_of(bystander) == 1


EMBEDDED_CHECK = """
import datetime
from events.models import Attendance, Meeting, Series
from stakeholders.models import Organization
series = Series.objects.create(slug="s", name="s")
meeting = Meeting.objects.create(series=series, title="t", all_day=True,
    start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 1, 1))
seen = [meeting.version]
meeting.save(); seen.append(Meeting.objects.get().version)
Meeting.objects.update(venue="v"); seen.append(Meeting.objects.get().version)
a = Attendance.objects.create(meeting=meeting, organization=Organization.objects.create(
    name="o", kind="company")); seen.append(Meeting.objects.get().version)
a.delete(); seen.append(Meeting.objects.get().version)
print("versions", seen)

from django.contrib.auth.models import User
from events import services, sync
user = User.objects.create_superuser("admin")
rounds = [sync.sync_page(user=user, page_size=1)]


def next_round():
    rounds.append(sync.sync_page(user=user, sync_token=rounds[-1].next_sync_token, page_size=1))


Meeting.objects.update(venue="w")
next_round()
meeting.delete()
next_round()
next_round()
print("sync", [[r.get("venue", r.get("deleted")) for r in page.results] for page in rounds])
print("pruned", services.meeting_changes_prune(older_than=datetime.timedelta(0)))
try:
    sync.sync_page(user=user, sync_token=rounds[1].next_sync_token)
except sync.SyncTokenInvalid:
    print("old token refused")
"""


@pytest.mark.slow
def test_embedded_sqlite_database_versions_and_sync(tmp_path):
    """The embedded default (SQLite) has its own triggers and sync position; run them."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAR_DIR": str(tmp_path),
    }

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    manage("migrate", "--noinput")
    output = manage("shell", "-c", EMBEDDED_CHECK)
    assert "versions [1, 2, 3, 4, 5]" in output
    # Calendar sync on SQLite: seq order is commit order there.
    assert "sync [['v'], ['w'], [True], []]" in output
    assert "pruned 7" in output
    assert "old token refused" in output
