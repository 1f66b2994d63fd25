"""What the public pages offer a reader: a favicon, calendar links beside the feed, a meeting's
.ics named after it, the calendar's name in the reader's language, invited organizations
before a meeting and attending ones after, English with a visible fallback to Korean, and the
progress of the pledges announced."""

import datetime
import re
import struct
from decimal import Decimal
from html import unescape
from urllib.parse import parse_qs, unquote, urlsplit

import icalendar
import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from events.models import Attendance
from events.tests.factories import AttendanceFactory, MeetingFactory, timed_meeting
from pledges.models import Qualifier
from pledges.tests.factories import CommitmentFactory, ProgressEntryFactory
from stakeholders.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
KST = datetime.timezone(datetime.timedelta(hours=9))


def page(client, url, language="ko"):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def hrefs(html):
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', html)]


def past():
    return timezone.localdate() - datetime.timedelta(days=30)


def future():
    return timezone.localdate() + datetime.timedelta(days=30)


def test_every_page_links_the_favicon_in_svg_ico_and_png(client):
    links = hrefs(page(client, "/"))
    for name in ("favicon.svg", "favicon.ico", "favicon.png"):
        assert f"/static/{name}" in links
    with open(finders.find("favicon.ico"), "rb") as icon:
        reserved, kind, count = struct.unpack("<HHH", icon.read(6))
    assert (reserved, kind, count) == (0, 1, 1)  # an icon file with one image
    with open(finders.find("favicon.png"), "rb") as image:
        assert image.read(8) == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_feed_has_webcal_and_google_calendar_links_in_the_readers_language(client, language):
    links = hrefs(page(client, "/", language))
    webcal = next(link for link in links if link.startswith("webcal://"))
    assert webcal == f"webcal://127.0.0.1:8000/calendar/public.ics?lang={language}"
    google = next(link for link in links if link.startswith("https://calendar.google.com/"))
    assert parse_qs(urlsplit(google).query) == {"cid": [webcal]}
    assert f"http://127.0.0.1:8000/calendar/public.ics?lang={language}" in links
    assert not re.search(r"<script", page(client, "/", language))


@pytest.mark.parametrize(
    ("query", "headers", "name"),
    [
        ("", {}, "AI 대전환 릴레이 현장 간담회"),
        ("?lang=en", {}, "AI transformation relay roundtables"),
        ("", {"HTTP_ACCEPT_LANGUAGE": "en"}, "AI transformation relay roundtables"),
        ("?lang=xx", {}, "AI 대전환 릴레이 현장 간담회"),
    ],
)
def test_the_calendars_name_is_in_the_readers_language(client, query, headers, name):
    MeetingFactory()
    response = client.get(f"/calendar/public.ics{query}", **headers)
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["NAME"] == calendar["X-WR-CALNAME"] == name


def test_a_meetings_ics_is_named_after_the_meeting(client):
    meeting = MeetingFactory(title="AI 팩토리 현장 간담회", title_en="AI factory roundtable")
    response = client.get(f"/calendar/meetings/{meeting.pk}.ics")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="ai-factory-roundtable.ics"' in disposition
    encoded = re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1)
    assert unquote(encoded) == "AI 팩토리 현장 간담회.ics"
    assert disposition.isascii()
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["X-WR-CALNAME"] == "AI 팩토리 현장 간담회"
    english = client.get(f"/calendar/meetings/{meeting.pk}.ics?lang=en")
    assert "filename*=UTF-8''AI%20factory%20roundtable.ics" in english["Content-Disposition"]
    assert icalendar.Calendar.from_ical(english.content)["NAME"] == "AI factory roundtable"


def test_a_korean_only_title_still_gets_an_ascii_file_name(client):
    meeting = MeetingFactory(title="인재 양성 간담회 / 2차", title_en="")
    disposition = client.get(f"/calendar/meetings/{meeting.pk}.ics")["Content-Disposition"]
    assert 'filename="meeting.ics"' in disposition
    encoded = re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1)
    assert unquote(encoded) == "인재 양성 간담회 2차.ics"  # no path separator


def test_before_a_meeting_its_organizations_are_invited_after_it_attending(client):
    coming = MeetingFactory(start_date=future())
    held = MeetingFactory(start_date=past())
    posco, absent = OrganizationFactory(name="포스코"), OrganizationFactory(name="불참기업")
    for meeting in (coming, held):
        AttendanceFactory(meeting=meeting, organization=posco)
        AttendanceFactory(meeting=meeting, organization=absent, status=Attendance.Status.ABSENT)
    before = page(client, f"/meetings/{coming.pk}/")
    assert "초청 기관" in before and "참석 기관" not in before
    assert "포스코" in before and "불참기업" in before
    after = page(client, f"/meetings/{held.pk}/")
    assert "참석 기관" in after and "초청 기관" not in after
    assert "포스코" in after and "불참기업" not in after
    assert "Invited organizations" in page(client, f"/meetings/{coming.pk}/", "en")


def test_english_pages_fall_back_visibly_to_korean(client):
    translated = MeetingFactory(title="번역된 간담회", title_en="Translated roundtable")
    korean_only = MeetingFactory(
        title="한국어 간담회", title_en="", venue="세종청사", description="한국어 설명"
    )
    listing = page(client, "/", "en")
    assert "Translated roundtable" in listing and "번역된 간담회" not in listing
    fallback = '<span lang="ko">한국어 간담회</span> <span class="note fallback">(in Korean)</span>'
    assert fallback in listing
    detail = page(client, f"/meetings/{korean_only.pk}/", "en")
    assert '<h1><span lang="ko">한국어 간담회</span>' in detail
    assert '<span lang="ko">세종청사</span>' in detail
    assert '<div class="description" lang="ko"><p>한국어 설명</p></div>' in detail
    korean = page(client, f"/meetings/{translated.pk}/")
    assert "<h1>번역된 간담회</h1>" in korean and "in Korean" not in korean


def test_the_google_calendar_link_of_a_meeting_carries_its_time(client):
    meeting = timed_meeting(
        datetime.datetime(2025, 9, 19, 14, 0, tzinfo=KST),
        title="AI 팩토리 현장 간담회",
        venue="KAIST",
        address="대전",
    )
    html = page(client, f"/meetings/{meeting.pk}/")
    link = next(h for h in hrefs(html) if h.startswith("https://calendar.google.com/"))
    query = parse_qs(urlsplit(link).query)
    assert query["action"] == ["TEMPLATE"]
    assert query["text"] == ["AI 팩토리 현장 간담회"]
    assert query["dates"] == ["20250919T050000Z/20250919T070000Z"]
    assert query["location"] == ["KAIST, 대전"]
    assert query["details"] == [f"http://127.0.0.1:8000/meetings/{meeting.pk}/"]
    all_day = MeetingFactory(start_date=datetime.date(2025, 10, 1))
    link = next(
        h
        for h in hrefs(page(client, f"/meetings/{all_day.pk}/"))
        if h.startswith("https://calendar.google.com/")
    )
    assert parse_qs(urlsplit(link).query)["dates"] == ["20251001/20251002"]


def test_the_pledges_announced_show_their_latest_progress(client):
    meeting = MeetingFactory()
    adoption = CommitmentFactory(
        meeting=meeting,
        unit="%",
        baseline_value=Decimal(5),
        baseline_qualifier=Qualifier.LESS_THAN,
        target_value=Decimal(40),
    )
    ProgressEntryFactory(commitment=adoption, date=datetime.date(2025, 12, 31), value=8)
    ProgressEntryFactory(commitment=adoption, date=datetime.date(2026, 9, 30), value=12)
    CommitmentFactory(meeting=meeting, unit="개", baseline_value=26, target_value=500)
    html = page(client, f"/meetings/{meeting.pk}/")
    assert '12% <span class="note">(2026년 9월 30일) · 목표 40%</span>' in html
    assert "기준에서 목표까지 20% 진행" in html
    assert "아직 보고된 실적이 없습니다" in html and "목표 500개" in html
    assert "40.0000" not in html and "26.0000" not in html


@pytest.mark.parametrize("pledges", [1, 8])
def test_the_meeting_page_costs_the_same_queries_for_one_or_many_pledges(
    client, pledges, django_assert_num_queries
):
    meeting = MeetingFactory()
    for _ in range(pledges):
        ProgressEntryFactory(commitment=CommitmentFactory(meeting=meeting))
    AttendanceFactory(meeting=meeting)
    client.get(f"/meetings/{meeting.pk}/")
    # The meeting; its attendances, presentations, pledges, their progress and documents.
    with django_assert_num_queries(6):
        assert client.get(f"/meetings/{meeting.pk}/").status_code == 200
