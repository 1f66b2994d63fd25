"""PIPA: the privacy notice is public and linked; contacts say where their details came from;
every look at contacts' details in the admin is recorded; a contact can be erased on request."""

import datetime

import pytest
from django.utils import timezone

from api.tests.clients import client_for
from events.tests.factories import AttendanceFactory, MeetingFactory
from feedback import services as feedback
from feedback import tokens
from files.tests.exports import export
from followups.models import StakeholderRequest
from followups.tests.factories import StakeholderRequestFactory
from stakeholders.models import ContactAccess, Person
from stakeholders.tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db
PEOPLE = "/admin/stakeholders/person/"


def test_the_privacy_notice_is_public_and_linked_from_the_feedback_form(client, settings):
    settings.PRIVACY_CONTACT_EMAIL = "privacy@moef.example"
    notice = client.get("/privacy/").content.decode()
    assert "개인정보 처리방침" in notice and "기획재정부" in notice
    assert "1095일" in notice and "mailto:privacy@moef.example" in notice
    person = PersonFactory()
    meeting = MeetingFactory(feedback_deadline=timezone.now() + datetime.timedelta(days=7))
    attendance = AttendanceFactory(meeting=meeting, person=person, organization=person.organization)
    link = feedback.invitation_for(meeting=attendance.meeting, person=person)
    form = client.get(tokens.url_for(link).removeprefix(settings.SITE_URL)).content.decode()
    assert 'href="/privacy/"' in form
    assert "개인정보 처리방침</a>에 따라" in form


def test_a_new_contact_says_where_it_came_from(client, coordinator):
    client.force_login(coordinator)
    organization = OrganizationFactory()
    data = {"name": "최담당", "organization": organization.pk, "language": "ko"}
    refused = client.post(f"{PEOPLE}add/", data)
    assert refused.status_code == 200
    assert "새 연락처마다 입력해야 합니다" in refused.content.decode()
    assert not Person.objects.filter(name="최담당").exists()

    data |= {"source": "person", "source_note": "명함, 2025-09-19 간담회", "legal_basis": "consent"}
    assert client.post(f"{PEOPLE}add/", data).status_code == 302
    added = Person.objects.get(name="최담당")
    assert added.legal_basis_date == timezone.localdate()  # recorded today unless given


def test_looking_at_contacts_is_recorded(client, coordinator):
    person = PersonFactory(name="박가전", email="park@lg.example")
    colleague = PersonFactory(organization=person.organization)
    client.force_login(coordinator)
    client.get(f"{PEOPLE}{person.pk}/change/", REMOTE_ADDR="203.0.113.9")
    client.get(f"{PEOPLE}?q=박가전")
    client.get(f"/admin/stakeholders/organization/{person.organization.pk}/change/")
    client.post(PEOPLE, {"action": "export_everything", "_selected_action": [person.pk]})
    records = list(ContactAccess.objects.order_by("at", "pk"))
    assert [(r.action, r.person_id) for r in records] == [
        ("viewed", person.pk),
        ("listed", None),
        *sorted([("viewed", person.pk), ("viewed", colleague.pk)], key=lambda r: r[1]),
        ("exported", person.pk),
    ]
    assert records[0].username == coordinator.username
    assert records[0].address == "203.0.113.9"
    assert records[1].detail == "q=…"  # that a search was made, not what was searched
    listed = client.get("/admin/stakeholders/contactaccess/").content.decode()
    assert "연락처 페이지 열람" in listed and coordinator.username in listed


def test_only_coordinators_read_the_access_record(client, viewer, officer):
    for user in (viewer, officer):
        client.force_login(user)
        assert client.get("/admin/stakeholders/contactaccess/").status_code == 403


def test_a_coordinator_erases_a_contact_on_request(client, coordinator):
    person = PersonFactory(name="박가전", email="park@lg.example", phone="010-1234-5678")
    request = StakeholderRequestFactory(person=person, organization=person.organization)
    client.force_login(coordinator)
    chosen = {"action": "erase", "_selected_action": [person.pk]}
    asked = client.post(PEOPLE, chosen).content.decode()
    assert "되돌릴 수 없습니다" in asked and "박가전" in asked
    person.refresh_from_db()
    assert person.anonymised_at is None  # nothing until confirmed

    client.post(PEOPLE, chosen | {"confirm": "1"})
    person.refresh_from_db()
    assert person.anonymised_at is not None
    assert (person.email, person.phone) == ("", "")
    assert "박가전" not in str(person)
    assert person.history.latest().history_change_reason == "정보주체의 요구로 개인정보 삭제"
    assert StakeholderRequest.objects.get(pk=request.pk).text == request.text
    assert ContactAccess.objects.filter(action="erased", person=person).exists()


def test_only_coordinators_erase(client, viewer, officer):
    person = PersonFactory(email="park@lg.example")
    for user in (viewer, officer):
        client.force_login(user)
        client.post(PEOPLE, {"action": "erase", "_selected_action": [person.pk], "confirm": "1"})
    person.refresh_from_db()
    assert person.anonymised_at is None and person.email == "park@lg.example"


def test_viewing_is_no_trace_that_keeps_a_contact(client, coordinator, settings):
    from stakeholders import services

    person = PersonFactory()
    long_ago = timezone.now() - datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS + 1)
    Person.objects.filter(pk=person.pk).update(updated_at=long_ago)
    client.force_login(coordinator)
    client.get(f"{PEOPLE}{person.pk}/change/")
    assert list(services.contacts_to_anonymise()) == [person]


def test_every_way_to_contact_details_is_recorded(client, coordinator):
    person = PersonFactory(name="박가전")
    AttendanceFactory(person=person, organization=person.organization)
    client.force_login(coordinator)
    client.get(f"{PEOPLE}{person.pk}/history/")
    export(client, "events/attendance")
    api = client_for(coordinator)
    api.get("/api/v1/people/?email=park@lg.example&language=ko")
    api.get(f"/api/v1/people/{person.pk}/")
    records = [(r.action, r.person_id, r.detail) for r in ContactAccess.objects.order_by("pk")]
    assert records == [
        ("viewed", person.pk, "history"),
        ("listed", None, "attendance export"),
        ("listed", None, "email=…&language=ko"),  # what was searched for is not kept
        ("viewed", person.pk, ""),
    ]


def test_contacts_added_through_the_api_say_so(client, coordinator):
    api = client_for(coordinator)
    organization = OrganizationFactory()
    made = api.post("/api/v1/people/", {"name": "정담당", "organization": organization.pk}).json()
    assert (made["source"], made["legal_basis"]) == ("other", "public_duty")
    assert made["source_note"] == "API로 추가"
    told = api.post(
        "/api/v1/people/",
        {"name": "한담당", "organization": organization.pk, "legal_basis": "consent"},
    ).json()
    assert told["legal_basis"] == "consent"
