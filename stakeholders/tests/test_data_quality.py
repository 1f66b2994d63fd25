"""Business registration numbers, and merging duplicate organizations."""

import pytest
from django.core.exceptions import ValidationError

from api.tests.clients import client_for
from events.models import Attendance
from events.tests.factories import AttendanceFactory, MeetingFactory
from feedback import services as feedback
from feedback.models import Feedback
from followups.models import StakeholderRequest
from followups.tests.factories import StakeholderRequestFactory
from stakeholders import business_number, services
from stakeholders.models import Organization
from stakeholders.tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def valid_number(first_nine="124810003") -> str:
    return first_nine + str(business_number.check_digit(first_nine))


def test_a_business_number_is_checked_normalized_and_unique(lg):
    number = valid_number()
    formatted = business_number.display(number)
    lg = services.organization_update(organization=lg, business_number=formatted)
    assert lg.business_number == number
    wrong_check = number[:9] + str((int(number[9]) + 1) % 10)
    other = OrganizationFactory()
    for bad in (wrong_check, "12345", "abc-de-fghij"):
        with pytest.raises(ValidationError) as error:
            services.organization_update(organization=other, business_number=bad)
        assert "business_number" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.organization_update(organization=other, business_number=formatted)
    assert "사업자등록번호" in str(error.value)


def test_the_api_and_admin_search_know_the_number(lg, coordinator, client):
    number = valid_number()
    api = client_for(coordinator)
    response = api.patch(
        f"/api/v1/organizations/{lg.pk}/", {"business_number": "124-81-0003x"}, format="json"
    )
    assert response.status_code == 400
    response = api.patch(
        f"/api/v1/organizations/{lg.pk}/",
        {"business_number": business_number.display(number)},
        format="json",
    )
    assert response.json().get("business_number") == number, response.json()
    client.force_login(coordinator)
    page = client.get("/admin/stakeholders/organization/", {"q": business_number.display(number)})
    assert list(page.context["cl"].result_list) == [lg]


def test_matching_ignores_legal_forms_spaces_and_case(lg):
    for written in (
        "LG전자(주)",
        "㈜ LG전자",
        "LG전자 주식회사",
        "lg electronics co., ltd.",
        "엘지 전자",
    ):
        assert Organization.objects.by_name(written) == lg, written


def test_merging_moves_everything_and_keeps_the_name(lg, coordinator, client, ministry):
    services.organization_update(organization=lg, aliases=[])  # the duplicate has that name
    duplicate = services.organization_create(
        name="엘지전자(주)", name_en="LG Elec.", kind="company"
    )
    park = PersonFactory(organization=duplicate, email="park@lg.example")
    meeting, both = MeetingFactory(), MeetingFactory()
    AttendanceFactory(meeting=meeting, organization=duplicate, person=park)
    AttendanceFactory(meeting=both, organization=lg)
    AttendanceFactory(meeting=both, organization=duplicate)  # a duplicate row: dropped
    request = StakeholderRequestFactory(meeting=meeting, organization=duplicate)
    invitation = feedback.invitation_for(meeting=meeting, person=park)

    client.force_login(coordinator)
    url = "/admin/stakeholders/organization/"
    selected = {"action": "merge", "_selected_action": [lg.pk, duplicate.pk]}
    confirm = client.post(url, selected)
    assert confirm.status_code == 200 and "엘지전자(주)" in confirm.content.decode()
    done = client.post(url, {**selected, "keep": lg.pk, "confirm": "1"}, follow=True)
    assert "중복 1건을 정리" in done.content.decode()

    assert not Organization.objects.filter(pk=duplicate.pk).exists()
    park.refresh_from_db()
    request.refresh_from_db()
    invitation.refresh_from_db()
    assert park.organization == lg and request.organization == lg
    assert invitation.organization == lg
    assert Attendance.objects.filter(meeting=both).count() == 1
    assert Attendance.objects.get(meeting=meeting).organization == lg
    lg.refresh_from_db()
    assert "엘지전자(주)" in lg.aliases and "LG Elec." in lg.aliases
    assert Organization.objects.by_name("엘지전자") == lg
    history = StakeholderRequest.objects.get(pk=request.pk).history.first()
    assert "엘지전자(주)" in history.history_change_reason
    assert lg.history.first().history_change_reason == history.history_change_reason


def test_merging_joins_the_feedback_both_sent_on_a_meeting(lg):
    duplicate = OrganizationFactory(name="엘지 일렉트로닉스")
    meeting = MeetingFactory()
    Feedback.objects.create(
        meeting=meeting, organization=lg, comments="인력 지원", submitter_name="박"
    )
    Feedback.objects.create(
        meeting=meeting, organization=duplicate, comments="데이터 개방", submitter_name="최"
    )
    report = services.organizations_merge(keep=lg, others=[duplicate])
    assert report["dropped"] == 1
    [kept] = Feedback.objects.filter(meeting=meeting)
    assert kept.organization == lg and kept.comments == "인력 지원\n\n데이터 개방"
