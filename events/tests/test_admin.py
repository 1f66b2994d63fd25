import pytest

from events.models import Attendance, Meeting
from events.tests.factories import AttendanceFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def meeting_form(meeting, **changes):
    data = {
        "series": meeting.series_id,
        "relay_number": meeting.relay_number or "",
        "title": meeting.title,
        "title_en": meeting.title_en,
        "theme": meeting.theme,
        "host": meeting.host,
        "description": meeting.description,
        "all_day": "on" if meeting.all_day else "",
        "start_date": meeting.start_date.isoformat() if meeting.start_date else "",
        "end_date": meeting.end_date.isoformat() if meeting.end_date else "",
        "venue": meeting.venue,
        "address": meeting.address,
        "status": meeting.status,
        "visibility": meeting.visibility,
    }
    for prefix in ("attendances", "presentations", "documents", "requests", "commitments"):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_editing_a_meeting_records_who_changed_what(client, coordinator):
    meeting = MeetingFactory(venue="세종청사")
    client.force_login(coordinator)
    response = client.post(
        f"/admin/events/meeting/{meeting.pk}/change/", meeting_form(meeting, venue="KAIST")
    )
    assert response.status_code == 302
    record = meeting.history.latest()
    assert record.history_user == coordinator
    delta = record.diff_against(record.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("venue", "세종청사", "KAIST")]
    page = client.get(f"/admin/events/meeting/{meeting.pk}/history/").content.decode()
    assert "세종청사" in page and "KAIST" in page and coordinator.username in page
    assert Meeting.objects.get(pk=meeting.pk).version == 2


def test_admin_form_rejects_times_on_an_all_day_meeting_with_a_message(client, coordinator):
    meeting = MeetingFactory()
    client.force_login(coordinator)
    response = client.post(
        f"/admin/events/meeting/{meeting.pk}/change/",
        meeting_form(meeting, all_day="", start_date="", end_date=""),
    )
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) >= {"starts_at", "ends_at"}


def test_mark_held_action(client, coordinator):
    planned, cancelled = MeetingFactory(), MeetingFactory(status=Meeting.Status.CANCELLED)
    client.force_login(coordinator)
    client.post(
        "/admin/events/meeting/",
        {"action": "mark_held", "_selected_action": [planned.pk, cancelled.pk]},
    )
    planned.refresh_from_db()
    cancelled.refresh_from_db()
    assert (planned.status, cancelled.status) == ("held", "cancelled")


def test_duplicate_action_copies_the_invitation_list(client, coordinator):
    meeting = MeetingFactory(relay_number=7)
    AttendanceFactory(meeting=meeting, status=Attendance.Status.ATTENDED)
    client.force_login(coordinator)
    action = {"action": "duplicate", "_selected_action": [meeting.pk]}
    asked = client.post("/admin/events/meeting/", action, HTTP_ACCEPT_LANGUAGE="en")
    assert "Date of the new meeting" in asked.content.decode()  # asked first, nothing made
    assert Meeting.objects.count() == 1
    response = client.post(
        "/admin/events/meeting/", {**action, "confirm": "1", "date": "2026-10-02"}
    )
    copy = Meeting.objects.exclude(pk=meeting.pk).get()
    assert response["Location"] == f"/admin/events/meeting/{copy.pk}/change/"
    assert copy.relay_number is None and copy.status == "planned"
    assert list(copy.attendances.values_list("status", flat=True)) == ["invited"]
