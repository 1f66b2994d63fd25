import datetime

import factory

from events.models import Attendance, Meeting, Presentation, Series
from stakeholders.tests.factories import OrganizationFactory


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series
        django_get_or_create = ["slug"]

    slug = "test-series"
    name = "테스트 시리즈"
    name_en = "Test series"


class MeetingFactory(factory.django.DjangoModelFactory):
    """An all-day meeting by default; pass starts_at/ends_at with all_day=False for timed."""

    class Meta:
        model = Meeting

    series = factory.SubFactory(SeriesFactory)
    title = factory.Sequence(lambda n: f"간담회 {n}")
    title_en = factory.Sequence(lambda n: f"Roundtable {n}")
    all_day = True
    start_date = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(n))
    end_date = factory.SelfAttribute("start_date")
    venue = "세종청사"


def timed_meeting(starts_at, *, hours=2, **fields):
    """A timed meeting from `starts_at`, `hours` long."""
    return MeetingFactory(
        all_day=False,
        start_date=None,
        end_date=None,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        **fields,
    )


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    organization = factory.SubFactory(OrganizationFactory)


class PresentationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Presentation

    meeting = factory.SubFactory(MeetingFactory)
    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"발표 {n}")
