"""The requests on a meeting's admin page are saved as the request's own page saves them."""

import pytest

from events.tests.factories import MeetingFactory
from feedback.tests.pages import form_fields
from followups.models import StakeholderRequest
from followups.tests.factories import StakeholderRequestFactory
from notifications import services as mail
from notifications.models import OutboundEmail
from stakeholders.tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return MeetingFactory(title="AI 팩토리 현장 간담회")


@pytest.fixture
def request_(meeting):
    posco = OrganizationFactory(name="포스코")
    kim = PersonFactory(organization=posco, name="김철강", email="kim@posco.example")
    return StakeholderRequestFactory(
        meeting=meeting, organization=posco, person=kim, text="AI 팩토리 전환 정책자금 확대"
    )


def meeting_page(client, meeting) -> tuple[str, dict]:
    url = f"/admin/events/meeting/{meeting.pk}/change/"
    return url, form_fields(client.get(url).content.decode(), "requests-TOTAL_FORMS")


def row_of(page, request) -> str:
    """The prefix of `request`'s row in the meeting page's requests."""
    [prefix] = [
        name.removesuffix("-id")
        for name, value in page.items()
        if name.startswith("requests-") and name.endswith("-id") and value == [str(request.pk)]
    ]
    return prefix


def test_assigning_on_the_meeting_page_emails_the_officer_exactly_once(
    client, coordinator, ministry, request_, meeting, smtp
):
    PersonFactory(organization=ministry, name="정책담당", email="desk@msit.example")
    client.force_login(coordinator)
    url, page = meeting_page(client, meeting)
    row = row_of(page, request_)
    # A step the workflow refuses is a form error on the row, as on the request's page.
    response = client.post(url, {**page, f"{row}-status": ["closed"]}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "A request cannot go from “New” to “Closed”." in response.content.decode()
    page.update({f"{row}-status": ["assigned"], f"{row}-ministry": [str(ministry.pk)]})
    assert client.post(url, page).status_code == 302

    stored = StakeholderRequest.objects.get(pk=request_.pk)
    assert (stored.status, stored.ministry) == ("assigned", ministry)
    assert stored.history.latest().history_user == coordinator
    # Saving the page again, unchanged, is no new step.
    url, page = meeting_page(client, meeting)
    assert client.post(url, page).status_code == 302
    mail.outbox_drain()
    assigned = [m for m in smtp.messages if m["Subject"].strip().startswith("[건의 배정]")]
    assert [m["To"] for m in assigned] == ["desk@msit.example"]
    assert f"/admin/followups/stakeholderrequest/{request_.pk}/change/" in (
        assigned[0].get_body(("plain",)).get_content()
    )
    assert OutboundEmail.objects.filter(kind="followups.assigned").count() == 1


def test_a_row_added_on_the_meeting_page_is_recorded_as_the_requests_page_records_it(
    client, coordinator, ministry, request_, meeting, smtp
):
    """The record of what was asked and answered at the meeting: its answer time is set, and
    recording is no step, so no one is emailed."""
    client.force_login(coordinator)
    url, page = meeting_page(client, meeting)
    row = f"requests-{page['requests-TOTAL_FORMS'][0]}"
    page["requests-TOTAL_FORMS"] = [str(int(page["requests-TOTAL_FORMS"][0]) + 1)]
    page.update(
        {
            f"{row}-organization": [str(request_.organization_id)],
            f"{row}-category": ["data"],
            f"{row}-source": ["meeting"],
            f"{row}-text": ["데이터 공유 표준"],
            f"{row}-status": ["closed"],
            f"{row}-ministry": [str(ministry.pk)],
        }
    )
    assert client.post(url, page).status_code == 302
    added = StakeholderRequest.objects.get(text="데이터 공유 표준")
    assert (added.meeting, added.status, added.ministry) == (meeting, "closed", ministry)
    assert added.responded_at is not None
    assert added.history.get().history_user == coordinator
    assert mail.outbox_drain() == 0
