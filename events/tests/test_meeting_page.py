"""A meeting's admin page as a coordinator reads it: a summary first, each part collapsed
below it, the same cost for one row as for many; its rows written through events' services;
and a copy for the next meeting that stays off the public pages until it is made public."""

import datetime
import re

import pytest
from django.utils import timezone

from events import admin_parts
from events.models import Attendance, Meeting
from events.tests.factories import (
    AttendanceFactory,
    MeetingFactory,
    PresentationFactory,
    timed_meeting,
)
from feedback.tests.pages import form_fields
from followups.tests.factories import StakeholderRequestFactory
from pledges.tests.factories import CommitmentFactory
from stakeholders.tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db
KST = datetime.timezone(datetime.timedelta(hours=9))


def page_of(meeting) -> str:
    return f"/admin/events/meeting/{meeting.pk}/change/"


def text(html) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def with_rows(meeting, n):
    for _ in range(n):
        organization = OrganizationFactory()
        person = PersonFactory(organization=organization)
        AttendanceFactory(meeting=meeting, organization=organization, person=person)
        PresentationFactory(meeting=meeting, organization=organization, presenter=person)
        StakeholderRequestFactory(meeting=meeting, organization=organization, person=person)
        CommitmentFactory(meeting=meeting)
    return meeting


def test_the_page_opens_with_the_meetings_summary_and_its_parts_collapsed(client, coordinator):
    start = datetime.datetime(2025, 9, 19, 14, tzinfo=KST)
    meeting = timed_meeting(start, venue="KAIST", host="부총리", title="AI 팩토리 현장 간담회")
    posco, lg = OrganizationFactory(name="포스코"), OrganizationFactory(name="LG전자")
    AttendanceFactory(meeting=meeting, organization=posco, status=Attendance.Status.ATTENDED)
    AttendanceFactory(meeting=meeting, organization=lg, status=Attendance.Status.ABSENT)
    StakeholderRequestFactory(meeting=meeting, organization=posco)
    CommitmentFactory(meeting=meeting)
    client.force_login(coordinator)
    html = client.get(page_of(meeting)).content.decode()
    summary = text(html.split('class="module meeting-summary"')[1].split("</section>")[0])
    assert "일시 2025년 9월 19일 오후 2:00–4:00" in summary
    assert "장소 KAIST" in summary and "주재 부총리" in summary
    assert "초청 기관 2" in summary and "참석 기관 1" in summary
    assert "참석 1" in summary and "불참 1" in summary
    assert "건의 사항 1 (신규 1)" in summary and "정부 공약 1" in summary
    # Everything below the summary is folded under its heading, and linked from the top.
    assert html.index("meeting-summary") < html.index('id="attendances-group"')
    assert html.count("<details>") >= 8
    assert 'href="#attendances-heading"' in html and 'href="#requests-heading"' in html
    assert "events/meeting_admin.js" in html


def test_a_new_meetings_page_has_every_field_open(client, coordinator):
    client.force_login(coordinator)
    html = client.get("/admin/events/meeting/add/").content.decode()
    assert "meeting-summary" not in html
    assert 'class="module aligned collapse"' not in html


def test_the_page_costs_the_same_queries_for_one_row_as_for_many(
    client, coordinator, count_queries
):
    client.force_login(coordinator)
    one = with_rows(MeetingFactory(), 1)
    many = with_rows(MeetingFactory(), 12)
    assert count_queries(page_of(one)) == count_queries(page_of(many))


def test_the_rows_name_their_choices_without_links_beside_each(client, coordinator):
    meeting = with_rows(MeetingFactory(), 2)
    client.force_login(coordinator)
    html = client.get(page_of(meeting)).content.decode()
    organization = meeting.attendances.first().organization
    rows = html[html.index('id="attendances-group"') :]
    assert f'<option value="{organization.pk}" selected>{organization}</option>' in rows
    assert "related-widget-wrapper-link" not in rows


def attendance_form(client, meeting) -> dict:
    return form_fields(client.get(page_of(meeting)).content.decode(), "attendances-TOTAL_FORMS")


def test_an_attendance_row_is_written_by_the_service_and_its_rules(client, coordinator):
    """A substitute replaces a contact of their own organization: the rule of the reply and
    the import, which Django's own formset save would not apply."""
    meeting = MeetingFactory()
    posco, lg = OrganizationFactory(name="포스코"), OrganizationFactory(name="LG전자")
    kim = PersonFactory(organization=posco, name="김철강")
    park = PersonFactory(organization=posco, name="박대리")
    lee = PersonFactory(organization=lg, name="이엘지")
    row = AttendanceFactory(meeting=meeting, organization=posco, person=kim)
    client.force_login(coordinator)
    page = attendance_form(client, meeting)
    page["attendances-TOTAL_FORMS"] = ["2"]
    added = {
        "attendances-1-organization": [str(posco.pk)],
        "attendances-1-person": [str(park.pk)],
        "attendances-1-role": ["company"],
        "attendances-1-status": ["substitute"],
    }
    refused = client.post(
        page_of(meeting), {**page, **added, "attendances-1-replaces": [str(lee.pk)]}
    )
    assert refused.status_code == 200
    assert "이엘지 님은 포스코 소속 관계자가 아닙니다." in refused.content.decode()
    assert meeting.attendances.count() == 1

    saved = client.post(page_of(meeting), {**page, **added, "attendances-1-replaces": [kim.pk]})
    assert saved.status_code == 302
    substitute = meeting.attendances.get(person=park)
    assert (substitute.status, substitute.replaces) == ("substitute", kim)
    assert substitute.history.get().history_user == coordinator

    page = attendance_form(client, meeting)
    prefix = next(k[:-3] for k, v in page.items() if k.endswith("-id") and v == [str(row.pk)])
    page[f"{prefix}-DELETE"] = ["on"]
    assert client.post(page_of(meeting), page).status_code == 302
    assert list(meeting.attendances.values_list("person__name", flat=True)) == ["박대리"]


def test_a_presentation_row_names_a_presenter_of_its_organization(client, coordinator):
    meeting = MeetingFactory()
    posco, lg = OrganizationFactory(name="포스코"), OrganizationFactory(name="LG전자")
    lee = PersonFactory(organization=lg, name="이엘지")
    client.force_login(coordinator)
    page = form_fields(client.get(page_of(meeting)).content.decode(), "presentations-TOTAL_FORMS")
    page.update(
        {
            "presentations-TOTAL_FORMS": ["1"],
            "presentations-0-organization": [str(posco.pk)],
            "presentations-0-presenter": [str(lee.pk)],
            "presentations-0-title": ["스마트 제철소"],
            "presentations-0-order": ["1"],
        }
    )
    refused = client.post(page_of(meeting), page)
    assert "이엘지 님은 포스코 소속 관계자가 아닙니다." in refused.content.decode()
    page["presentations-0-organization"] = [str(lg.pk)]
    assert client.post(page_of(meeting), page).status_code == 302
    assert meeting.presentations.get().presenter == lee


def test_a_copy_for_the_next_meeting_stays_off_the_public_pages(client, coordinator):
    start = timezone.now().astimezone(KST).replace(hour=14, minute=0, second=0, microsecond=0)
    meeting = timed_meeting(
        start - datetime.timedelta(days=30),
        title="AI 팩토리 현장 간담회",
        description="기업들이 AI 전환 사례를 발표했다.",
        status=Meeting.Status.HELD,
    )
    AttendanceFactory(meeting=meeting, status=Attendance.Status.ATTENDED)
    PresentationFactory(meeting=meeting)
    StakeholderRequestFactory(meeting=meeting)
    client.force_login(coordinator)
    on = (start + datetime.timedelta(days=20)).date()
    response = client.post(
        "/admin/events/meeting/",
        {
            "action": "duplicate",
            "_selected_action": [meeting.pk],
            "confirm": "1",
            "date": on.isoformat(),
        },
    )
    copy = Meeting.objects.exclude(pk=meeting.pk).get()
    assert response.status_code == 302
    assert (copy.status, copy.visibility, copy.description) == ("planned", "internal", "")
    assert copy.title == "AI 팩토리 현장 간담회 (사본)"
    assert timezone.localtime(copy.starts_at) == start.replace(
        year=on.year, month=on.month, day=on.day
    )
    assert copy.ends_at - copy.starts_at == datetime.timedelta(hours=2)
    assert (copy.presentations.count(), copy.requests.count()) == (0, 0)
    assert list(copy.attendances.values_list("status", flat=True)) == ["invited"]

    client.logout()
    assert "AI 팩토리 현장 간담회 (사본)" not in client.get("/").content.decode()
    assert client.get(f"/meetings/{copy.pk}/").status_code == 404
    assert str(copy.pk) not in client.get("/calendar/public.ics").content.decode()


def test_duplicating_asks_for_the_date_and_refuses_a_bad_one(client, coordinator):
    meeting = MeetingFactory()
    client.force_login(coordinator)
    action = {"action": "duplicate", "_selected_action": [meeting.pk], "confirm": "1"}
    response = client.post("/admin/events/meeting/", {**action, "date": "2026-13-40"})
    assert response.status_code == 200
    assert "올바른 날짜를 입력하세요." in response.content.decode()
    assert Meeting.objects.count() == 1


def test_a_meeting_of_many_rows_holds_the_first_as_forms_and_links_to_the_rest(client, coordinator):
    meeting = MeetingFactory()
    attendees = [
        AttendanceFactory(meeting=meeting, organization=OrganizationFactory(name=f"기업 {n:02}"))
        for n in range(admin_parts.ROWS_SHOWN + 2)
    ]
    client.force_login(coordinator)
    html = client.get(page_of(meeting)).content.decode()
    page = form_fields(html, "attendances-TOTAL_FORMS")
    assert page["attendances-INITIAL_FORMS"] == [str(admin_parts.ROWS_SHOWN)]
    total = admin_parts.ROWS_SHOWN + 2
    note = html.split('class="help bounded-rows">')[1].split("</p>")[0]
    assert f"참석 {total}건 중 처음 {admin_parts.ROWS_SHOWN}건만 여기서 편집합니다" in note
    assert f'href="/admin/events/attendance/?meeting__id__exact={meeting.pk}"' in note
    # The section link counts every row, not the forms.
    assert f'<span class="meeting-section-count">{total}</span>' in html

    # Saving the page changes the rows it shows and leaves the others as they are.
    prefix = next(k[:-3] for k, v in page.items() if k.endswith("-id"))
    page[f"{prefix}-note"] = ["확인"]
    assert client.post(page_of(meeting), page).status_code == 302
    assert meeting.attendances.count() == len(attendees)
    assert meeting.attendances.filter(note="확인").count() == 1


def test_the_page_keeps_the_text_of_a_description_as_written(client, coordinator):
    """The page's markup is sent without its indentation; what a coordinator typed is not."""
    meeting = MeetingFactory(description="첫째 줄\n    들여 쓴 둘째 줄\n\n셋째 줄")
    client.force_login(coordinator)
    html = client.get(page_of(meeting)).content.decode()
    assert "첫째 줄\n    들여 쓴 둘째 줄\n\n셋째 줄</textarea>" in html
    assert "\n    <" not in html.split("<textarea")[0]
