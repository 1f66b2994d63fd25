"""A request's workflow: one service decides the transitions, every entry point obeys it, and
the people concerned hear about it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from api.tests.clients import client_for
from events.tests.factories import MeetingFactory
from followups import services
from followups.models import StakeholderRequest
from followups.tests.factories import StakeholderRequestFactory
from notifications import services as mail
from stakeholders.tests.factories import MinistryFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db
S = StakeholderRequest.Status


@pytest.fixture
def request_(ministry):
    posco = OrganizationFactory(name="포스코")
    kim = PersonFactory(organization=posco, name="김철강", email="kim@posco.example")
    return StakeholderRequestFactory(
        organization=posco,
        person=kim,
        text="AI 팩토리 전환 정책자금 확대",
        meeting=MeetingFactory(title="AI 팩토리 현장 간담회"),
    )


def move(request, status, **fields):
    """What the request's page or the API asks for: a new status, with other new values."""
    request = StakeholderRequest.objects.get(pk=request.pk)
    return services.request_edit(request=request, by=None, changes={"status": status, **fields})


@pytest.mark.parametrize(
    "path",
    [
        [S.ASSIGNED, S.IN_PROGRESS, S.ANSWERED, S.CLOSED],
        [S.ANSWERED],  # an officer may answer at once
        [S.ASSIGNED, S.DECLINED, S.IN_PROGRESS, S.ANSWERED],  # taken up again
    ],
)
def test_allowed_paths(request_, ministry, path):
    for status in path:
        request_ = move(request_, status, ministry=ministry, response="검토 결과를 알려 드립니다.")
    assert request_.status == path[-1]
    assert request_.responded_at is not None


@pytest.mark.parametrize(
    "path",
    [
        [S.CLOSED],  # closing what was never answered
        [S.ANSWERED, S.NEW],
        [S.ANSWERED, S.CLOSED, S.IN_PROGRESS],  # closed is done
        [S.IN_PROGRESS, S.ASSIGNED],
    ],
)
def test_refused_paths(request_, ministry, path):
    *allowed, refused = path
    for status in allowed:
        request_ = move(request_, status, ministry=ministry, response="답변")
    with pytest.raises(ValidationError) as error:
        move(request_, refused, ministry=ministry, response="답변")
    assert "status" in error.value.message_dict
    assert StakeholderRequest.objects.get(pk=request_.pk).status == path[-2] if allowed else S.NEW


def test_what_each_status_needs(request_, ministry):
    with pytest.raises(ValidationError) as error:
        move(request_, S.ASSIGNED)
    assert "ministry" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        move(request_, S.DECLINED, ministry=ministry)
    assert "수용 불가 사유" in error.value.message_dict["response"][0]


def test_assigning_emails_the_officer_or_else_the_ministrys_contacts(request_, ministry, smtp):
    PersonFactory(organization=ministry, name="정책담당", email="desk@motie.example")
    move(request_, S.ASSIGNED, ministry=ministry)
    mail.outbox_drain()
    [email] = smtp.to("desk@motie.example")
    assert email["Subject"].strip().startswith("[건의 배정] 포스코")
    body = email.get_body(("plain",)).get_content()
    assert f"/admin/followups/stakeholderrequest/{request_.pk}/change/" in body
    # A save that changes neither status nor ministry sends nothing more.
    move(request_, S.ASSIGNED, notes="내부 메모")
    assert mail.outbox_drain() == 0


def test_an_answer_reaches_the_company_in_its_language(request_, ministry, smtp):
    request_.person.language = "en"
    request_.person.save()
    move(request_, S.ANSWERED, ministry=ministry, response="We will expand the fund in 2026.")
    mail.outbox_drain()
    [email] = smtp.to("kim@posco.example")
    assert email["Subject"].strip().startswith("[Answer]")
    assert "We will expand the fund in 2026." in email.get_body(("plain",)).get_content()


def test_reassignment_is_in_the_history(request_, ministry):
    move(request_, S.ASSIGNED, ministry=ministry)
    other = MinistryFactory(name="중소벤처기업부")
    move(request_, S.ASSIGNED, ministry=other)
    latest = StakeholderRequest.objects.get(pk=request_.pk).history.first()
    assert latest.history_change_reason == f"{ministry.name}에서 중소벤처기업부(으)로 재배정"


def test_the_api_refuses_a_transition_with_a_400(request_, ministry, officer):
    move(request_, S.ASSIGNED, ministry=ministry)
    api = client_for(officer)
    url = f"/api/v1/requests/{request_.pk}/"
    response = api.patch(url, {"status": "closed"}, format="json")
    assert response.status_code == 400 and "status" in response.json()["errors"]
    response = api.patch(url, {"status": "answered", "response": "반영하겠습니다."}, format="json")
    assert response.status_code == 200 and response.json()["responded_at"]


def test_the_admin_shows_a_refused_transition_as_a_form_error(
    request_, ministry, coordinator, client
):
    client.force_login(coordinator)
    page = client.post(
        f"/admin/followups/stakeholderrequest/{request_.pk}/change/",
        {
            "meeting": request_.meeting_id,
            "organization": request_.organization_id,
            "category": "finance",
            "source": "meeting",
            "text": request_.text,
            "status": "closed",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
        },
    )
    assert page.status_code == 200
    assert "(으)로 바꿀 수 없습니다" in page.content.decode()


def test_the_same_request_across_the_series(request_):
    earlier_meeting = MeetingFactory(
        start_date=request_.meeting.start_date - datetime.timedelta(30)
    )
    earlier = StakeholderRequestFactory(meeting=earlier_meeting, organization=request_.organization)
    services.request_update(request=request_, by=None, same_as=earlier)
    later = StakeholderRequestFactory(
        meeting=MeetingFactory(start_date=request_.meeting.start_date + datetime.timedelta(30)),
        organization=request_.organization,
        same_as=request_,
    )
    assert request_.chain() == [earlier, request_, later]
    with pytest.raises(ValidationError):  # pointing forward is refused
        services.request_update(request=earlier, by=None, same_as=later)
