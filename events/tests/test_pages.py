"""The public pages: the meeting list at / and a page per meeting."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from events import home
from events.models import Meeting
from events.tests.factories import MeetingFactory, timed_meeting

pytestmark = pytest.mark.django_db


def test_home_lists_the_relay_series_in_korean(client, seeded):
    page = client.get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="ko">' in html
    for title in ("AI 로봇", "AI 팩토리", "AI 인재", "AI 선박"):
        assert title in html
    assert "/calendar/public.ics" in html


def test_home_hides_internal_meetings_from_the_public(client, coordinator):
    MeetingFactory(title="비공개 점검 회의", visibility=Meeting.Visibility.INTERNAL)
    assert "비공개 점검 회의" not in client.get("/").content.decode()
    client.force_login(coordinator)
    assert "비공개 점검 회의" in client.get("/").content.decode()


def test_meeting_page_shows_attendees_presentations_and_pledges(client, seeded):
    factory = Meeting.objects.get(relay_number=2)
    html = client.get(f"/meetings/{factory.pk}/").content.decode()
    for text in ("KAIST AI 팩토리 랩", "포스코", "LG전자", "구글", "10조 원", "2025년 9월 19일"):
        assert text in html, text
    assert f"/calendar/meetings/{factory.pk}.ics" in html


def test_meeting_page_in_english(client, seeded):
    factory = Meeting.objects.get(relay_number=2)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/meetings/{factory.pk}/").content.decode()
    assert "LG Electronics" in html and "10 trillion won" in html


def test_internal_meeting_page_is_404_for_the_public(client, viewer):
    internal = MeetingFactory(visibility=Meeting.Visibility.INTERNAL)
    assert client.get(f"/meetings/{internal.pk}/").status_code == 404
    client.force_login(viewer)
    assert client.get(f"/meetings/{internal.pk}/").status_code == 200
    assert client.get("/meetings/not-a-uuid/").status_code == 404


def test_a_timed_meeting_over_two_days_shows_its_last_day(client):
    start = timezone.make_aware(datetime.datetime(2026, 3, 9, 14))
    meeting = MeetingFactory(
        all_day=False,
        start_date=None,
        end_date=None,
        starts_at=start,
        ends_at=start + datetime.timedelta(days=1, hours=3),
    )
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "2026년 3월 10일" in html


def past_meetings(count):
    """`count` past all-day meetings, one a day up to a week ago; the latest first."""
    last = timezone.localdate() - datetime.timedelta(days=7)
    return [
        MeetingFactory(
            start_date=last - datetime.timedelta(days=n),
            title=f"지난 회의 {n}",
            title_en=f"Past meeting {n}",
        )
        for n in range(count)
    ]


def upcoming_meetings(count):
    first = timezone.localdate() + datetime.timedelta(days=7)
    return [
        MeetingFactory(start_date=first + datetime.timedelta(days=n), title=f"다가오는 회의 {n}")
        for n in range(count)
    ]


def titles(html):
    return re.findall(r'<a href="/meetings/[^"]+/">([^<]+)</a>', html)


def test_past_meetings_come_in_pages_of_twenty_latest_first(client):
    upcoming_meetings(2)
    past_meetings(45)
    first = client.get("/").content.decode()
    assert titles(first) == ["다가오는 회의 0", "다가오는 회의 1"] + [
        f"지난 회의 {n}" for n in range(20)
    ]
    assert "3쪽 중 1쪽" in first and 'href="?page=2">다음 페이지' in first
    assert "이전 페이지" not in first

    second = client.get("/?page=2").content.decode()
    # The upcoming ones are on the first page only.
    assert titles(second) == [f"지난 회의 {n}" for n in range(20, 40)]
    assert 'href="?page=1">이전 페이지' in second and 'href="?page=3">다음 페이지' in second

    last = client.get("/?page=3", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert titles(last) == [f"Past meeting {n}" for n in range(40, 45)]
    assert "Page 3 of 3" in last and 'href="?page=2">Previous page' in last
    assert "Next page" not in last


@pytest.mark.parametrize("page", ["0", "-1", "abc", "2.5", "", "3", "9999999999"])
def test_a_page_that_does_not_exist_is_not_found(client, page):
    past_meetings(21)
    assert client.get("/", {"page": page}).status_code == 404
    assert client.get("/", {"page": "2"}).status_code == 200


def test_without_past_meetings_the_first_page_still_lists_the_upcoming(client):
    upcoming_meetings(1)
    html = client.get("/").content.decode()
    assert titles(html) == ["다가오는 회의 0"] and "아직 간담회가 없습니다." in html
    assert client.get("/?page=2").status_code == 404


def test_the_upcoming_list_stops_at_fifty_and_says_the_feed_has_the_rest(client):
    upcoming_meetings(home.UPCOMING_LIMIT + 1)
    html = client.get("/").content.decode()
    assert titles(html) == [f"다가오는 회의 {n}" for n in range(home.UPCOMING_LIMIT)]
    assert "앞으로 열릴 간담회 중 50건만 보여 드립니다." in html
    assert "전체 일정은 캘린더 피드에서 볼 수 있습니다." in html


@pytest.mark.parametrize("meetings", [1, 30])
def test_home_costs_the_same_queries_for_one_or_many_meetings(
    client, meetings, django_assert_num_queries
):
    upcoming_meetings(meetings)
    past_meetings(meetings)
    # The newest change, the upcoming meetings, the past ones counted and their page.
    with django_assert_num_queries(4):
        assert client.get("/").status_code == 200
    # Then from the cache until something changes: the newest change only.
    with django_assert_num_queries(1):
        assert client.get("/").status_code == 200


def test_a_change_shows_on_the_cached_page_at_once(client):
    (meeting,) = past_meetings(1)
    assert "지난 회의 0" in client.get("/").content.decode()
    meeting.title = "고친 제목"
    meeting.save()
    html = client.get("/").content.decode()
    assert "고친 제목" in html and "지난 회의 0" not in html


def test_a_cached_page_moves_a_meeting_to_the_past_once_it_is_over(client, time_machine):
    start = timezone.now() + datetime.timedelta(hours=1)
    meeting = timed_meeting(start, title="곧 열릴 회의")
    assert titles(client.get("/").content.decode()) == ["곧 열릴 회의"]
    time_machine.move_to(meeting.ends + datetime.timedelta(seconds=1), tick=False)
    html = client.get("/").content.decode()
    assert "예정된 간담회" not in html and titles(html) == ["곧 열릴 회의"]


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_each_reader_of_the_cached_page_gets_a_language_form_that_works():
    past_meetings(1)
    # A meeting whose text holds what stands for the token is shown as it is.
    MeetingFactory(start_date=timezone.localdate(), title=f"회의 {home.CSRF_TOKEN_SLOT}")
    tokens = []
    for _reader in range(2):
        reader = Client(enforce_csrf_checks=True)
        html = reader.get("/?page=1&utm_source=mail").content.decode()
        (token,) = TOKEN.findall(html)
        assert home.CSRF_TOKEN_SLOT not in token and f"회의 {home.CSRF_TOKEN_SLOT}" in html
        assert '<input name="next" type="hidden" value="/">' in html
        tokens.append(token)
        answer = reader.post(
            "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
        )
        assert answer.status_code == 302 and answer["Location"] == "/"
        assert "Past meeting 0" in reader.get("/").content.decode()
    assert tokens[0] != tokens[1]
