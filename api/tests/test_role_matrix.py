"""The roles (README, Roles) against every operation the API's schema declares: anonymous callers
401, callers without the permission 403, everyone else past the permission check (an empty
write is then a 400 from validation, not a 403).

Officers read everything and change only their own ministry's requests; viewers read; an
outside calendar partner (a token with "view meeting" only) reads meetings; coordinators do
everything. The public results (/api/v1/public/) are open to anyone, with a token or not."""

import pytest
from django.db import transaction
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from api.tests.clients import client_for
from events.tests.factories import AttendanceFactory, MeetingFactory
from followups.tests.factories import StakeholderRequestFactory
from pledges.models import Commitment
from stakeholders.tests.factories import PersonFactory
from webhooks import services as webhook_services
from webhooks.models import Delivery

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "partner", "viewer", "officer", "coordinator"]
METHODS = ("get", "post", "put", "patch", "delete")


def operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (path, method)
        for path, declared in schema["paths"].items()
        for method in METHODS
        if method in declared
    ]


def allowed(role, path, method) -> bool:
    if path.startswith("/api/v1/public/"):  # the public results: anyone, without a token
        return method == "get"
    if role == "anonymous":
        return False
    if role == "coordinator":
        return True
    if path.startswith("/api/v1/webhooks/"):  # coordinators, or those given the permission
        return False
    if method == "get":
        return role != "partner" or path.startswith("/api/v1/meetings/")
    # The officer's one write: their own ministry's requests (status, response, due, notes).
    return role == "officer" and path == "/api/v1/requests/{id}/" and method in ("put", "patch")


@pytest.fixture
def rows(ministry, coordinator):
    meeting = MeetingFactory()
    attendance = AttendanceFactory(meeting=meeting)
    # The coordinator's own: another's subscription is a 404 for everyone.
    webhook = webhook_services.subscription_create(
        owner=coordinator, url="https://hooks.example.com/", events=["meeting.created"]
    )
    return {
        "webhooks": webhook,
        "deliveries": Delivery.objects.create(
            subscription=webhook, event_type="meeting.created", event_key="test", body="{}"
        ),
        "meetings": meeting,
        "attendances": attendance,
        "organizations": attendance.organization,
        "people": PersonFactory(organization=attendance.organization),
        "requests": StakeholderRequestFactory(meeting=meeting, ministry=ministry),
        "commitments": Commitment.objects.create(title="AI 팩토리 500개", kind="target"),
        "series": meeting.series,
        "public": meeting.series,
    }


def concrete(path, rows) -> str:
    resource = path.split("/")[3]
    row = rows[resource]
    return (
        path.replace("{id}", str(row.pk))
        .replace("{slug}", getattr(row, "slug", ""))
        .replace("{delivery_id}", str(rows["deliveries"].pk))
    )


@pytest.mark.parametrize(("path", "method"), operations(), ids=lambda v: str(v))
def test_every_operation_for_every_role(path, method, rows, partner, viewer, officer, coordinator):
    users = {"partner": partner, "viewer": viewer, "officer": officer, "coordinator": coordinator}
    url = concrete(path, rows)
    for role in ROLES:
        client = APIClient() if role == "anonymous" else client_for(users[role])
        # Each role's call is undone, so that a coordinator's delete leaves rows for the next.
        with transaction.atomic():
            response = getattr(client, method)(url, {}, format="json")
            transaction.set_rollback(True)
        if role == "anonymous" and not allowed(role, path, method):
            assert response.status_code == 401, (role, method, url)
        elif allowed(role, path, method):
            assert response.status_code not in (401, 403, 404, 500), (role, method, url)
        else:
            assert response.status_code == 403, (role, method, url, response.status_code)
