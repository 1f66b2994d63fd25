"""Input no database can hold is a 4xx on every page, never a 500: NUL characters (PostgreSQL
refuses them in any text) and ids beyond 64 bits (SQLite cannot bind them), in paths, query
strings, cookies, headers, forms and the admin's filters and actions. Run on SQLite and on
PostgreSQL, the answers are the same."""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import COORDINATORS
from events.tests.factories import MeetingFactory
from stakeholders.models import Organization, Person
from stakeholders.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # beyond any 64-bit id


@pytest.fixture
def staff(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.mark.parametrize(
    "query",
    [
        f"stakeholders/person/?organization={HUGE}",
        f"stakeholders/person/?organization__in=1,{HUGE}",
        f"followups/stakeholderrequest/?ministry__id__exact={HUGE}",
        f"events/attendance/?id__in={HUGE}",
        f"auth/group/?id__in={HUGE}",  # a list of Django's own, as every other
        f"events/meeting/?series={HUGE}",
    ],
)
def test_an_admin_filter_with_an_id_beyond_range_is_a_400(staff, query):
    response = staff.get(f"/admin/{query}")
    assert response.status_code == 400
    assert "범위를 벗어난 숫자" in response.content.decode()  # "… out of range"


@pytest.mark.parametrize(
    "query",
    [
        "stakeholders/organization/?kind=%00",
        "stakeholders/person/?language=%00",
        "stakeholders/contactaccess/?action=%00",
        "events/meeting/?status=%00",
        "followups/stakeholderrequest/?q=%00",
    ],
)
def test_an_admin_filter_or_search_with_a_nul_is_a_400(staff, query):
    assert staff.get(f"/admin/{query}").status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/private/%00.ics",  # a private feed key
        "/feedback/%00/",
        "/rsvp/a%00b/",
        "/unsubscribe/%00/",
        "/?q=%00",
        "/meetings/?next=%00",
    ],
)
def test_a_nul_in_a_public_path_or_query_is_a_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def test_a_nul_in_a_cookie_or_a_header_is_a_400(client):
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"  # looked up in the sessions table
    assert client.get("/admin/").status_code == 400
    client.cookies.clear()
    assert client.get("/", HTTP_X_FORWARDED_FOR="\x00").status_code == 400


def test_a_nul_in_a_form_field_is_a_400(staff):
    organization = Organization.objects.create(name="포스코", kind="company")
    response = staff.post(
        "/admin/stakeholders/organization/",
        {"action": "merge", "_selected_action": [organization.pk], "keep": "1\x00"},
    )
    assert response.status_code == 400


def test_admin_actions_and_choices_of_ids_beyond_range_change_nothing(staff, admin_client):
    """Posted ids no row can have select nothing, on SQLite as on PostgreSQL."""
    person = PersonFactory()
    response = staff.post(
        "/admin/stakeholders/person/",
        {"action": "delete_selected", "_selected_action": [HUGE, str(person.pk)], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    meeting = MeetingFactory()
    response = staff.post(
        "/admin/events/meeting/", {"action": "mark_held", "_selected_action": ["not-a-uuid"]}
    )
    assert response.status_code == 400
    meeting.refresh_from_db()
    assert meeting.status != meeting.Status.HELD

    group = Group.objects.get(name=COORDINATORS)
    response = admin_client.post(
        f"/admin/auth/group/{group.pk}/change/", {"name": group.name, "permissions": [HUGE]}
    )
    assert response.status_code == 200  # the form, with its error
    assert HUGE in response.content.decode()
