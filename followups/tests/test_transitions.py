"""Each step of a request's workflow is a function that decides its emails and its note in the
history; it starts from what the database holds, whatever a copy in memory says."""

import pytest
from django.core.exceptions import ValidationError

from api.tests.clients import client_for
from followups import services
from followups.models import StakeholderRequest
from followups.tests.factories import StakeholderRequestFactory
from notifications import services as mail
from stakeholders.tests.factories import MinistryFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db
S = StakeholderRequest.Status


@pytest.fixture
def request_(ministry):
    PersonFactory(organization=ministry, name="정책담당", email="desk@msit.example")
    posco = OrganizationFactory(name="포스코")
    kim = PersonFactory(organization=posco, name="김철강", email="kim@posco.example")
    return StakeholderRequestFactory(organization=posco, person=kim, text="정책자금 확대")


def sent(smtp) -> list[tuple[str, str]]:
    """(to, "[kind]") of every email sent so far, sorted."""
    mail.outbox_drain()
    return sorted((m["To"], m["Subject"].strip().split("]")[0] + "]") for m in smtp.messages)


def test_each_step_emails_whom_it_concerns(request_, ministry, smtp, coordinator):
    services.request_assign(request=request_, by=coordinator, ministry=ministry)
    services.request_start(request=request_, by=coordinator)
    services.request_answer(request=request_, by=coordinator, response="반영하겠습니다.")
    services.request_reopen(request=request_, by=coordinator)
    services.request_decline(request=request_, by=coordinator, response="예산 부족")
    services.request_close(request=request_, by=coordinator)
    assert sent(smtp) == [
        ("desk@msit.example", "[건의 배정]"),
        ("kim@posco.example", "[건의 답변]"),
        ("kim@posco.example", "[건의 답변]"),
    ]
    stored = StakeholderRequest.objects.get(pk=request_.pk)
    assert stored.status == S.CLOSED and stored.responded_at is not None
    history = list(stored.history.order_by("history_date").values_list("status", flat=True))
    steps = ["assigned", "in_progress", "answered", "in_progress", "declined", "closed"]
    assert history == ["new", *steps]
    assert {h.history_user for h in stored.history.all()[:6]} == {coordinator}


def test_a_step_starts_from_what_the_database_holds_not_from_a_stale_copy(request_, ministry):
    stale = StakeholderRequest.objects.get(pk=request_.pk)
    services.request_answer(request=request_, by=None, ministry=ministry, response="답변")
    # The copy read before the answer still says "new": closing it is allowed all the same,
    # and assigning it (new → assigned) is refused.
    with pytest.raises(ValidationError) as error:
        services.request_assign(
            request=StakeholderRequest.objects.get(pk=request_.pk), by=None, ministry=ministry
        )
    assert "status" in error.value.message_dict
    services.request_close(request=stale, by=None)
    assert StakeholderRequest.objects.get(pk=request_.pk).status == S.CLOSED


def test_reassigning_an_request_in_progress_keeps_it_in_progress(request_, ministry, smtp):
    services.request_start(request=request_, by=None, ministry=ministry)
    other = MinistryFactory(name="중소벤처기업부")
    PersonFactory(organization=other, email="desk@mss.example")
    services.request_assign(request=request_, by=None, ministry=other)
    stored = StakeholderRequest.objects.get(pk=request_.pk)
    assert (stored.status, stored.ministry) == (S.IN_PROGRESS, other)
    assert (
        stored.history.first().history_change_reason
        == f"{ministry.name}에서 중소벤처기업부(으)로 재배정"
    )
    assert [to for to, _subject in sent(smtp)] == ["desk@msit.example", "desk@mss.example"]


@pytest.mark.parametrize(
    ("step", "kwargs"),
    [
        ("request_close", {}),  # never answered
        ("request_reopen", {}),  # not answered yet
        ("request_start", {}),  # no ministry
        ("request_decline", {"response": " "}),  # no reason
    ],
)
def test_a_step_the_workflow_refuses_changes_nothing_and_emails_no_one(request_, step, kwargs):
    with pytest.raises(ValidationError):
        getattr(services, step)(request=request_, by=None, **kwargs)
    stored = StakeholderRequest.objects.get(pk=request_.pk)
    assert stored.status == S.NEW and stored.history.count() == 1
    assert mail.outbox_drain() == 0


def test_a_plain_edit_is_no_step_and_a_move_of_an_assigned_request_is_one(request_, ministry):
    services.request_assign(request=request_, by=None, ministry=ministry)
    mail.outbox_drain()
    services.request_update(request=request_, by=None, notes="내부 메모", due_date=None)
    assert mail.outbox_drain() == 0
    with pytest.raises(TypeError):
        services.request_update(request=request_, by=None, status=S.ANSWERED)
    with pytest.raises(TypeError):
        services.request_update(request=request_, by=None, ministry=MinistryFactory())


def test_the_api_sends_each_change_to_its_step(request_, ministry, coordinator, smtp):
    """PATCH keeps its contract: the new values are mapped to the step they mean."""
    api = client_for(coordinator)
    url = f"/api/v1/requests/{request_.pk}/"
    assert api.patch(url, {"ministry": ministry.pk}, format="json").status_code == 200
    assert sent(smtp) == []  # a ministry noted on a new request: not yet assigned
    assert api.patch(url, {"status": "assigned"}, format="json").status_code == 200
    assert api.patch(url, {"notes": "확인"}, format="json").status_code == 200
    assert (
        api.patch(url, {"status": "declined", "response": "예산 부족"}, format="json").status_code
        == 200
    )
    assert sent(smtp) == [
        ("desk@msit.example", "[건의 배정]"),
        ("kim@posco.example", "[건의 답변]"),
    ]
    assert StakeholderRequest.objects.get(pk=request_.pk).history.latest().history_user == (
        coordinator
    )
