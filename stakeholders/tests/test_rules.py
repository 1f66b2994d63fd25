"""The provenance a new contact needs (stakeholders.rules) holds on every way a contact is
added: the people list, an organization's page, the API, attendee imports, substitutes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from api.tests.clients import client_for
from events import rsvp
from events import services as meetings
from events.tests.factories import AttendanceFactory, timed_meeting
from stakeholders import rules, services
from stakeholders.models import Person
from stakeholders.tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_the_service_refuses_a_new_contact_that_does_not_say_where_it_came_from():
    organization = OrganizationFactory()
    with pytest.raises(ValidationError) as refused:
        services.person_save(
            person=Person(organization=organization, name="최담당", source="person")
        )
    assert list(refused.value.message_dict) == ["legal_basis"]
    assert not Person.objects.filter(name="최담당").exists()
    given = Person(organization=organization, name="최담당", source="person", legal_basis="consent")
    assert services.person_save(person=given).legal_basis_date == timezone.localdate()
    # A contact kept from before the rule is still corrected without it.
    older = PersonFactory()
    older.position = "팀장"
    services.person_save(person=older)
    assert Person.objects.get(pk=older.pk).position == "팀장"


def organization_form(organization, **contact):
    data = {
        "name": organization.name,
        "name_en": organization.name_en,
        "kind": organization.kind,
        "names-TOTAL_FORMS": "0",
        "names-INITIAL_FORMS": "0",
        "people-TOTAL_FORMS": "1",
        "people-INITIAL_FORMS": "0",
    }
    return data | {f"people-0-{field}": value for field, value in contact.items()}


def test_a_contact_added_on_its_organizations_page_says_where_it_came_from(client, coordinator):
    organization = OrganizationFactory()
    page = f"/admin/stakeholders/organization/{organization.pk}/change/"
    client.force_login(coordinator)
    contact = {"name": "윤담당", "language": "ko", "accepts_email": "on"}
    refused = client.post(page, organization_form(organization, **contact, source="person"))
    assert refused.status_code == 200
    errors = refused.context["inline_admin_formsets"][1].formset.errors
    assert errors == [{"legal_basis": [str(rules.MISSING)]}]
    assert "새 연락처마다 입력해야 합니다" in str(rules.MISSING)
    assert not Person.objects.filter(name="윤담당").exists()

    given = organization_form(organization, **contact, source="person", legal_basis="consent")
    assert client.post(page, given).status_code == 302
    added = Person.objects.get(name="윤담당")
    assert (added.legal_basis, added.legal_basis_date) == ("consent", timezone.localdate())
    assert added.history.latest().history_user == coordinator


def test_every_contact_the_system_adds_is_recorded_alike(settings, coordinator):
    settings.CONTACT_LEGAL_BASIS = "contract"
    organization = OrganizationFactory(name="포스코")
    imported = services.contact_match(
        organization_name="포스코", name="김수입", email="import@posco.example"
    ).person
    api = client_for(coordinator).post(
        "/api/v1/people/", {"name": "정담당", "organization": organization.pk}, format="json"
    )
    through_the_api = Person.objects.get(pk=api.json()["id"])
    replier = PersonFactory(organization=organization)
    meeting = timed_meeting(timezone.now() + datetime.timedelta(days=3))
    attendance = AttendanceFactory(meeting=meeting, organization=organization, person=replier)
    reply = rsvp.reply_for(attendance=attendance, person_id=replier.pk)
    meetings.attendance_reply(
        reply=reply,
        answer="substitute",
        substitute={"name": "박대리", "email": "deputy@posco.example"},
    )
    substitute = Person.objects.get(email="deputy@posco.example")
    expected = {
        imported: rules.provenance("organization", "참석자 명단 가져오기"),
        through_the_api: rules.provenance("other", "API로 추가"),
        substitute: rules.provenance("organization", "참석 회신에서 대리 참석자로 지정됨"),
    }
    for person, provenance in expected.items():
        assert {field: getattr(person, field) for field in provenance} == provenance
    assert provenance["legal_basis"] == "contract"
