"""Calendar feeds as calendar apps read them (README, Calendar feeds and public pages)."""

import datetime
import gzip

import icalendar
import ics
import pytest
import vobject
from django.contrib.auth.models import Permission
from django.utils.http import http_date

from events import services
from events.models import Meeting
from events.tests.factories import AttendanceFactory, MeetingFactory
from stakeholders.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

KST = datetime.timezone(datetime.timedelta(hours=9))
TRICKY_TITLE = "AI 팩토리, 현장; 간담회 \\ 제선공정\n둘째 줄 " + "가나다라마바사" * 8


def feed(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response


def events_of(body):
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def uid(meeting):
    return f"{meeting.pk}@127.0.0.1:8000"


@pytest.fixture
def timed():
    return MeetingFactory(
        all_day=False,
        start_date=None,
        end_date=None,
        starts_at=datetime.datetime(2025, 9, 19, 14, 0, tzinfo=KST),
        ends_at=datetime.datetime(2025, 9, 19, 16, 0, tzinfo=KST),
        title=TRICKY_TITLE,
        title_en="AI factory roundtable",
        venue="KAIST AI 팩토리 랩",
        address="대전 유성구",
        host="구윤철 부총리 겸 기획재정부 장관",
        description="POSCO: 제선공정 원료 투입 비율 AI",
        status=Meeting.Status.CONFIRMED,
    )


def test_public_feed_has_the_calendar_properties(client, timed):
    body = feed(client, "/calendar/public.ics").content
    text = body.decode()
    for line in (
        "VERSION:2.0",
        "METHOD:PUBLISH",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        "BEGIN:VTIMEZONE",
        "TZID:Asia/Seoul",
    ):
        assert f"\r\n{line}\r\n" in text
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar["PRODID"]
    assert calendar["NAME"] == calendar["X-WR-CALNAME"] == "AI 대전환 릴레이 현장 간담회"


def test_public_feed_lists_public_meetings_with_cancelled_ones_marked(client, timed):
    cancelled = MeetingFactory(status=Meeting.Status.CANCELLED)
    internal = MeetingFactory(visibility=Meeting.Visibility.INTERNAL)
    gone = MeetingFactory()
    gone_uid = uid(gone)
    gone.delete()
    events = events_of(feed(client, "/calendar/public.ics").content)
    assert set(events) == {uid(timed), uid(cancelled)}
    assert events[uid(cancelled)]["STATUS"] == "CANCELLED"
    assert events[uid(timed)]["STATUS"] == "CONFIRMED"
    assert uid(internal) not in events and gone_uid not in events


def test_timed_event_is_at_the_right_instant_with_every_field(client, timed):
    event = events_of(feed(client, "/calendar/public.ics").content)[uid(timed)]
    assert event.decoded("DTSTART") == datetime.datetime(2025, 9, 19, 5, 0, tzinfo=datetime.UTC)
    assert event["DTSTART"].params["TZID"] == "Asia/Seoul"
    assert event.decoded("DTEND") == datetime.datetime(2025, 9, 19, 7, 0, tzinfo=datetime.UTC)
    assert str(event["SUMMARY"]) == TRICKY_TITLE
    assert str(event["LOCATION"]) == "KAIST AI 팩토리 랩, 대전 유성구"
    assert "제선공정" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == f"http://127.0.0.1:8000/meetings/{timed.pk}/"
    assert event["SEQUENCE"] == timed.version
    assert event.decoded("LAST-MODIFIED") == timed.updated_at.replace(microsecond=0)
    assert "DTSTAMP" in event


def test_all_day_event_has_dates_and_an_exclusive_end(client):
    meeting = MeetingFactory(
        start_date=datetime.date(2025, 10, 1), end_date=datetime.date(2025, 10, 2)
    )
    text = feed(client, f"/calendar/meetings/{meeting.pk}.ics").content.decode()
    assert "DTSTART;VALUE=DATE:20251001\r\n" in text
    assert "DTEND;VALUE=DATE:20251003\r\n" in text
    assert events_of(text)[uid(meeting)]["STATUS"] == "TENTATIVE"


def test_text_is_escaped_and_lines_folded_at_75_octets_on_character_boundaries(client, timed):
    body = feed(client, "/calendar/public.ics").content
    assert "SUMMARY:AI 팩토리\\, 현장\\; 간담회 \\\\ 제선공정\\n둘째 줄".encode() in body
    for line in body.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # a folded line never splits a character


def test_other_parsers_read_the_feed(client, timed):
    MeetingFactory(start_date=datetime.date(2025, 10, 1), end_date=datetime.date(2025, 10, 1))
    text = feed(client, "/calendar/public.ics").content.decode()
    parsed = vobject.readOne(text)
    summaries = {str(e.summary.value) for e in parsed.vevent_list}
    assert TRICKY_TITLE in summaries
    by_vobject = next(e for e in parsed.vevent_list if e.summary.value == TRICKY_TITLE)
    assert by_vobject.dtstart.value == datetime.datetime(2025, 9, 19, 5, 0, tzinfo=datetime.UTC)
    events = ics.Calendar(text).events
    assert len(events) == 2
    by_ics = next(e for e in events if e.name == TRICKY_TITLE)
    assert by_ics.begin.datetime == datetime.datetime(2025, 9, 19, 5, 0, tzinfo=datetime.UTC)
    assert by_ics.location == "KAIST AI 팩토리 랩, 대전 유성구"


def test_uid_is_stable_and_sequence_follows_the_version(client, timed):
    url = f"/calendar/meetings/{timed.pk}.ics"
    before = events_of(feed(client, url).content)[uid(timed)]
    services.meeting_update(meeting=timed, venue="세종청사")
    AttendanceFactory(meeting=timed)
    after = events_of(feed(client, url).content)[uid(timed)]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 2
    assert str(after["LOCATION"]).startswith("세종청사")


def test_english_calendar_uses_english_titles(client, timed):
    response = feed(client, "/calendar/public.ics", HTTP_ACCEPT_LANGUAGE="en")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["NAME"] == "AI transformation relay roundtables"
    assert str(events_of(response.content)[uid(timed)]["SUMMARY"]) == "AI factory roundtable"


def test_unchanged_feed_is_304_by_etag_or_date_and_costs_one_query(
    client, timed, django_assert_num_queries
):
    first = feed(client, "/calendar/public.ics")
    with django_assert_num_queries(1):
        assert (
            client.get("/calendar/public.ics", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        )
    since = first["Last-Modified"]
    assert client.get("/calendar/public.ics", HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    # Rendered once: a plain repeat is served from the cache.
    with django_assert_num_queries(1):
        assert client.get("/calendar/public.ics").content == first.content


@pytest.mark.parametrize("url", ["/calendar/public.ics", "personal"])
def test_a_client_that_accepts_gzip_gets_the_same_feed_compressed(client, timed, coordinator, url):
    if url == "personal":
        url = services.personal_feed_for(user=coordinator).url.removeprefix("http://127.0.0.1:8000")
    plain = feed(client, url)
    assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    packed = feed(client, url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    # The compressed form's tag is the plain one made weak; either revalidates as a 304.
    assert packed["ETag"] == f"W/{plain['ETag']}"
    for tag in (plain["ETag"], packed["ETag"]):
        again = client.get(url, HTTP_IF_NONE_MATCH=tag, HTTP_ACCEPT_ENCODING="gzip")
        assert again.status_code == 304 and again["ETag"] == packed["ETag"]
    # A change is seen compressed too.
    services.meeting_update(meeting=timed, status=Meeting.Status.CANCELLED)
    changed = feed(client, url, HTTP_ACCEPT_ENCODING="gzip")
    assert events_of(gzip.decompress(changed.content))[uid(timed)]["STATUS"] == "CANCELLED"


def test_any_change_gives_a_new_etag(client, timed):
    first = feed(client, "/calendar/public.ics")
    services.meeting_update(meeting=timed, status=Meeting.Status.CANCELLED)
    second = client.get("/calendar/public.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second["ETag"] != first["ETag"]
    assert events_of(second.content)[uid(timed)]["STATUS"] == "CANCELLED"
    old_date = http_date(datetime.datetime(2020, 1, 1).timestamp())
    assert client.get("/calendar/public.ics", HTTP_IF_MODIFIED_SINCE=old_date).status_code == 200


def test_meeting_feed_of_an_internal_meeting_is_for_those_allowed(client, coordinator):
    internal = MeetingFactory(visibility=Meeting.Visibility.INTERNAL)
    url = f"/calendar/meetings/{internal.pk}.ics"
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    assert uid(internal) in events_of(feed(client, url).content)
    assert (
        client.get("/calendar/meetings/00000000-0000-0000-0000-000000000000.ics").status_code == 404
    )


def test_organization_feed_lists_the_public_meetings_it_attends(client):
    posco = OrganizationFactory(name="포스코")
    attended = AttendanceFactory(organization=posco).meeting
    AttendanceFactory(
        organization=posco, meeting=MeetingFactory(visibility=Meeting.Visibility.INTERNAL)
    )
    MeetingFactory()
    response = feed(client, f"/calendar/organizations/{posco.pk}.ics")
    assert set(events_of(response.content)) == {uid(attended)}
    assert "포스코" in str(icalendar.Calendar.from_ical(response.content)["NAME"])
    assert client.get("/calendar/organizations/999999.ics").status_code == 404


def test_personal_feed_includes_internal_meetings_the_user_may_see(client, coordinator, partner):
    public, internal = MeetingFactory(), MeetingFactory(visibility=Meeting.Visibility.INTERNAL)
    mine = services.personal_feed_for(user=coordinator)
    assert mine.url.startswith("http://127.0.0.1:8000/calendar/private/")
    path = mine.url.removeprefix("http://127.0.0.1:8000")
    assert set(events_of(feed(client, path).content)) == {uid(public), uid(internal)}
    response = feed(client, path)
    assert "private" in response["Cache-Control"]

    theirs = services.personal_feed_for(user=partner).url.removeprefix("http://127.0.0.1:8000")
    assert set(events_of(feed(client, theirs).content)) == {uid(public)}


def test_personal_feed_can_be_revoked(client, coordinator):
    old = services.personal_feed_for(user=coordinator).url.removeprefix("http://127.0.0.1:8000")
    new = services.personal_feed_reset(user=coordinator).url.removeprefix("http://127.0.0.1:8000")
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    coordinator.is_active = False
    coordinator.save()
    assert client.get(new).status_code == 404


def test_personal_feed_needs_the_permission_to_read_meetings(client, django_user_model):
    user = django_user_model.objects.create_user("former-partner")
    url = services.personal_feed_for(user=user).url.removeprefix("http://127.0.0.1:8000")
    assert client.get(url).status_code == 404
    user.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    assert client.get(url).status_code == 200


def test_my_calendar_page_shows_and_replaces_the_address(client, viewer):
    client.force_login(viewer)
    page = client.get("/admin/my-calendar/")
    assert page.status_code == 200
    old = services.personal_feed_for(user=viewer).url
    assert old in page.content.decode()
    assert "내 캘린더" in client.get("/admin/").content.decode()
    response = client.post("/admin/my-calendar/", follow=True)
    new = services.personal_feed_for(user=viewer).url
    assert new != old and new in response.content.decode()
