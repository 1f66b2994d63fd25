"""Assigning requests as a coordinator does: the officer picked by name and ministry, only one
of the chosen ministry's; a ministry with nobody to email said so; many requests at once from
the list, each through request_assign, so each officer is emailed once a request."""

import pytest

from accounts.roles import MINISTRY_OFFICERS
from feedback.tests.pages import form_fields
from followups.models import StakeholderRequest
from followups.tests.factories import StakeholderRequestFactory
from notifications import services as mail
from notifications.models import OutboundEmail
from stakeholders.tests.factories import MinistryFactory, PersonFactory

pytestmark = pytest.mark.django_db
LIST = "/admin/followups/stakeholderrequest/"


@pytest.fixture
def motie():
    return MinistryFactory(name="산업통상자원부", name_en="Ministry of Trade, Industry and Energy")


@pytest.fixture
def kim(make_staff, motie):
    """An officer of 산업통상자원부, with an account."""
    user = make_staff(MINISTRY_OFFICERS, username="kim")
    PersonFactory(organization=motie, user=user, name="김영희", email=user.email)
    return user


def page_of(request) -> str:
    return f"{LIST}{request.pk}/change/"


def change_form(client, request) -> dict:
    return form_fields(client.get(page_of(request)).content.decode(), "status")


def test_the_officer_is_picked_by_name_and_ministry_and_must_be_of_the_chosen_one(
    client, coordinator, officer, ministry, kim, motie
):
    request = StakeholderRequestFactory()
    client.force_login(coordinator)
    html = client.get(page_of(request)).content.decode()
    assert f'value="{kim.pk}" data-ministry="{motie.pk}">김영희 (산업통상자원부)</option>' in html
    assert f'data-ministry="{ministry.pk}">김담당 (과학기술정보통신부)</option>' in html
    assert "followups/assignee.js" in html

    form = change_form(client, request)
    form.update(status=["assigned"], ministry=[str(ministry.pk)], assignee=[str(kim.pk)])
    refused = client.post(page_of(request), form)
    assert refused.status_code == 200
    assert "김영희 (산업통상자원부) 님은 과학기술정보통신부 담당자가 아닙니다." in (
        refused.content.decode()
    )
    assert StakeholderRequest.objects.get(pk=request.pk).status == "new"

    form["ministry"] = [str(motie.pk)]
    assert client.post(page_of(request), form).status_code == 302
    stored = StakeholderRequest.objects.get(pk=request.pk)
    assert (stored.status, stored.ministry, stored.assignee) == ("assigned", motie, kim)


def test_assigning_to_a_ministry_with_nobody_to_email_says_so(client, coordinator):
    nobody = MinistryFactory(name="중소벤처기업부")
    PersonFactory(organization=nobody, email="")  # a contact without an address
    request = StakeholderRequestFactory(text="스마트공장 보급 확대")
    client.force_login(coordinator)
    form = change_form(client, request)
    form.update(status=["assigned"], ministry=[str(nobody.pk)])
    page = client.post(page_of(request), form, follow=True).content.decode()
    assert "“스마트공장 보급 확대” 건을 중소벤처기업부에 이메일로 알릴 사람이 없습니다." in page
    assert StakeholderRequest.objects.get(pk=request.pk).status == "assigned"
    assert OutboundEmail.objects.count() == 0


def test_the_assign_action_asks_then_assigns_each_request_once(
    client, coordinator, kim, motie, smtp
):
    new = StakeholderRequestFactory.create_batch(3)
    closed = StakeholderRequestFactory(text="이미 끝난 건", status="closed")
    client.force_login(coordinator)
    selected = [r.pk for r in [*new, closed]]
    action = {"action": "assign", "_selected_action": selected}
    asked = client.post(LIST, action).content.decode()
    assert "아래 건의 사항 4건을 선택한 부처에 배정합니다." in asked
    assert f'data-ministry="{motie.pk}">김영희 (산업통상자원부)</option>' in asked
    assert OutboundEmail.objects.count() == 0

    chosen = {
        **action,
        "confirm": "1",
        "ministry": motie.pk,
        "assignee": kim.pk,
        "due_date": "2026-12-31",
    }
    page = client.post(LIST, chosen, follow=True).content.decode()
    assert "건의 사항 3건을 산업통상자원부에 배정했습니다." in page
    assert "배정하지 못한 건의: 이미 끝난 건" in page
    for request in new:
        request.refresh_from_db()
        assert (request.status, request.ministry, request.assignee) == ("assigned", motie, kim)
        assert str(request.due_date) == "2026-12-31"
        assert request.history.latest().history_user == coordinator
    assert StakeholderRequest.objects.get(pk=closed.pk).status == "closed"

    client.post(LIST, chosen)  # sent twice: the same ministry again is no new step
    mail.outbox_drain()
    assigned = [m for m in smtp.messages if m["To"] == kim.email]
    assert len(assigned) == 3
    assert sorted(m.get_body(("plain",)).get_content().count("/change/") for m in assigned) == [
        1,
        1,
        1,
    ]


def test_the_assign_action_refuses_an_officer_of_another_ministry(
    client, coordinator, kim, ministry
):
    request = StakeholderRequestFactory()
    client.force_login(coordinator)
    response = client.post(
        LIST,
        {
            "action": "assign",
            "_selected_action": [request.pk],
            "confirm": "1",
            "ministry": ministry.pk,
            "assignee": kim.pk,
        },
    )
    assert response.status_code == 200
    assert "김영희 (산업통상자원부) 님은 과학기술정보통신부 담당자가 아닙니다." in (
        response.content.decode()
    )
    assert StakeholderRequest.objects.get(pk=request.pk).status == "new"


def test_officers_are_not_offered_the_assign_action(client, officer):
    client.force_login(officer)
    html = client.get(LIST).content.decode()
    assert 'value="assign"' not in html
