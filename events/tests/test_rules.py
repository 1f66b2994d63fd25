"""The meeting rules (events.rules) answer the same on every way in: the API, the admin, the
public pages, the feeds and calendar sync."""

import pytest
from django.contrib.auth.models import AnonymousUser

from api.tests.clients import client_for
from events import rules
from events.models import Meeting
from events.tests.factories import AttendanceFactory, MeetingFactory
from stakeholders.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(coordinator, viewer, officer, partner):
    return {"coordinator": coordinator, "viewer": viewer, "officer": officer, "partner": partner}


def test_who_may_send_invitations_is_one_answer_in_the_api_and_the_admin(client, people):
    meeting = MeetingFactory()
    person = PersonFactory()
    AttendanceFactory(meeting=meeting, organization=person.organization, person=person)
    partner = people.pop("partner")  # no admin access: the API alone
    assert not rules.may_send_invitations(partner)
    assert (
        client_for(partner).post(f"/api/v1/meetings/{meeting.pk}/invitations/").status_code == 403
    )
    answers = {}
    for name, user in people.items():
        api = client_for(user).post(f"/api/v1/meetings/{meeting.pk}/invitations/")
        client.force_login(user)
        actions = client.get("/admin/events/meeting/").content.decode()
        answers[name] = (
            rules.may_send_invitations(user),
            api.status_code == 202,
            'value="send_invitations"' in actions,
        )
    assert answers == {
        "coordinator": (True, True, True),
        "viewer": (False, False, False),
        "officer": (False, False, False),
    }


def test_an_anonymous_caller_is_asked_to_sign_in_before_sending_invitations(client):
    meeting = MeetingFactory()
    response = client.post(f"/api/v1/meetings/{meeting.pk}/invitations/")
    assert (response.status_code, response.json()["code"]) == (401, "not_authenticated")


def test_an_internal_meeting_is_seen_where_the_rule_says_and_nowhere_else(client, people):
    internal = MeetingFactory(visibility=Meeting.Visibility.INTERNAL, title="내부 점검 회의")
    public = MeetingFactory()
    callers = {**people, "anonymous": AnonymousUser()}
    for name, user in callers.items():
        sees = rules.may_see_meeting(user, internal)
        assert rules.may_see_meeting(user, public)
        assert sees is (name != "partner" and name != "anonymous")
        client.logout()
        if user.is_authenticated:
            client.force_login(user)
        expected = 200 if sees else 404
        assert client.get(f"/meetings/{internal.pk}/").status_code == expected, name
        assert client.get(f"/calendar/meetings/{internal.pk}.ics").status_code == expected, name
        assert ("내부 점검 회의" in client.get("/").content.decode()) is sees, name
        if not user.is_authenticated:
            continue
        api = client_for(user)
        assert api.get(f"/api/v1/meetings/{internal.pk}/").status_code == expected, name
        synced = {row["id"] for row in api.get("/api/v1/meetings/sync/").json()["results"]}
        assert (str(internal.pk) in synced) is sees, name
        listed = api.post(
            "/api/v1/attendances/",
            {"meeting": str(internal.pk), "organization": PersonFactory().organization_id},
            format="json",
        )
        # Those who may not see it are told it does not exist, whatever else they may do.
        if not sees:
            assert listed.status_code in (400, 403), name
            if listed.status_code == 400:
                assert "meeting" in listed.json()["errors"], name
