import datetime

import pytest
from django.utils import timezone

from events.tests.factories import AttendanceFactory, MeetingFactory
from stakeholders.tests.factories import MinistryFactory, OrganizationFactory, PersonFactory


@pytest.fixture
def meeting():
    meeting = MeetingFactory(
        title="AI 팩토리 현장 간담회",
        start_date=datetime.date(2026, 11, 20),
        end_date=datetime.date(2026, 11, 20),
        feedback_deadline=timezone.now() + datetime.timedelta(days=7),
    )
    posco = OrganizationFactory(name="포스코", name_en="POSCO")
    AttendanceFactory(meeting=meeting, organization=posco)  # no one named: all contacts
    PersonFactory(organization=posco, name="김철강", email="kim@posco.example")
    PersonFactory(organization=posco, name="이제선", email="lee@posco.example")
    PersonFactory(organization=posco, email="", name="연락처없음")
    lg = OrganizationFactory(name="LG전자")
    named = PersonFactory(organization=lg, name="박가전", email="park@lg.example", language="en")
    PersonFactory(organization=lg, email="other@lg.example")  # not named on the attendance
    AttendanceFactory(meeting=meeting, organization=lg, person=named)
    ministry = MinistryFactory(name="산업통상자원부")
    AttendanceFactory(
        meeting=meeting,
        organization=ministry,
        person=PersonFactory(organization=ministry, email="officer@motie.example"),
    )
    return meeting
