"""In a series that holds answers, an answer or decline reaches the company only when a
coordinator publishes it (README, Publishing answers): one or many at once, once, in the
history."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from events.tests.factories import MeetingFactory, SeriesFactory
from followups import services
from followups.models import StakeholderRequest
from followups.tests.factories import StakeholderRequestFactory
from notifications import services as mail
from stakeholders.tests.factories import MinistryFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db
S = StakeholderRequest.Status


def raised(*, holds, email="kim@posco.example"):
    meeting = MeetingFactory(series=SeriesFactory(holds_answers=holds))
    company = OrganizationFactory()
    kim = PersonFactory(organization=company, name="김철강", email=email)
    return StakeholderRequestFactory(
        meeting=meeting, organization=company, person=kim, ministry=MinistryFactory()
    )


def bodies(smtp, address) -> list[str]:
    mail.outbox_drain()
    found = []
    for message in smtp.messages:
        if message["To"] != address:
            continue
        part = message.get_body(preferencelist=("plain",)) if message.is_multipart() else message
        found.append(part.get_content())
    return found


def test_a_held_answer_reaches_the_company_only_when_published(smtp, coordinator):
    request = raised(holds=True)
    services.request_answer(request=request, by=coordinator, response="내년 예산에 반영합니다.")
    request.refresh_from_db()
    assert request.status == S.ANSWERED and request.published_at is None
    assert bodies(smtp, "kim@posco.example") == []
    assert request.published_response() == ""
    assert request.get_status_for_company_display() == "처리 중"

    assert services.request_publish(request=request, by=coordinator) is True
    assert services.request_publish(request=request, by=coordinator) is False  # once
    request.refresh_from_db()
    assert request.published_at is not None and request.published_by == coordinator
    sent = bodies(smtp, "kim@posco.example")
    assert len(sent) == 1 and "내년 예산에 반영합니다." in sent[0]
    reasons = list(request.history.values_list("history_change_reason", flat=True))
    assert "Answer published" in reasons or "답변 공개" in reasons


def test_elsewhere_an_answer_goes_at_once(smtp, coordinator):
    request = raised(holds=False)
    services.request_decline(request=request, by=coordinator, response="예산 부족")
    request.refresh_from_db()
    assert request.published_at is not None
    assert request.published_response() == "예산 부족"
    assert len(bodies(smtp, "kim@posco.example")) == 1
    assert services.request_publish(request=request, by=coordinator) is False


def test_nothing_to_publish_before_an_answer(coordinator):
    request = raised(holds=True)
    assert services.request_publish(request=request, by=coordinator) is False
    request.refresh_from_db()
    assert request.published_at is None


def test_many_published_at_once_each_company_emailed_once(smtp, coordinator):
    requests = [raised(holds=True, email=f"c{n}@example.com") for n in range(3)]
    for request in requests[:2]:
        services.request_answer(request=request, by=coordinator, response="검토 완료")
    chosen = StakeholderRequest.objects.filter(pk__in=[r.pk for r in requests])
    assert services.requests_publish(requests=chosen, by=coordinator) == 2
    assert services.requests_publish(requests=chosen, by=coordinator) == 0
    mail.outbox_drain()
    assert sorted(m["To"] for m in smtp.messages) == ["c0@example.com", "c1@example.com"]


def test_reopened_or_reworded_answers_are_held_again(smtp, coordinator):
    request = raised(holds=True)
    services.request_answer(request=request, by=coordinator, response="첫 답변")
    services.request_publish(request=request, by=coordinator)
    services.request_update(request=request, by=coordinator, response="고친 답변")
    request.refresh_from_db()
    assert request.published_at is None and request.published_response() == ""
    services.request_publish(request=request, by=coordinator)
    services.request_reopen(request=request, by=coordinator)
    request.refresh_from_db()
    assert request.published_at is None and request.status == S.IN_PROGRESS


def test_a_coordinator_publishes_a_selection_from_the_request_list(smtp, client, coordinator):
    requests = [raised(holds=True, email=f"p{n}@example.com") for n in range(2)]
    for request in requests:
        services.request_answer(request=request, by=coordinator, response="반영 예정")
    client.force_login(coordinator)
    response = client.post(
        "/admin/followups/stakeholderrequest/",
        {"action": "publish", "_selected_action": [r.pk for r in requests]},
        follow=True,
    )
    assert "답변 2건을 공개했습니다." in response.content.decode()
    mail.outbox_drain()
    assert sorted(m["To"] for m in smtp.messages) == ["p0@example.com", "p1@example.com"]


def test_officers_draft_but_do_not_publish(client, officer, ministry):
    request = raised(holds=True)
    request.ministry = ministry
    request.save()
    client.force_login(officer)
    page = client.get("/admin/followups/stakeholderrequest/").content.decode()
    assert 'value="publish"' not in page


def test_the_company_reads_an_answer_only_once_it_is_published(client, coordinator):
    from feedback import services as feedback

    request = raised(holds=True)
    request.source = StakeholderRequest.Source.FEEDBACK_FORM  # what the form shows
    request.save()
    services.request_answer(request=request, by=coordinator, response="비공개 초안 답변")
    request.meeting.feedback_deadline = timezone.now() + datetime.timedelta(days=7)
    request.meeting.save()
    invitation = feedback.invitation_for(meeting=request.meeting, person=request.person)
    path = invitation.url.removeprefix(settings.SITE_URL)
    assert "비공개 초안 답변" not in client.get(path).content.decode()
    services.request_publish(request=request, by=coordinator)
    assert "비공개 초안 답변" in client.get(path).content.decode()


def test_days_to_an_answer_count_from_the_meeting_that_raised_it(client, coordinator):
    request = raised(holds=False)
    start = request.meeting.period_start
    StakeholderRequest.objects.filter(pk=request.pk).update(
        created_at=start + datetime.timedelta(days=10),  # recorded long after the meeting
        status=S.ANSWERED,
        response="답변",
        responded_at=start + datetime.timedelta(days=3),
        published_at=start + datetime.timedelta(days=3),
    )
    client.force_login(coordinator)
    page = client.get(f"/admin/followups/stakeholderrequest/{request.pk}/change/").content
    assert '<div class="readonly">3일</div>' in page.decode()
