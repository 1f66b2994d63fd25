"""The admin's history pages as a coordinator reads them: Korean headings, choices by their
label, Seoul time in the one date format, people by name (a company's contact through the
feedback form, a staff member with their ministry), and a meeting's changes together with
those of its attendances and requests on one timeline."""

import datetime
import html
import re

import pytest
import time_machine

from events.models import Attendance
from events.tests.factories import AttendanceFactory, MeetingFactory
from feedback import services as feedback
from followups import services as followups
from followups.models import StakeholderRequest
from followups.tests.factories import StakeholderRequestFactory
from stakeholders.tests.factories import MinistryFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db
# 14:30 in Seoul.
MORNING = datetime.datetime(2026, 11, 25, 5, 30, tzinfo=datetime.UTC)


def rows(response):
    """The history table's rows as text, cell by cell."""
    table = response.content.decode().split('<div id="change-history"', 1)[1]
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        found.append([" ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells])
    return found


def headings(response):
    table = response.content.decode().split('<div id="change-history"', 1)[1]
    return [" ".join(h.split()) for h in re.findall(r'<th scope="col">(.*?)</th>', table, re.S)]


@pytest.fixture
def request_(coordinator, officer, ministry):
    coordinator.first_name, coordinator.last_name = "영희", "박"
    coordinator.save()
    with time_machine.travel(MORNING, tick=False):
        raised = StakeholderRequestFactory(organization=OrganizationFactory(name="포스코"))
        followups.request_assign(request=raised, by=coordinator, ministry=ministry)
    with time_machine.travel(MORNING + datetime.timedelta(days=1), tick=False):
        followups.request_answer(request=raised, by=officer, response="내년 예산에 반영합니다.")
    return raised


def test_a_requests_history_reads_as_korean(client, coordinator, request_):
    client.force_login(coordinator)
    response = client.get(f"/admin/followups/stakeholderrequest/{request_.pk}/history/")
    assert response.status_code == 200
    assert headings(response) == ["일시", "작업", "변경한 사람", "변경 내용"]
    answered, assigned, added = rows(response)
    assert answered[0] == "2026년 11월 26일 오후 2:30"
    assert answered[1:3] == ["변경", "김담당 (과학기술정보통신부)"]
    assert "상태: 배정됨 → 답변 완료" in answered[3]
    assert "(pk=None)" not in answered[3]
    assert "assigned" not in answered[3] and "answered" not in answered[3]
    assert assigned[:3] == ["2026년 11월 25일 오후 2:30", "변경", "박영희"]
    assert "상태: 신규 → 배정됨" in assigned[3]
    assert "담당 부처: — → 과학기술정보통신부" in assigned[3]
    assert added[1:3] == ["추가", "시스템"]
    assert "변경 3건" in response.content.decode()


def test_in_english_the_same_page_is_in_english(client, coordinator, request_):
    client.force_login(coordinator)
    response = client.get(
        f"/admin/followups/stakeholderrequest/{request_.pk}/history/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert headings(response) == ["Date/time", "Action", "Changed by", "Changes"]
    assert rows(response)[0][0] == "Nov. 26, 2026, 2:30 p.m."


def test_a_companys_edit_through_the_form_is_signed_by_its_contact(client, coordinator):
    meeting = MeetingFactory(title="AI 반도체 간담회")
    posco = OrganizationFactory(name="포스코")
    lee = PersonFactory(organization=posco, name="이철수")
    invitation = feedback.invitation_for(meeting=meeting, person=lee)
    feedback.feedback_submit(
        invitation=invitation,
        comments="좋았습니다",
        name="이철수",
        position="팀장",
        items=[{"category": "finance", "text": "AI 바우처 확대"}],
    )
    sent = StakeholderRequest.objects.get(meeting=meeting)
    client.force_login(coordinator)
    (added,) = rows(client.get(f"/admin/followups/stakeholderrequest/{sent.pk}/history/"))
    assert added[1:3] == ["추가", "이철수 (포스코, 의견 양식)"]
    (kept,) = rows(
        client.get(f"/admin/feedback/feedback/{sent.meeting.feedback.get().pk}/history/")
    )
    assert kept[2] == "이철수 (포스코, 의견 양식)"


def test_a_meetings_history_is_one_timeline_with_its_attendances_and_requests(
    client, coordinator, officer, ministry
):
    meeting = MeetingFactory(title="AI 반도체 간담회")
    posco = OrganizationFactory(name="포스코")
    attendance = AttendanceFactory(
        meeting=meeting, organization=posco, person=PersonFactory(organization=posco, name="이철수")
    )
    with time_machine.travel(MORNING, tick=False):
        attendance.status = Attendance.Status.ATTENDED
        attendance._history_user = coordinator
        attendance.save()
    own = StakeholderRequestFactory(
        meeting=meeting, organization=posco, ministry=ministry, text="우리 부처 건"
    )
    StakeholderRequestFactory(
        meeting=meeting,
        organization=posco,
        ministry=MinistryFactory(name="산업통상자원부"),
        text="다른 부처 건",
    )
    client.force_login(coordinator)
    response = client.get(f"/admin/events/meeting/{meeting.pk}/history/")
    assert headings(response) == ["일시", "항목", "작업", "변경한 사람", "변경 내용"]
    timeline = rows(response)
    status_change = next(r for r in timeline if r[0] == "2026년 11월 25일 오후 2:30")
    assert status_change[1] == "참석: 이철수 · 기업 · 참석"
    assert "상태: 초청 → 참석" in status_change[4]
    subjects = [r[1] for r in timeline]
    assert any("다른 부처 건" in s for s in subjects) and any(str(meeting) == s for s in subjects)
    # An officer reads their own ministry's request there, not another's.
    client.force_login(officer)
    subjects = [r[1] for r in rows(client.get(f"/admin/events/meeting/{meeting.pk}/history/"))]
    assert any("우리 부처 건" in s for s in subjects)
    assert not any("다른 부처 건" in s for s in subjects)
    assert own.pk


def test_a_meetings_timeline_costs_the_same_queries_for_one_row_and_many(
    count_queries, client, coordinator
):
    meeting = MeetingFactory()
    client.force_login(coordinator)

    def more(n):
        for _ in range(n):
            attendance = AttendanceFactory(meeting=meeting)
            attendance.status = Attendance.Status.CONFIRMED
            attendance.save()
            StakeholderRequestFactory(meeting=meeting)

    more(1)
    one = count_queries(f"/admin/events/meeting/{meeting.pk}/history/")
    more(10)
    assert count_queries(f"/admin/events/meeting/{meeting.pk}/history/") == one


def test_djangos_own_history_pages_write_seoul_time_the_same_way(client, admin_user, coordinator):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    with time_machine.travel(MORNING, tick=False):
        LogEntry.objects.log_actions(
            user_id=admin_user.pk,
            queryset=[coordinator],
            action_flag=CHANGE,
            change_message=[{"changed": {"fields": ["First name"]}}],
            single_object=True,
        )
    assert ContentType.objects.get_for_model(coordinator)
    client.force_login(admin_user)
    response = client.get(f"/admin/auth/user/{coordinator.pk}/history/")
    (row,) = rows(response)
    assert row[0] == "2026년 11월 25일 오후 2:30"
    assert row[2] == "First name 값을 변경했습니다."


def test_a_past_version_is_named_as_the_change_form_names_it(client, coordinator, request_):
    client.force_login(coordinator)
    version = request_.history.earliest()
    url = f"/admin/followups/stakeholderrequest/{request_.pk}/history/{version.history_id}/"
    response = client.get(url)
    assert response.status_code == 200
    crumbs = response.content.decode().split('<div class="breadcrumbs">', 1)[1].split("</div>")[0]
    crumbs = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", crumbs)).split())
    assert crumbs.startswith("홈 › 건의 사항 › 건의 사항 › ")
    assert crumbs.endswith("› 변경 이력 › 건의 사항 보기")
    assert "Historical" not in response.content.decode()
