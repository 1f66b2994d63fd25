import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from events import services
from events.models import Attendance, Meeting
from events.tests.factories import AttendanceFactory, MeetingFactory, SeriesFactory
from stakeholders.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
KST = timezone.get_default_timezone()


def at(day, hour):
    return datetime.datetime(2026, 3, day, hour, tzinfo=KST)


def raw_update(meeting, **fields):
    """Write around validation, as a careless script would, to reach the database's checks."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(**fields)


def test_all_day_meeting_has_dates_and_no_times():
    meeting = MeetingFactory()
    raw_update(meeting, starts_at=at(2, 10))
    raw_update(meeting, start_date=None)


def test_timed_meeting_has_times_and_no_dates():
    meeting = MeetingFactory(all_day=False, start_date=None, starts_at=at(2, 10), ends_at=at(2, 12))
    raw_update(meeting, start_date=datetime.date(2026, 3, 2))
    raw_update(meeting, ends_at=None)


def test_meeting_ends_after_it_starts():
    timed = MeetingFactory(all_day=False, start_date=None, starts_at=at(2, 10), ends_at=at(2, 12))
    raw_update(timed, ends_at=at(2, 10))
    all_day = MeetingFactory(start_date=datetime.date(2026, 3, 5))
    raw_update(all_day, end_date=datetime.date(2026, 3, 4))


def test_relay_number_is_unique_within_a_series_only():
    MeetingFactory(relay_number=1)
    MeetingFactory(relay_number=None)
    MeetingFactory(relay_number=None)
    MeetingFactory(relay_number=1, series=SeriesFactory(slug="other"))
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(relay_number=1)


def test_validation_explains_each_rule_in_words():
    series = SeriesFactory()
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            series=series, title="t", all_day=False, starts_at=at(2, 12), ends_at=at(2, 10)
        )
    assert "시작한 뒤에 끝나야" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.meeting_create(series=series, title="t", all_day=False)
    assert set(error.value.message_dict) == {"starts_at", "ends_at"}


def test_all_day_meeting_without_last_day_lasts_one_day():
    meeting = services.meeting_create(
        series=SeriesFactory(), title="t", all_day=True, start_date=datetime.date(2026, 3, 2)
    )
    assert meeting.end_date == datetime.date(2026, 3, 2)
    assert meeting.period_start == datetime.datetime(2026, 3, 2, tzinfo=KST)
    assert meeting.period_end == datetime.datetime(2026, 3, 3, tzinfo=KST)


def test_substitute_names_whom_they_replace():
    attendance = AttendanceFactory(person=PersonFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.filter(pk=attendance.pk).update(status="substitute")
    replaced = PersonFactory(organization=attendance.organization)
    Attendance.objects.filter(pk=attendance.pk).update(status="substitute", replaces=replaced)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.filter(pk=attendance.pk).update(status="attended")


def test_organization_attends_once_without_a_named_person():
    attendance = AttendanceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceFactory(meeting=attendance.meeting, organization=attendance.organization)
    AttendanceFactory(
        meeting=attendance.meeting,
        organization=attendance.organization,
        person=PersonFactory(organization=attendance.organization),
    )


def test_attendee_belongs_to_the_attending_organization():
    attendance = AttendanceFactory.build(
        meeting=MeetingFactory(), organization=PersonFactory().organization, person=PersonFactory()
    )
    with pytest.raises(ValidationError) as error:
        attendance.full_clean()
    assert "person" in error.value.message_dict
