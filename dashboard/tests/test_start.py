"""The admin's start page for each role, and its pages grouped by task: what each role sees
first, that every figure links to the list of the same rows, and that the page's queries do
not grow with the rows."""

import datetime
import re
import uuid

import pytest
from django.contrib import admin
from django.test import RequestFactory

from dashboard import start
from events.tests.factories import MeetingFactory, timed_meeting
from feedback.services import invitation_for
from followups.models import StakeholderRequest
from followups.tests.factories import StakeholderRequestFactory
from notifications.models import OutboundEmail
from stakeholders.tests.factories import MinistryFactory, OrganizationFactory, PersonFactory

pytestmark = [
    pytest.mark.django_db,
    # A Wednesday morning in Seoul: "today" is 2026-11-25 for every figure below.
    pytest.mark.time_machine(
        datetime.datetime(2026, 11, 25, 1, 0, tzinfo=datetime.UTC), tick=False
    ),
]
TODAY = datetime.date(2026, 11, 25)
NOW = datetime.datetime(2026, 11, 25, 1, 0, tzinfo=datetime.UTC)
Status = StakeholderRequest.Status


def days(n):
    return TODAY + datetime.timedelta(days=n)


def page(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def figure(response, label):
    """The count shown above `label` on a coordinator's start page, and where it links."""
    html = response.content.decode()
    found = re.search(
        r'<a href="([^"]+)"><span class="count">(\d+)</span><span class="label">'
        + re.escape(label),
        html,
    )
    assert found, label
    return int(found[2]), found[1].replace("&amp;", "&")


def listed(client, url):
    """How many rows an admin list says it shows."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["cl"].result_count


def failed_email():
    return OutboundEmail.objects.create(
        kind="test",
        recipient="someone@example.com",
        from_email="roundtable@localhost",
        subject=f"s {uuid.uuid4()}",
        body_text="t",
        occurrence=str(uuid.uuid4()),
        message_id=f"<{uuid.uuid4()}@test>",
        state=OutboundEmail.State.FAILED,
    )


@pytest.fixture
def workload(ministry):
    """Two meetings soon (one internal), one far off and one called off; a meeting over three
    days ago whose feedback is due, with one of two links answered; requests overdue, due
    later, new and answered; one failed email."""
    soon = timed_meeting(NOW + datetime.timedelta(days=2, hours=4), title="AI 반도체 현장 간담회")
    MeetingFactory(title="AI 인재 간담회", start_date=days(14), visibility="internal")
    MeetingFactory(title="먼 간담회", start_date=days(20))
    MeetingFactory(title="취소된 간담회", start_date=days(3), status="cancelled")
    held = MeetingFactory(title="제조 AI 간담회", start_date=days(-3), status="held")
    posco = OrganizationFactory(name="포스코")
    for name in ("이철수", "박영희"):
        invitation_for(meeting=held, person=PersonFactory(organization=posco, name=name))
    held.feedback_invitations.filter(person__name="박영희").update(answered_at=NOW)
    other = MinistryFactory(name="산업통상자원부")
    for due, ministry_ in ((days(-5), ministry), (days(-1), other), (days(4), ministry)):
        StakeholderRequestFactory(
            meeting=held,
            organization=posco,
            ministry=ministry_,
            status=Status.ASSIGNED,
            due_date=due,
        )
    StakeholderRequestFactory(
        meeting=held, organization=posco, ministry=ministry, status=Status.IN_PROGRESS
    )
    StakeholderRequestFactory(meeting=held, organization=posco)  # new, nobody's yet
    StakeholderRequestFactory(
        meeting=held,
        organization=posco,
        ministry=ministry,
        status=Status.ANSWERED,
        response="답변",
        due_date=days(-9),
    )
    failed_email()
    return soon


def test_a_coordinator_sees_what_needs_them_each_count_linking_to_its_rows(
    client, coordinator, workload
):
    response = page(client, coordinator)
    assert response.context["start"]["role"] == "coordinator"
    expected = {
        "앞으로 14일 안의 간담회": 2,  # the internal one too; not the far one, nor the cancelled
        "기한이 지난 건의 사항": 2,  # open and past due, whichever ministry
        "배정할 새 건의 사항": 1,
        "발송 실패한 이메일": 1,
    }
    for label, count in expected.items():
        shown, url = figure(response, label)
        assert shown == count, label
        assert listed(client, url) == count, label
    shown, _url = figure(response, "의견을 기다리는 간담회")
    assert shown == 1
    body = text(response)
    assert "AI 반도체 현장 간담회 · 2026년 11월 27일 오후 2:00–4:00 · 예정" in body
    assert "AI 인재 간담회" in body and "먼 간담회" not in body and "취소된 간담회" not in body
    # Feedback: the meeting, its unanswered links (the list of them) and the deadline.
    assert "제조 AI 간담회 · 미응답 링크 1개 · 2026년 12월 6일 오후 6:00까지" in body
    (row,) = response.context["start"]["feedback"]
    assert listed(client, row.url) == 1


def test_an_officer_sees_their_ministrys_open_requests_overdue_first(client, officer, workload):
    response = page(client, officer)
    start_page = response.context["start"]
    assert start_page["role"] == "officer"
    assert "figures" not in start_page  # nothing of the coordinators' work
    todo = start_page["todo"]
    assert [item.request.due_date for item in todo] == [days(-5), days(4), None]
    assert [item.overdue for item in todo] == [True, False, False]
    body = text(response)
    assert "우리 부처의 건의 사항" in body
    assert "2026년 11월 20일 · 기한 경과" in body and "기한 없음" in body
    assert "처리 중인 건의 사항 3건 모두 보기" in body
    for item in todo:
        assert client.get(item.url).status_code == 200  # their own ministry's
    assert listed(client, start_page["todo_url"]) == 3


def test_an_officer_with_nothing_open_is_told_so(client, officer):
    assert "우리 부처가 답할 건의 사항이 없습니다." in text(page(client, officer))


def test_a_viewer_sees_the_meetings_coming_up_and_the_open_requests(client, viewer, workload):
    response = page(client, viewer)
    start_page = response.context["start"]
    assert start_page["role"] == "viewer"
    assert len(start_page["meetings"]) == 2
    assert listed(client, start_page["open_requests_url"]) == 5
    assert "처리할 일" not in text(response)


def test_the_todo_list_is_cut_with_the_whole_count(officer, ministry):
    for n in range(start.TODO_LENGTH + 2):
        StakeholderRequestFactory(ministry=ministry, status=Status.ASSIGNED, due_date=days(n))
    total, todo = start.officer_todo(officer, NOW)
    assert (total, len(todo)) == (start.TODO_LENGTH + 2, start.TODO_LENGTH)


def more_rows(ministry, n):
    posco = OrganizationFactory(name=f"포스코 {n}")
    for i in range(n):
        meeting = MeetingFactory(start_date=days(1 + i % 10))
        held = MeetingFactory(start_date=days(-2), status="held")
        invitation_for(meeting=held, person=PersonFactory(organization=posco))
        StakeholderRequestFactory(
            meeting=held,
            organization=posco,
            ministry=ministry,
            status=Status.ASSIGNED,
            due_date=days(-i),
        )
        StakeholderRequestFactory(meeting=meeting, organization=posco)
        failed_email()


@pytest.mark.parametrize("role", ["coordinator", "officer", "viewer"])
def test_the_start_page_costs_the_same_queries_for_one_row_and_many(
    request, count_queries, client, ministry, role
):
    client.force_login(request.getfixturevalue(role))
    more_rows(ministry, 1)
    one = count_queries("/admin/")
    more_rows(ministry, 12)
    assert count_queries("/admin/") == one


def app_list(user):
    http = RequestFactory().get("/admin/")
    http.user = user
    return admin.site.get_app_list(http)


def test_the_pages_are_grouped_by_task_and_the_plumbing_is_one_entry(coordinator):
    groups = app_list(coordinator)
    names = [str(g["name"]) for g in groups]
    # Apps named in no task keep their own section, between the tasks and Administration.
    assert names[:5] == ["간담회", "건의·답변", "공약", "연락처", "알림"]
    assert names[-1] == "관리"
    administration = {str(m["name"]) for m in groups[-1]["models"]}
    assert {"정기 작업", "로그인 시도 (잠금)", "API 토큰"} <= administration
    shown = [m["admin_url"] for g in groups for m in g["models"]]
    assert not [url for url in shown if "crontabschedule" in url or "solarschedule" in url]


def test_every_page_django_lists_is_in_one_group(admin_user):
    # A superuser sees every registered page, the schedule tables too, each exactly once.
    http = RequestFactory().get("/admin/")
    http.user = admin_user
    django_lists = admin.AdminSite.get_app_list(admin.site, http)
    expected = sorted(m["admin_url"] for app in django_lists for m in app["models"])
    shown = sorted(m["admin_url"] for g in app_list(admin_user) for m in g["models"])
    assert shown == expected


def test_a_group_has_no_page_of_its_own_and_an_app_page_stays_djangos(client, coordinator):
    response = page(client, coordinator)
    assert 'href="" class="section"' not in response.text
    app_page = client.get("/admin/events/")
    assert app_page.status_code == 200
    assert [app["app_label"] for app in app_page.context["app_list"]] == ["events"]
