"""A meeting's lifecycle in one place: the status groups that every rule names, one moment at
which a meeting ends, and one way its date is written for people."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from events import dates, rsvp, services
from events.models import Meeting
from events.tests.factories import AttendanceFactory, MeetingFactory, timed_meeting
from notifications import services as mail
from notifications.models import OutboundEmail
from stakeholders.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

Status = Meeting.Status
KST = datetime.timezone(datetime.timedelta(hours=9))
NOW = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=KST)
GROUPS = {
    "TAKING_REPLIES": {Status.PLANNED, Status.CONFIRMED, Status.POSTPONED},
    "EXPECTING_ATTENDEES": {Status.PLANNED, Status.CONFIRMED, Status.HELD},
    "GETTING_REMINDERS": {Status.PLANNED, Status.CONFIRMED},
    "STANDING": {Status.PLANNED, Status.CONFIRMED, Status.HELD, Status.POSTPONED},
    "DONE": {Status.HELD, Status.CANCELLED},
}


def test_each_lifecycle_group_holds_its_statuses():
    assert {name: set(getattr(Status, name)) for name in GROUPS} == GROUPS
    # What is not over still takes replies; only a cancelled meeting stops standing.
    assert set(Status.TAKING_REPLIES) == set(Status.values) - Status.DONE
    assert set(Status.values) - Status.STANDING == {Status.CANCELLED}
    assert "TAKING_REPLIES" not in Status.names  # groups are no choices


def test_the_queryset_methods_answer_as_the_groups():
    for status in Status.values:
        MeetingFactory(status=status)
    methods = {
        "TAKING_REPLIES": Meeting.objects.taking_replies,
        "EXPECTING_ATTENDEES": Meeting.objects.expecting_attendees,
        "GETTING_REMINDERS": Meeting.objects.getting_reminders,
        "STANDING": Meeting.objects.standing,
        "DONE": Meeting.objects.done,
    }
    for name, method in methods.items():
        assert {m.status for m in method()} == GROUPS[name], name
    assert {m.status for m in Meeting.objects.not_done()} == set(Status.TAKING_REPLIES)


def invited(meeting):
    person = PersonFactory()
    return AttendanceFactory(meeting=meeting, organization=person.organization, person=person)


@pytest.mark.parametrize("status", Status.values)
def test_reminders_go_to_the_meetings_of_their_group(status):
    invited(timed_meeting(NOW + datetime.timedelta(hours=20), status=status))
    assert bool(mail.reminder_scan(now=NOW)) is (status in Status.GETTING_REMINDERS)


@pytest.mark.parametrize("status", Status.values)
def test_invitations_and_replies_follow_their_group(status, client):
    meeting = timed_meeting(timezone.now() + datetime.timedelta(days=3), status=status)
    attendance = invited(meeting)
    taking = status in Status.TAKING_REPLIES
    assert bool(services.invitations_send(meeting=meeting)) is taking
    reply = rsvp.reply_for(attendance=attendance, person_id=attendance.person_id)
    path = rsvp.url_for(reply).removeprefix("http://127.0.0.1:8000")
    assert client.get(path).status_code == (200 if taking else 410)


@pytest.mark.parametrize("status", Status.values)
def test_marking_held_changes_what_is_not_done(status):
    meeting = MeetingFactory(status=status)
    changed = services.meetings_mark_held(meetings=Meeting.objects.filter(pk=meeting.pk))
    assert changed == (0 if status in Status.DONE else 1)


def test_an_all_day_meeting_ends_at_six_in_the_evening_of_its_last_day():
    meeting = MeetingFactory(
        start_date=datetime.date(2026, 3, 2), end_date=datetime.date(2026, 3, 3)
    )
    assert meeting.ends == datetime.datetime(2026, 3, 3, 18, tzinfo=KST)
    assert meeting.period_end == datetime.datetime(2026, 3, 4, tzinfo=KST)  # the calendar's span
    start = datetime.datetime(2026, 3, 2, 14, tzinfo=KST)
    assert timed_meeting(start, hours=3).ends == start + datetime.timedelta(hours=3)


def test_the_database_agrees_with_each_meeting_on_when_it_ends():
    all_day = MeetingFactory(start_date=datetime.date(2026, 3, 2))
    evening = timed_meeting(datetime.datetime(2026, 3, 2, 19, tzinfo=KST))
    for meeting in (all_day, evening):
        end = meeting.ends
        second = datetime.timedelta(seconds=1)
        assert Meeting.objects.ended_between(end, end).get() == meeting
        assert Meeting.objects.ended_between(end - 60 * second, end - second).count() == 0
        assert Meeting.objects.ended_between(end + second, end + 60 * second).count() == 0


@pytest.mark.parametrize(("hour", "listed_upcoming"), [(17, True), (19, False)])
def test_the_public_list_counts_a_meeting_past_once_it_ends(
    client, time_machine, hour, listed_upcoming
):
    MeetingFactory(start_date=datetime.date(2026, 3, 2))
    time_machine.move_to(datetime.datetime(2026, 3, 2, hour, tzinfo=KST), tick=False)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ("Upcoming" in page) is listed_upcoming


def test_a_meeting_is_written_the_same_in_its_email_on_its_pages_and_in_the_admin(
    client, smtp, coordinator
):
    meeting = timed_meeting(
        timezone.now() + datetime.timedelta(days=3), title="AI 팩토리 현장 간담회"
    )
    invited(meeting)
    with translation.override("ko"):
        written = dates.meeting_when(meeting)
    assert "–" in written  # from its start to its end

    services.invitations_send(meeting=meeting)
    email = OutboundEmail.objects.get()
    assert f"({written})" in email.subject
    mail.outbox_drain()
    body = smtp.messages[0].get_body(("plain",)).get_content()
    assert f"일시: {written}" in body
    assert written in client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert written in client.get("/").content.decode()
    link = re.search(r"http://127\.0\.0\.1:8000(/rsvp/[^/\s]+/)", body).group(1)
    assert written in client.get(link).content.decode()
    client.force_login(coordinator)
    assert written in client.get("/admin/events/meeting/").content.decode()
    assert written in client.get("/admin/dashboard/").content.decode()


def test_days_and_times_read_as_people_write_them():
    with translation.override("en"):
        one_day = MeetingFactory.build(start_date=datetime.date(2025, 9, 19))
        assert dates.meeting_when(one_day) == "Sept. 19, 2025"
        two_days = MeetingFactory.build(
            start_date=datetime.date(2025, 9, 19), end_date=datetime.date(2025, 9, 20)
        )
        assert dates.meeting_when(two_days) == "Sept. 19, 2025 – Sept. 20, 2025"
        start = datetime.datetime(2026, 3, 9, 14, tzinfo=KST)
        overnight = timed_meeting(start, hours=27)
        assert dates.meeting_when(overnight) == (
            "March 9, 2026, 2:00 p.m. – March 10, 2026, 5:00 p.m."
        )
        assert dates.meeting_when(timed_meeting(start, hours=3)) == "March 9, 2026, 2:00–5:00 p.m."
    with translation.override("ko"):
        # A range within a day writes the day once, and 오후 once when both ends share it.
        assert dates.meeting_when(timed_meeting(start, hours=3)) == "2026년 3월 9일 오후 2:00–5:00"
        morning = datetime.datetime(2026, 3, 9, 11, 30, tzinfo=KST)
        assert dates.meeting_when(timed_meeting(morning, hours=2)) == (
            "2026년 3월 9일 오전 11:30–오후 1:30"
        )
        assert dates.meeting_when(overnight) == (
            "2026년 3월 9일 오후 2:00 – 2026년 3월 10일 오후 5:00"
        )
        assert dates.moment(start) == "2026년 3월 9일 오후 2:00"
