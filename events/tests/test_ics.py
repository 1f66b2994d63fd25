"""The VEVENTs events.ics writes itself, held to what the icalendar library alone writes for
the same meeting, on hostile text; and feeds that reuse them never show a stale one."""

import datetime
import uuid

import icalendar
import pytest
import vobject
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events import ics, services
from events.models import Meeting
from events.tests.factories import MeetingFactory

KST = datetime.timezone(datetime.timedelta(hours=9))
HOSTILE = (
    "AI 팩토리, 현장; 간담회 \\ 제선\r\nBEGIN:VEVENT\r\nSUMMARY:가짜\n둘째\r셋째 " + "가나다" * 30
)


def reference_vevent(row) -> bytes:
    """The VEVENT as icalendar writes it (what events.ics used before it wrote its own)."""
    english = translation.get_language() == "en"
    if row["all_day"]:
        start, end = row["start_date"], row["end_date"] + datetime.timedelta(days=1)
    else:
        start, end = timezone.localtime(row["starts_at"]), timezone.localtime(row["ends_at"])
    url = ics.meeting_page_url(row["id"])
    event = icalendar.Event.new(
        uid=f"{row['id']}@127.0.0.1:8000",
        sequence=row["version"],
        stamp=row["updated_at"],
        created=row["created_at"],
        last_modified=row["updated_at"],
        start=start,
        end=end,
        summary=(row["title_en"] if english and row["title_en"] else row["title"]),
        location=", ".join(part for part in (row["venue"], row["address"]) if part),
        description="\n\n".join(
            [
                *(
                    [translation.gettext("Host: %(host)s") % {"host": row["host"]}]
                    if row["host"]
                    else []
                ),
                *([row["description"]] if row["description"] else []),
                url,
            ]
        ),
        url=url,
        status=ics.STATUS[row["status"]],
    )
    if row["theme"]:
        event.add("CATEGORIES", [row["theme"]])
    return event.to_ical()


def a_row(**fields):
    row = {
        "id": uuid.uuid4(),
        "relay_number": 3,
        "title": HOSTILE,
        "title_en": "AI factory; roundtable, \\ 2",
        "theme": "AI, 로봇; 반도체",
        "description": "설명\r\n\r\nPOSCO: 제선공정 " + "원료 투입 비율 AI, " * 12,
        "all_day": False,
        "starts_at": datetime.datetime(2025, 9, 19, 14, 0, tzinfo=KST),
        "ends_at": datetime.datetime(2025, 9, 19, 16, 30, tzinfo=KST),
        "start_date": None,
        "end_date": None,
        "venue": "KAIST AI 팩토리 랩; 2층",
        "address": "대전 유성구, 대학로 291",
        "status": Meeting.Status.CONFIRMED,
        "visibility": Meeting.Visibility.PUBLIC,
        "feedback_deadline": None,
        "host": "구윤철 부총리, 기획재정부 장관",
        "version": 7,
        "updated_at": datetime.datetime(2025, 9, 1, 1, 2, 3, 456789, tzinfo=datetime.UTC),
        "created_at": datetime.datetime(2025, 8, 1, 10, 0, tzinfo=datetime.UTC),
    }
    return row | fields


ALL_DAY = {
    "all_day": True,
    "starts_at": None,
    "ends_at": None,
    "start_date": datetime.date(2025, 10, 1),
    "end_date": datetime.date(2025, 10, 2),
}
VARIANTS = {
    "timed": {},
    "all day": ALL_DAY,
    "bare": ALL_DAY | {"theme": "", "host": "", "description": "", "venue": "", "address": ""},
    "cancelled": {"status": Meeting.Status.CANCELLED},
    "planned": {"status": Meeting.Status.PLANNED, "title_en": ""},
}


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("variant", VARIANTS)
def test_vevent_is_what_icalendar_writes(variant, language):
    row = a_row(**VARIANTS[variant])
    with translation.override(language):
        mine, reference = ics.vevent(row), reference_vevent(row)
    assert mine == reference
    assert _parsed(mine) == _parsed(reference)


def _parsed(body):
    event = icalendar.Event.from_ical(body)
    return {name: (event[name].to_ical(), dict(event[name].params)) for name in event}


hostile_text = st.text(
    st.sampled_from(list(',;:\\^"\r\n\t ABZaz09가힣한글😀é'))
    | st.characters(exclude_categories=["Cs"]),
    max_size=200,
).filter(lambda text: "\\N" not in text)


@settings(
    max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None, database=None
)
@given(title=hostile_text, description=hostile_text, venue=hostile_text, theme=hostile_text)
def test_any_text_is_written_as_icalendar_writes_it(title, description, venue, theme):
    row = a_row(title=title, description=description, venue=venue, theme=theme)
    mine = ics.vevent(row)
    assert mine == reference_vevent(row)
    for line in mine.split(b"\r\n"):
        assert len(line) <= 75
        line.decode()  # never a split character
    (event,) = icalendar.Calendar.from_ical(b"BEGIN:VCALENDAR\r\n" + mine + ics.END).walk("VEVENT")
    expected = title.replace("\r\n", "\n").replace("\r", "\n")
    assert str(event["SUMMARY"]) == expected


def test_typed_backslash_n_stays_as_typed():
    """icalendar writes a typed "\\N" as a line break; the feed keeps the two characters."""
    row = a_row(title="C:\\New 폴더 \\N")
    body = b"BEGIN:VCALENDAR\r\n" + ics.vevent(row) + ics.END
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(event["SUMMARY"]) == "C:\\New 폴더 \\N"
    assert vobject.readOne(body.decode()).vevent.summary.value == "C:\\New 폴더 \\N"


def test_hostile_text_makes_no_second_event(client, db):
    MeetingFactory(title=HOSTILE, description="\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:x")
    body = client.get("/calendar/public.ics").content
    calendar = icalendar.Calendar.from_ical(body)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == HOSTILE.replace("\r\n", "\n").replace("\r", "\n")
    assert body.count(b"\r\nBEGIN:VEVENT\r\n") == 1


def test_resource_is_its_calendar_with_the_timezone():
    with translation.override("ko"):
        calendar = icalendar.Calendar.from_ical(ics.render_resource(a_row()))
    assert [c.name for c in calendar.subcomponents] == ["VTIMEZONE", "VEVENT"]
    all_day = icalendar.Calendar.from_ical(ics.render_resource(a_row(**ALL_DAY)))
    assert [c.name for c in all_day.subcomponents] == ["VEVENT"]


def _uids(response):
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}


CHANGES = {
    "title": lambda m: services.meeting_update(meeting=m, title="바뀐 제목, 새로"),
    "time": lambda m: services.meeting_update(
        meeting=m,
        starts_at=datetime.datetime(2026, 1, 5, 10, 0, tzinfo=KST),
        ends_at=datetime.datetime(2026, 1, 5, 12, 0, tzinfo=KST),
    ),
    "cancellation": lambda m: services.meeting_update(meeting=m, status=Meeting.Status.CANCELLED),
    "made internal": lambda m: services.meeting_update(
        meeting=m, visibility=Meeting.Visibility.INTERNAL
    ),
    "queryset update": lambda m: Meeting.objects.filter(pk=m.pk).update(venue="세종청사"),
}


def _timed(**fields):
    return MeetingFactory(
        all_day=False,
        start_date=None,
        end_date=None,
        starts_at=datetime.datetime(2025, 9, 19, 14, 0, tzinfo=KST),
        ends_at=datetime.datetime(2025, 9, 19, 16, 0, tzinfo=KST),
        **fields,
    )


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("count", [1, 30])
def test_a_change_shows_in_the_next_feed(client, db, change, count):
    meetings = [_timed(title=f"간담회 {n}") for n in range(count)]
    changed = meetings[0]
    before = _uids(client.get("/calendar/public.ics"))
    assert len(before) == count
    CHANGES[change](changed)
    changed.refresh_from_db()
    after = _uids(client.get("/calendar/public.ics"))
    pk = str(changed.pk)
    if change == "made internal":
        assert pk not in after and len(after) == count - 1
        return
    event = after[pk]
    assert event["SEQUENCE"] == changed.version > before[pk]["SEQUENCE"]
    assert str(event["SUMMARY"]) == changed.title
    assert event.decoded("DTSTART") == changed.starts_at
    assert event["STATUS"] == ics.STATUS[changed.status]
    assert str(event["LOCATION"]).startswith(changed.venue)
    # The others are the same pieces as before.
    for other in meetings[1:]:
        assert after[str(other.pk)].to_ical() == before[str(other.pk)].to_ical()


@pytest.mark.parametrize("count", [1, 30])
def test_queries_do_not_grow_with_the_meetings(client, db, count, django_assert_num_queries):
    meetings = [_timed(title=f"간담회 {n}") for n in range(count)]
    # Nothing rendered yet: the change log, ids and versions, then the rows to render.
    with django_assert_num_queries(3):
        client.get("/calendar/public.ics")
    # After a change the pieces of the others are reused: the one changed is read by id.
    services.meeting_update(meeting=meetings[-1], title="바뀐 제목")
    with django_assert_num_queries(3):
        client.get("/calendar/public.ics")
    # Another language renders its own pieces; the same one again reads no meeting.
    with django_assert_num_queries(3):
        client.get("/calendar/public.ics?lang=en")
    Meeting.objects.filter(pk=meetings[0].pk).update(venue="세종")
    with django_assert_num_queries(3):
        client.get("/calendar/public.ics")


def test_personal_and_single_feeds_share_the_pieces(client, db, coordinator):
    meeting = _timed(title="공유 간담회")
    public = _uids(client.get("/calendar/public.ics"))[str(meeting.pk)]
    one = _uids(client.get(f"/calendar/meetings/{meeting.pk}.ics"))[str(meeting.pk)]
    mine = services.personal_feed_for(user=coordinator).url.removeprefix("http://127.0.0.1:8000")
    personal = _uids(client.get(mine))[str(meeting.pk)]
    assert public.to_ical() == one.to_ical() == personal.to_ical()
    row = Meeting.objects.filter(pk=meeting.pk).values(*ics.FEED_FIELDS).get()
    assert public.to_ical() == icalendar.Event.from_ical(reference_vevent(row)).to_ical()
