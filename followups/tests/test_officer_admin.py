"""Ministry officers see and answer their own ministry's requests only (README, Roles)."""

import pytest

from followups.models import StakeholderRequest
from followups.tests.factories import StakeholderRequestFactory
from stakeholders.tests.factories import MinistryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(ministry):
    return StakeholderRequestFactory(ministry=ministry, text="우리 부처 건")


@pytest.fixture
def others():
    return StakeholderRequestFactory(ministry=MinistryFactory(), text="다른 부처 건")


def answer_form(request, **changes):
    data = {"status": request.status, "response": "", "due_date": "", "notes": ""}
    # The attachments inline's management form, as the admin page sends it.
    data.update({"attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


def test_officer_lists_only_their_ministrys_requests(client, officer, own, others):
    client.force_login(officer)
    page = client.get("/admin/followups/stakeholderrequest/")
    assert list(page.context["cl"].result_list) == [own]


def test_officer_answers_their_own_request(client, officer, own):
    client.force_login(officer)
    response = client.post(
        f"/admin/followups/stakeholderrequest/{own.pk}/change/",
        answer_form(
            own, status="answered", response="검토 후 반영하겠습니다.", due_date="2026-12-31"
        ),
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.status, own.response) == ("answered", "검토 후 반영하겠습니다.")
    assert own.responded_at is not None
    assert own.history.latest().history_user == officer


def test_officer_cannot_change_other_fields(client, officer, own):
    client.force_login(officer)
    client.post(
        f"/admin/followups/stakeholderrequest/{own.pk}/change/",
        answer_form(own, text="바꿔치기", category="tax", status="in_progress"),
    )
    own.refresh_from_db()
    assert (own.text, own.category, own.status) == ("우리 부처 건", "finance", "in_progress")


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_other_ministries_requests_cannot_be_opened(client, officer, others, view):
    client.force_login(officer)
    response = client.get(f"/admin/followups/stakeholderrequest/{others.pk}/{view}/")
    assert response.status_code in (403, 404)
    assert "다른 부처 건" not in response.content.decode()


def test_other_ministries_requests_cannot_be_changed(client, officer, others):
    client.force_login(officer)
    response = client.post(
        f"/admin/followups/stakeholderrequest/{others.pk}/change/",
        answer_form(others, status="declined"),
    )
    assert response.status_code in (403, 404)
    assert StakeholderRequest.objects.get(pk=others.pk).status == "new"


def test_officer_cannot_add_or_delete_requests(client, officer, own):
    client.force_login(officer)
    assert client.get("/admin/followups/stakeholderrequest/add/").status_code == 403
    response = client.post(f"/admin/followups/stakeholderrequest/{own.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert StakeholderRequest.objects.filter(pk=own.pk).exists()


def test_officer_reads_meetings_but_cannot_change_them(client, officer, own):
    client.force_login(officer)
    meeting = own.meeting
    assert client.get("/admin/events/meeting/").status_code == 200
    assert client.get(f"/admin/events/meeting/{meeting.pk}/change/").status_code == 200
    assert client.post(f"/admin/events/meeting/{meeting.pk}/change/", {}).status_code == 403


def test_meeting_page_shows_an_officer_only_their_requests(client, officer, own):
    StakeholderRequestFactory(meeting=own.meeting, ministry=MinistryFactory(), text="다른 부처 건")
    client.force_login(officer)
    page = client.get(f"/admin/events/meeting/{own.meeting.pk}/change/").content.decode()
    assert "우리 부처 건" in page and "다른 부처 건" not in page


def test_officer_without_a_ministry_sees_nothing(client, make_staff, own):
    from accounts.roles import MINISTRY_OFFICERS

    client.force_login(make_staff(MINISTRY_OFFICERS, username="unlinked"))
    page = client.get("/admin/followups/stakeholderrequest/")
    assert list(page.context["cl"].result_list) == []


def test_officer_exports_only_their_ministrys_requests_with_answers(client, officer, own, others):
    from files.tests.exports import export

    own.response = "검토 중입니다."
    own.save()
    client.force_login(officer)
    sheet = export(client, "followups/stakeholderrequest")
    assert [row["건의 내용"] for row in sheet.dict] == ["우리 부처 건"]
    assert sheet.dict[0]["답변"] == "검토 중입니다."
    assert sheet.dict[0]["담당 부처"].startswith("과학기술정보통신부")
