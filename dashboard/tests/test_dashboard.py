"""The dashboard's figures on a known dataset, its queries, and who may open it."""

import datetime
import re

import pytest
from django.utils import timezone

from dashboard import selectors
from events.tests.factories import AttendanceFactory, MeetingFactory
from feedback.models import FeedbackInvitation
from feedback.services import invitation_for
from followups.models import StakeholderRequest
from followups.tests.factories import StakeholderRequestFactory
from pledges.tests.factories import CommitmentFactory, ProgressEntryFactory
from stakeholders.models import Organization
from stakeholders.tests.factories import MinistryFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 25)


def request_in(
    meeting,
    organization,
    status,
    ministry=None,
    due=None,
    days_to_answer=None,
    source=StakeholderRequest.Source.MEETING,
):
    """A request raised at `meeting` (or, from another source, recorded 30 days ago), recorded
    long after the meeting as the seeded ones are, answered `days_to_answer` days after it was
    raised."""
    request = StakeholderRequestFactory(
        meeting=meeting, organization=organization, ministry=ministry, due_date=due, source=source
    )
    created = timezone.now() - datetime.timedelta(days=30)
    raised = meeting.period_start if source == StakeholderRequest.Source.MEETING else created
    responded = raised + datetime.timedelta(days=days_to_answer) if days_to_answer else None
    StakeholderRequest.objects.filter(pk=request.pk).update(
        status=status, created_at=created, responded_at=responded, response="답변"
    )
    return request


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    """The pages count days from TODAY, as the dataset does."""
    monkeypatch.setattr(selectors, "today", lambda: TODAY)


@pytest.fixture
def dataset():
    factory_meeting = MeetingFactory(title="AI 팩토리", start_date=datetime.date(2025, 9, 19))
    posco, lg = OrganizationFactory(name="포스코"), OrganizationFactory(name="LG전자")
    motie, msit = MinistryFactory(name="산업통상자원부"), MinistryFactory(name="중소벤처기업부")
    for organization in (posco, lg, motie):
        AttendanceFactory(meeting=factory_meeting, organization=organization)
    yesterday, soon, later = (
        TODAY - datetime.timedelta(1),
        TODAY + datetime.timedelta(10),
        TODAY + datetime.timedelta(60),
    )
    request_in(factory_meeting, posco, "new")
    request_in(factory_meeting, posco, "assigned", motie, due=yesterday)  # overdue
    request_in(factory_meeting, lg, "in_progress", motie, due=soon)
    request_in(factory_meeting, lg, "assigned", msit, due=later)
    request_in(factory_meeting, posco, "answered", motie, days_to_answer=4)
    request_in(factory_meeting, lg, "declined", motie, days_to_answer=2)
    request_in(factory_meeting, lg, "closed", msit, days_to_answer=9)
    for organization in (posco, lg):
        invitation_for(meeting=factory_meeting, person=PersonFactory(organization=organization))
    FeedbackInvitation.objects.filter(organization=posco).update(answered_at=timezone.now())
    adoption = CommitmentFactory(title="제조 AI 도입률", baseline_value=5, target_value=40)
    ProgressEntryFactory(commitment=adoption, date=datetime.date(2026, 6, 30), value=12)
    return factory_meeting


def test_the_figures_of_a_known_dataset(dataset):
    [row] = selectors.meeting_rows().rows
    assert row.attendees == 3 and row.requests == 7 and row.response_rate == 50
    assert row.by_status == {
        "new": 1,
        "assigned": 2,
        "in_progress": 1,
        "answered": 1,
        "closed": 1,
        "declined": 1,
    }
    ministries = {r.ministry.name: r for r in selectors.ministry_rows(TODAY)}
    motie, msit = ministries["산업통상자원부"], ministries["중소벤처기업부"]
    assert (motie.open, motie.overdue, motie.answered, motie.median_days) == (2, 1, 2, 3.0)
    assert (msit.open, msit.overdue, msit.answered, msit.median_days) == (1, 0, 1, 9.0)
    assert [r.organization.name for r in selectors.due_within(TODAY, 30)] == ["LG전자"]
    assert selectors.due_within(TODAY, 90).count() == 2


def test_days_to_answer_count_from_when_the_request_was_raised(dataset):
    """A request raised at a meeting and recorded a year later was waiting from the meeting
    (no negative days); one sent by email waits from when it was recorded."""
    msit = Organization.objects.get(name="중소벤처기업부")
    emailed = request_in(
        dataset, OrganizationFactory(), "answered", msit, days_to_answer=2, source="email"
    )
    assert emailed.meeting.period_start < timezone.now() - datetime.timedelta(days=300)
    ministries = {r.ministry.name: r for r in selectors.ministry_rows(TODAY)}
    assert ministries["중소벤처기업부"].median_days == 5.5  # 9 days and 2 days
    assert all(r.median_days >= 0 for r in ministries.values())


def changelist_count(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context_data["cl"].result_count


def test_every_count_links_to_the_list_that_shows_it(dataset, client, coordinator):
    client.force_login(coordinator)
    html = client.get("/admin/dashboard/").content.decode()
    links = re.findall(r'<td class="number"><a href="([^"]+)">(?:<strong>)?(\d+)<', html)
    # The meeting's attendees and its requests in each of six statuses; each ministry's open,
    # overdue and answered (two ministries, one with nothing overdue).
    assert len(links) == 1 + 6 + 5
    for url, count in links:
        url = url.replace("&amp;", "&")
        assert changelist_count(client, url) == int(count), url


def test_an_officers_counts_are_of_their_ministrys_requests_as_their_links(
    dataset, client, officer, ministry
):
    request_in(dataset, OrganizationFactory(), "assigned", ministry)
    request_in(dataset, OrganizationFactory(), "answered", ministry, days_to_answer=3)
    client.force_login(officer)
    html = client.get("/admin/dashboard/").content.decode()
    links = re.findall(r'<td class="number"><a href="([^"]+)">(?:<strong>)?(\d+)<', html)
    # The meeting's attendees; their requests assigned and answered at it; their ministry's
    # open and answered.
    assert [count for _, count in links] == ["3", "1", "1", "1", "1"]
    for url, count in links:
        assert changelist_count(client, url.replace("&amp;", "&")) == int(count), url
    assert "산업통상자원부" not in html


def test_the_page_in_korean(dataset, client, coordinator):
    client.force_login(coordinator)
    html = client.get("/admin/dashboard/").content.decode()
    assert "대시보드" in html and "AI 팩토리" in html and "50%" in html
    assert "기준에서 목표까지 20% 진행" in html  # the pledge's bar
    assert "<svg" in html and "cdn" not in html.lower()


def test_the_organization_page_lists_what_it_asked(dataset, client, coordinator):
    client.force_login(coordinator)
    posco = StakeholderRequest.objects.filter(organization__name="포스코").first().organization
    html = client.get(f"/admin/dashboard/organizations/{posco.pk}/").content.decode()
    assert html.count("/admin/followups/stakeholderrequest/") >= 3
    assert "LG전자" not in html.split("<h2>")[1]  # only POSCO's requests


def test_an_officer_sees_only_their_ministrys_requests_listed(
    dataset, client, officer, coordinator
):
    due = StakeholderRequest.objects.get(status="in_progress")  # 산업통상자원부's, due soon
    client.force_login(coordinator)
    assert due.text in client.get("/admin/dashboard/").content.decode()
    client.force_login(officer)  # of 과학기술정보통신부
    html = client.get("/admin/dashboard/").content.decode()
    assert due.text not in html and "30일 안에 기한이 돌아오는 건의가 없습니다" in html


def test_the_due_list_opens_to_the_next_90_days(dataset, client, coordinator):
    later = StakeholderRequest.objects.get(status="assigned", ministry__name="중소벤처기업부")
    client.force_login(coordinator)
    html = client.get("/admin/dashboard/").content.decode()
    assert later.text not in html and "?due=90#due" in html
    html = client.get("/admin/dashboard/", {"due": "90"}).content.decode()
    assert later.text in html and "90일 안에 기한이 돌아오는 건의" in html


def test_anonymous_and_users_without_the_permission_are_kept_out(client, django_user_model):
    assert client.get("/admin/dashboard/").status_code == 302
    client.force_login(django_user_model.objects.create_user("nobody", is_staff=True))
    assert client.get("/admin/dashboard/").status_code == 403


@pytest.mark.parametrize("meetings", [1, 12])
def test_queries_do_not_grow_with_rows(client, coordinator, count_queries, meetings):
    for _ in range(meetings):
        meeting = MeetingFactory()
        organization = OrganizationFactory()
        AttendanceFactory(meeting=meeting, organization=organization)
        request_in(meeting, organization, "assigned", MinistryFactory(), due=TODAY)
        invitation_for(meeting=meeting, person=PersonFactory(organization=organization))
        ProgressEntryFactory()
    client.force_login(coordinator)
    assert count_queries("/admin/dashboard/") == DASHBOARD_QUERIES


# Session, user and permissions, then one query per table: meetings (the next, the latest and
# how many in all), attendees, requests by status, response rates, ministries' counts,
# durations and names, due soon and later, the organizations with the most requests (their
# timelines), pledges and their progress entries (for the charts).
DASHBOARD_QUERIES = 18


def test_the_meetings_listed_are_those_around_today_with_a_link_to_all(
    client, coordinator, monkeypatch
):
    monkeypatch.setattr(selectors, "MEETINGS_EACH_WAY", 2)
    for days in (-30, -20, -10, 0, 10, 20):
        MeetingFactory(title=f"간담회 {days}", start_date=TODAY + datetime.timedelta(days))
    client.force_login(coordinator)
    html = client.get("/admin/dashboard/").content.decode()
    table = html.split('id="meetings"')[1].split("</table>")[0]
    listed = re.findall(r"간담회 (-?\d+)</a>", table)
    assert listed == ["10", "0", "-10", "-20"]  # latest first: the next two, the latest two
    assert "전체 6건 중 4건" in table
    assert 'href="/admin/events/meeting/"' in table


def test_an_officer_sees_only_their_ministrys_requests_of_an_organization(
    dataset, client, officer, ministry
):
    lg = StakeholderRequest.objects.filter(organization__name="LG전자").first().organization
    own = request_in(dataset, lg, "assigned", ministry)
    client.force_login(officer)
    html = client.get(f"/admin/dashboard/organizations/{lg.pk}/").content.decode()
    assert f"/admin/followups/stakeholderrequest/{own.pk}/change/" in html
    assert len(re.findall(r"/admin/followups/stakeholderrequest/\d+/change/", html)) == 1


def test_the_due_list_shows_the_soonest_and_links_to_every_one(client, coordinator, monkeypatch):
    monkeypatch.setattr(selectors, "DUE_SHOWN", 2)
    meeting, company = MeetingFactory(), OrganizationFactory()
    for days in (5, 1, 3):
        request_in(meeting, company, "assigned", due=TODAY + datetime.timedelta(days))
    request_in(meeting, company, "answered", due=TODAY + datetime.timedelta(2))
    client.force_login(coordinator)
    html = client.get("/admin/dashboard/").content.decode()
    section = html.split('id="due"')[1].split('id="pledges"')[0]
    assert re.findall(r"<td>(2026-\d\d-\d\d)</td>", section) == ["2026-11-26", "2026-11-28"]
    [url] = re.findall(r'<a href="([^"]+)">건의 사항 목록에서 전체 보기', section)
    assert changelist_count(client, url.replace("&amp;", "&")) == 3
