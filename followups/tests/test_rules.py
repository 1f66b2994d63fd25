"""Which fields an officer may change: one rule, the same on the request's page and in the API."""

import pytest

from api.tests.clients import client_for
from followups import rules
from followups.tests.factories import StakeholderRequestFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["officer", "coordinator"])
def test_the_admin_and_the_api_let_a_user_change_the_same_fields(client, ministry, role, request):
    user = request.getfixturevalue(role)
    own = StakeholderRequestFactory(ministry=ministry)
    client.force_login(user)
    page = client.get(f"/admin/followups/stakeholderrequest/{own.pk}/change/")
    in_admin = set(page.context["adminform"].form.fields)
    options = client_for(user).options(f"/api/v1/requests/{own.pk}/").json()
    in_api = {name for name, field in options["actions"]["PUT"].items() if not field["read_only"]}
    assert in_admin == in_api
    if role == "officer":
        assert in_admin == rules.OFFICER_WRITABLE
    else:
        assert in_admin > rules.OFFICER_WRITABLE | {"ministry", "assignee", "text"}
