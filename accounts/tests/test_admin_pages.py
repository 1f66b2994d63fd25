"""Every admin page renders for a coordinator; viewers read only; anonymous users sign in."""

import pytest
from django.contrib import admin
from django.urls import reverse

from events import rsvp
from events import services as events
from events.models import Attendance, Meeting, MeetingDocument
from files.tests.samples import upload
from stakeholders.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

# Coordinators manage the domain, reminder schedules and API tokens; accounts are for superusers.
REGISTERED = sorted(
    (m for m in admin.site._registry if m._meta.app_label != "auth"),
    key=lambda m: m._meta.label,
)
# Written by the system only (the send log; invitations come from asking for feedback, reply
# links from invitations and reminders; authenticator apps and API tokens from their owner's
# own page).
SYSTEM_WRITTEN = {
    "accounts.ApiToken",
    "accounts.Authenticator",
    "stakeholders.ContactAccess",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "notifications.OutboundEmail",
    "feedback.FeedbackInvitation",
    "events.AttendanceReply",
    "webhooks.Delivery",
}
DOMAIN = [
    m
    for m in REGISTERED
    if m._meta.app_label in {"stakeholders", "events", "followups", "pledges"}
    and m._meta.label != "stakeholders.ContactAccess"  # the access record: coordinators only
]


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def full(seeded):
    # The seed invents no people, and so no reply links.
    attendance = Attendance.objects.first()
    person = PersonFactory(organization=attendance.organization)
    rsvp.reply_for(attendance=attendance, person_id=person.pk)
    slides = MeetingDocument(meeting=attendance.meeting, kind="slides", file=upload("발표.pptx"))
    events.document_save(document=slides)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_coordinator_sees_every_list_and_add_page(client, coordinator, full, model):
    client.force_login(coordinator)
    assert client.get(url(model, "changelist")).status_code == 200
    expected = 403 if model._meta.label in SYSTEM_WRITTEN else 200
    assert client.get(url(model, "add")).status_code == expected


@pytest.mark.parametrize("model", DOMAIN, ids=lambda m: m._meta.label)
def test_coordinator_sees_every_change_and_history_page(client, coordinator, full, model):
    client.force_login(coordinator)
    obj = model.objects.first()
    assert obj is not None, "the seed or fixture gives every model a row"
    assert client.get(url(model, "change", obj.pk)).status_code == 200
    assert client.get(url(model, "history", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", DOMAIN, ids=lambda m: m._meta.label)
def test_viewer_reads_but_cannot_add_or_change(client, viewer, full, model):
    client.force_login(viewer)
    obj = model.objects.first()
    assert client.get(url(model, "changelist")).status_code == 200
    page = client.get(url(model, "change", obj.pk))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.get(url(model, "add")).status_code == 403
    assert client.post(url(model, "change", obj.pk), {}).status_code == 403
    assert client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403


def test_coordinator_reads_accounts_but_does_not_manage_them(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/admin/auth/user/").status_code == 200  # to link a contact to an account
    assert client.get("/admin/auth/user/add/").status_code == 403
    assert client.get(f"/admin/auth/user/{coordinator.pk}/change/").status_code == 200
    assert client.post(f"/admin/auth/user/{coordinator.pk}/change/", {}).status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403


def test_viewer_cannot_reach_schedules_or_tokens(client, viewer):
    client.force_login(viewer)
    assert client.get("/admin/django_celery_beat/periodictask/").status_code == 403
    assert client.get("/admin/accounts/apitoken/").status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/admin/events/meeting/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_admin_speaks_korean_by_default_and_english_on_request(client, coordinator, seeded):
    client.force_login(coordinator)
    korean = client.get("/admin/events/meeting/").content.decode()
    assert "로그아웃" in korean and "AI 팩토리 현장 간담회" in korean
    english = client.get("/admin/events/meeting/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log out" in english


def test_meeting_page_shows_its_inlines_and_counts(client, coordinator, seeded):
    client.force_login(coordinator)
    factory = Meeting.objects.get(theme="AI 팩토리")
    page = client.get(url(Meeting, "change", factory.pk)).content.decode()
    assert "제선공정" in page  # the presentation inline
    assert "정부 지원" in page  # the requests inline
    assert "10조 원" in page  # the pledges announced there
    assert "<dd>7</dd>" in page  # seven organizations attended


@pytest.mark.parametrize("model", DOMAIN, ids=lambda m: m._meta.label)
@pytest.mark.parametrize("role", ["viewer", "coordinator"])
def test_a_past_version_is_shown_never_saved_back(client, full, model, role, request):
    client.force_login(request.getfixturevalue(role))
    obj = model.objects.first()
    version = url(model, "simple_history", obj.pk, obj.history.earliest().history_id)
    assert client.get(version).status_code == 200
    before = model.history.count()
    assert client.post(version, {}).status_code == 403
    assert model.history.count() == before


@pytest.mark.parametrize("model", DOMAIN, ids=lambda m: m._meta.label)
def test_history_addresses_that_name_nothing_are_404s(client, coordinator, model):
    client.force_login(coordinator)
    prefix = f"/admin/{model._meta.app_label}/{model._meta.model_name}"
    assert client.get(f"{prefix}/abc/history/").status_code == 404
    assert client.get(f"{prefix}/abc/history/x/").status_code == 404
