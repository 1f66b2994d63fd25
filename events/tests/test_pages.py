"""The public pages: the meeting list at / and a page per meeting."""

import datetime

import pytest
from django.utils import timezone

from events.models import Meeting
from events.tests.factories import MeetingFactory

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


@pytest.mark.parametrize("meetings", [1, 20])
def test_home_costs_the_same_queries_for_one_or_many_meetings(
    client, meetings, django_assert_num_queries
):
    MeetingFactory.create_batch(meetings)
    with django_assert_num_queries(1):
        assert client.get("/").status_code == 200


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
