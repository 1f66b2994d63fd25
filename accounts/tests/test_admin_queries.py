"""Admin lists cost the same number of queries for one row as for many."""

import pytest
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice

from events import rsvp, services
from events.tests.factories import AttendanceFactory, PresentationFactory
from followups.tests.factories import StakeholderRequestFactory
from pledges.tests.factories import ProgressEntryFactory
from stakeholders.models import ContactAccess
from stakeholders.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def one_of_everything():
    person = PersonFactory()
    account = User.objects.create_user(f"staff-{person.pk}", is_staff=True)
    TOTPDevice.objects.create(user=account, name="authenticator", confirmed=True)
    ContactAccess.objects.create(username=account.username, action="viewed", person=person)
    attendance = AttendanceFactory(person=person, organization=person.organization)
    reply = rsvp.reply_for(attendance=attendance, person_id=attendance.person_id)
    services.attendance_reply(reply=reply, answer="confirmed")
    PresentationFactory(meeting=attendance.meeting)
    StakeholderRequestFactory(meeting=attendance.meeting, organization=attendance.organization)
    ProgressEntryFactory()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/events/meeting/",
        "/admin/events/attendance/",
        "/admin/events/presentation/",
        "/admin/events/attendancereply/",
        "/admin/stakeholders/organization/",
        "/admin/stakeholders/person/",
        "/admin/followups/stakeholderrequest/",
        "/admin/pledges/commitment/",
        "/admin/stakeholders/contactaccess/",
        "/admin/accounts/authenticator/",
        "/admin/auth/user/",
    ],
)
def test_list_queries_do_not_grow_with_rows(client, coordinator, count_queries, path):
    client.force_login(coordinator)
    one_of_everything()
    with_one = count_queries(path)
    for _ in range(15):
        one_of_everything()
    assert count_queries(path) == with_one
