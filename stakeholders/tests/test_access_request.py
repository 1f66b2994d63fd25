"""A coordinator answers an access request: everything held about one person, in one file."""

import json

import pytest

from events.tests.factories import AttendanceFactory
from feedback import services as feedback
from followups.tests.factories import StakeholderRequestFactory
from stakeholders.models import ContactAccess
from stakeholders.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
PEOPLE = "/admin/stakeholders/person/"


def export(client, person):
    return client.post(PEOPLE, {"action": "export_everything", "_selected_action": [person.pk]})


def test_everything_about_a_person_in_one_file(client, coordinator):
    person = PersonFactory(name="박가전", email="park@lg.example")
    attendance = AttendanceFactory(person=person, organization=person.organization)
    StakeholderRequestFactory(person=person, organization=person.organization, text="세액공제")
    feedback.invitation_for(meeting=attendance.meeting, person=person)
    client.force_login(coordinator)
    response = export(client, person)
    assert response["Content-Disposition"].startswith("attachment;")
    held = json.loads(response.content)
    assert held["person"][0]["fields"]["email"] == "park@lg.example"
    assert held["past versions"]
    assert held["followups.StakeholderRequest"][0]["fields"]["text"] == "세액공제"
    assert {"events.Attendance", "feedback.FeedbackInvitation"} <= set(held)
    assert "token_hash" not in response.content.decode()  # link secrets never leave


def test_only_coordinators_export_people(client, viewer, officer):
    person = PersonFactory()
    for user in (viewer, officer):
        client.force_login(user)
        response = export(client, person)
        assert response.get("Content-Type", "").startswith("text/html")
    assert not ContactAccess.objects.filter(action="exported").exists()
