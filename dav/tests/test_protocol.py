"""The CalDAV server as a client speaks to it (RFC 4791), in hand-written DAV XML: discovery,
sign-in, the properties clients look for, reads, and every refusal."""

import datetime

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from dav.models import AppPassword
from events.models import Meeting
from events.tests.factories import MeetingFactory

from .helpers import NS, Dav, basic, multistatus, propfind

pytestmark = pytest.mark.django_db


@pytest.fixture
def dav(client, coordinator):
    return Dav(client, coordinator)


def test_well_known_redirects_every_method_to_the_context_path(client):
    for method in ("GET", "PROPFIND", "OPTIONS"):
        for path in ("/.well-known/caldav", "/.well-known/caldav/"):
            response = client.generic(method, path)
            assert response.status_code == 301, (method, path)
            assert response["Location"] == "/dav/"


def test_discovery_from_the_context_path_to_the_calendar(dav, coordinator):
    root = multistatus(dav.propfind("/dav/", propfind("D:current-user-principal")))
    principal = root["/dav/"]["props"]["D:current-user-principal"].findtext("D:href", None, NS)
    assert principal == "/dav/principals/coordinators/"

    found = multistatus(
        dav.propfind(
            principal,
            propfind("C:calendar-home-set", "D:displayname", "C:calendar-user-address-set"),
        )
    )[principal]["props"]
    home = found["C:calendar-home-set"].findtext("D:href", None, NS)
    assert home == "/dav/calendars/coordinators/"
    assert found["D:displayname"].text == "coordinators"
    addresses = [node.text for node in found["C:calendar-user-address-set"]]
    assert addresses == [f"mailto:{coordinator.email}", principal]

    listing = multistatus(dav.propfind(home, propfind("D:resourcetype"), depth="1"))
    calendars = [
        href
        for href, entry in listing.items()
        if entry["props"]["D:resourcetype"].find("C:calendar", NS) is not None
    ]
    assert calendars == ["/dav/calendars/coordinators/meetings/"]


def test_the_calendar_tells_what_clients_look_for(dav):
    props = multistatus(dav.propfind(dav.calendar))[dav.calendar]["props"]
    assert props["D:resourcetype"].find("D:collection", NS) is not None
    assert [comp.get("name") for comp in props["C:supported-calendar-component-set"]] == ["VEVENT"]
    reports = {report[0][0].tag for report in props["D:supported-report-set"]}
    assert reports == {
        "{urn:ietf:params:xml:ns:caldav}calendar-multiget",
        "{urn:ietf:params:xml:ns:caldav}calendar-query",
        "{DAV:}sync-collection",
    }
    assert props["CS:getctag"].text
    assert props["D:sync-token"].text.startswith("http")
    privileges = [p[0].tag for p in props["D:current-user-privilege-set"]]
    assert "{DAV:}read" in privileges
    assert not {"{DAV:}write", "{DAV:}write-content", "{DAV:}bind", "{DAV:}all"} & {*privileges}
    # In the user's language: Korean by default, English when the app asks for it.
    assert props["D:displayname"].text == "릴레이 현장 간담회 (내부 간담회 포함)"
    english = multistatus(
        dav.propfind(dav.calendar, propfind("D:displayname"), accept_language="en")
    )
    assert english[dav.calendar]["props"]["D:displayname"].text == (
        "Relay roundtables, with internal meetings"
    )


def test_propname_and_unknown_properties(dav):
    names = multistatus(
        dav.propfind(dav.calendar, b'<D:propfind xmlns:D="DAV:"><D:propname/></D:propfind>')
    )[dav.calendar]
    assert "CS:getctag" in names["props"] and "D:sync-token" in names["props"]
    asked = multistatus(dav.propfind(dav.calendar, propfind("D:displayname", "D:quota-used-bytes")))
    assert asked[dav.calendar]["missing"] == ["D:quota-used-bytes"]


def test_sign_in_wants_an_app_password(client, coordinator):
    dav = Dav(client, coordinator)
    anonymous = dav.propfind("/dav/", auth=False)
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == 'Basic realm="Roundtable"'
    for wrong in ("", "not-the-password", "pw-for-tests-only"):  # the last: the account's own
        response = dav.propfind("/dav/", authorization=basic("coordinators", wrong))
        assert response.status_code == 401, wrong
        assert response["WWW-Authenticate"] == 'Basic realm="Roundtable"'
    assert dav.propfind("/dav/", authorization="Basic !!!").status_code == 401
    assert dav.propfind("/dav/", authorization=basic("viewer", dav.secret)).status_code == 401
    # Typed as shown, or run together and in capitals.
    typed = dav.secret.replace("-", "").upper()
    assert dav.propfind("/dav/", authorization=basic("coordinators", typed)).status_code == 207


def test_use_is_recorded_and_a_revoked_password_is_refused(dav, coordinator):
    assert AppPassword.objects.get().last_used_at is None
    before = timezone.now()
    assert dav.propfind("/dav/").status_code == 207
    assert AppPassword.objects.get().last_used_at >= before
    AppPassword.objects.all().delete()
    assert dav.propfind("/dav/").status_code == 401


def test_repeated_failures_lock_the_account_for_that_address(client, coordinator, settings):
    dav = Dav(client, coordinator)
    wrong = basic("coordinators", "guess")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert dav.propfind("/dav/", authorization=wrong).status_code == 401
    assert dav.propfind("/dav/", authorization=wrong).status_code == 429  # the last allowed
    assert dav.propfind("/dav/").status_code == 429  # even the right app password
    # The same lock-out as the admin's sign-in: the password is refused there too.
    login = client.post(
        "/admin/login/?next=/admin/",
        {"username": "coordinators", "password": "pw-for-tests-only"},
        REMOTE_ADDR=dav.address,
    )
    assert login.status_code == 429
    # From another address the app still signs in.
    elsewhere = Dav(client, coordinator, secret=dav.secret, address="198.51.100.4")
    assert elsewhere.propfind("/dav/").status_code == 207


def test_a_success_resets_the_failures(client, coordinator, settings):
    dav = Dav(client, coordinator)
    wrong = basic("coordinators", "guess")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        dav.propfind("/dav/", authorization=wrong)
    assert dav.propfind("/dav/").status_code == 207
    assert dav.propfind("/dav/", authorization=wrong).status_code == 401


def test_two_factor_required_and_missing_is_refused(dav, settings):
    settings.REQUIRE_TWO_FACTOR = True
    assert dav.propfind("/dav/").status_code == 403


def test_other_users_addresses_are_not_found(client, coordinator, viewer):
    dav = Dav(client, coordinator)
    for path in (
        "/dav/principals/viewer/",
        "/dav/calendars/viewer/",
        "/dav/calendars/viewer/meetings/",
    ):
        assert dav.propfind(path).status_code == 404


def test_writes_are_refused_with_need_privileges(dav):
    meeting = MeetingFactory()
    resource = f"{dav.calendar}{meeting.pk}.ics"
    for method, path in [
        ("PUT", f"{dav.calendar}new.ics"),
        ("PUT", resource),
        ("DELETE", resource),
        ("MKCALENDAR", "/dav/calendars/coordinators/another/"),
        ("MKCOL", "/dav/calendars/coordinators/meetings/"),
        ("PROPPATCH", dav.calendar),
        ("MOVE", resource),
        ("COPY", resource),
        ("LOCK", resource),
        ("POST", dav.calendar),
    ]:
        response = dav.request(method, path, b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
        assert response.status_code == 403, (method, path, response.status_code)
        assert b"need-privileges" in response.body, method
    assert Meeting.objects.get().version == meeting.version


def test_writes_without_credentials_are_asked_to_sign_in(dav):
    assert dav.request("PUT", f"{dav.calendar}x.ics", auth=False).status_code == 401


def test_options_names_no_write_method(client):
    response = client.options("/dav/calendars/anyone/meetings/")
    assert response.status_code == 200
    assert response["DAV"] == "1, 3, calendar-access"
    allowed = {method.strip() for method in response["Allow"].split(",")}
    assert allowed == {"OPTIONS", "GET", "HEAD", "PROPFIND", "REPORT"}


def test_depth_infinity_is_refused(dav):
    response = dav.propfind(dav.calendar, depth="infinity")
    assert response.status_code == 403
    assert b"propfind-finite-depth" in response.body


def test_no_csrf_and_no_slash_redirect(coordinator):
    dav = Dav(Client(enforce_csrf_checks=True), coordinator)
    assert dav.propfind(dav.calendar).status_code == 207
    for path in ("/dav", "/dav/calendars/coordinators", dav.calendar.rstrip("/")):
        response = dav.propfind(path)
        assert response.status_code == 207, path
    assert (
        dav.report(
            b'<D:sync-collection xmlns:D="DAV:"><D:sync-token/>'
            b"<D:prop><D:getetag/></D:prop></D:sync-collection>",
            path=dav.calendar.rstrip("/"),
        ).status_code
        == 207
    )


def test_get_has_the_strong_etag_of_getetag_and_answers_304(dav, client):
    meeting = MeetingFactory()
    path = f"{dav.calendar}{meeting.pk}.ics"
    listing = multistatus(dav.propfind(dav.calendar, propfind("D:getetag"), depth="1"))
    getetag = listing[path]["props"]["D:getetag"].text
    response = dav.request("GET", path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["ETag"] == getetag
    assert not getetag.startswith("W/")
    assert dav.request("GET", path, if_none_match=getetag).status_code == 304
    assert dav.request("HEAD", path).status_code == 200
    # The VEVENT is the feed's: the same UID, SEQUENCE and dates.
    feed = client.get(f"/calendar/meetings/{meeting.pk}.ics").content
    body = response.body.decode()
    ours = icalendar.Calendar.from_ical(response.body).walk("VEVENT")[0]
    theirs = icalendar.Calendar.from_ical(feed).walk("VEVENT")[0]
    for name in ("UID", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY", "STATUS", "LAST-MODIFIED"):
        assert ours[name].to_ical() == theirs[name].to_ical(), name
    assert "METHOD:" not in body
    # A change is a new ETag.
    Meeting.objects.filter(pk=meeting.pk).update(venue="다른 곳")
    changed = dav.request("GET", path, if_none_match=getetag)
    assert changed.status_code == 200 and changed["ETag"] != getetag


def test_hidden_and_unknown_meetings_are_not_found(client, partner):
    internal = MeetingFactory(visibility=Meeting.Visibility.INTERNAL)
    public = MeetingFactory()
    dav = Dav(client, partner)
    assert dav.request("GET", f"{dav.calendar}{internal.pk}.ics").status_code == 404
    assert dav.propfind(f"{dav.calendar}{internal.pk}.ics").status_code == 404
    assert dav.request("GET", f"{dav.calendar}not-a-meeting.ics").status_code == 404
    listing = multistatus(dav.propfind(dav.calendar, propfind("D:getetag"), depth="1"))
    assert set(listing) == {dav.calendar, f"{dav.calendar}{public.pk}.ics"}
    names = multistatus(dav.propfind(dav.calendar, propfind("D:displayname")))
    assert names[dav.calendar]["props"]["D:displayname"].text == "AI 대전환 릴레이 현장 간담회"


def test_multiget_returns_the_data_asked_for_and_404_for_the_rest(dav, client):
    kept, gone = MeetingFactory.create_batch(2)
    internal = MeetingFactory(visibility=Meeting.Visibility.INTERNAL)
    gone_path = f"{dav.calendar}{gone.pk}.ics"
    gone.delete()
    hrefs = [
        f"{dav.calendar}{kept.pk}.ics",
        f"http://testserver{dav.calendar}{internal.pk}.ics",
        gone_path,
        "/dav/calendars/viewer/meetings/x.ics",
    ]
    body = (
        '<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
        "<D:prop><D:getetag/><C:calendar-data/></D:prop>"
        + "".join(f"<D:href>{href}</D:href>" for href in hrefs)
        + "</C:calendar-multiget>"
    ).encode()
    found = multistatus(dav.report(body))
    assert [found[href]["status"] for href in hrefs] == [None, None, 404, 404]
    data = found[hrefs[0]]["props"]["C:calendar-data"].text
    assert f"UID:{kept.pk}@" in data
    assert found[hrefs[0]]["props"]["D:getetag"].text == dav.request("GET", hrefs[0])["ETag"]


def query(start=None, end=None, component="VEVENT", extra=""):
    attributes = "".join(
        f' {name}="{value}"' for name, value in (("start", start), ("end", end)) if value
    )
    time_range = f"<C:time-range{attributes}/>" if attributes else ""
    return (
        '<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
        '<D:prop><D:getetag/></D:prop><C:filter><C:comp-filter name="VCALENDAR">'
        f'<C:comp-filter name="{component}">{time_range}{extra}</C:comp-filter>'
        "</C:comp-filter></C:filter></C:calendar-query>"
    ).encode()


def test_calendar_query_by_time_range(dav):
    seoul = timezone.get_default_timezone()
    # All-day on 3 March (Seoul): from 2 March 15:00 UTC to 3 March 15:00 UTC.
    all_day = MeetingFactory(start_date=datetime.date(2026, 3, 3))
    timed = MeetingFactory(
        all_day=False,
        start_date=None,
        end_date=None,
        starts_at=datetime.datetime(2026, 3, 5, 14, 0, tzinfo=seoul),
        ends_at=datetime.datetime(2026, 3, 5, 16, 0, tzinfo=seoul),
    )
    MeetingFactory(start_date=datetime.date(2026, 5, 1))

    def hrefs(body):
        return {href.rsplit("/", 1)[1] for href in multistatus(dav.report(body))}

    assert hrefs(query("20260301T000000Z", "20260310T000000Z")) == {
        f"{all_day.pk}.ics",
        f"{timed.pk}.ics",
    }
    assert hrefs(query("20260303T150000Z", "20260305T050000Z")) == set()
    assert hrefs(query("20260303T145959Z", "20260303T150000Z")) == {f"{all_day.pk}.ics"}
    assert hrefs(query("20260305T055959Z")) == {
        f"{timed.pk}.ics",
        *hrefs(query("20260401T000000Z")),
    }
    assert len(hrefs(query())) == 3
    assert hrefs(query(component="VTODO")) == set()
    uid = (
        '<C:prop-filter name="UID">'
        f"<C:text-match>{timed.pk}@127.0.0.1:8000</C:text-match></C:prop-filter>"
    )
    assert hrefs(query(extra=uid)) == {f"{timed.pk}.ics"}


def test_bad_queries_are_refused(dav):
    assert dav.report(query("yesterday")).status_code == 403
    summary = '<C:prop-filter name="SUMMARY"><C:text-match>x</C:text-match></C:prop-filter>'
    refused = dav.report(query(extra=summary))
    assert refused.status_code == 403 and b"supported-filter" in refused.body
    assert (
        dav.report(b'<C:calendar-query xmlns:C="urn:ietf:params:xml:ns:caldav"/>').status_code
        == 403
    )
    unknown = dav.report(b'<D:expand-property xmlns:D="DAV:"/>')
    assert unknown.status_code == 403 and b"supported-report" in unknown.body


def test_bad_bodies_are_400(dav):
    assert dav.propfind(dav.calendar, b"<D:propfind xmlns:D='DAV:'>").status_code == 400
    assert dav.propfind(dav.calendar, b"not xml at all").status_code == 400
    assert dav.propfind(dav.calendar, b'<x xmlns="urn:other"/>').status_code == 400
    assert dav.report(b"").status_code == 400
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<D:propfind xmlns:D="DAV:"><D:prop><D:displayname>&lol2;</D:displayname></D:prop>'
        b"</D:propfind>"
    )
    assert dav.propfind(dav.calendar, bomb).status_code == 400
    assert dav.propfind(dav.calendar, depth="2").status_code == 400
    assert dav.sync(limit="many").status_code == 400


def test_control_characters_of_a_description_leave_the_xml_readable(dav):
    meeting = MeetingFactory(description="붙여 넣은 글\x0b머리말\x1b[0m 끝")
    href = f"{dav.calendar}{meeting.pk}.ics"
    body = (
        '<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
        f"<D:prop><D:getetag/><C:calendar-data/></D:prop><D:href>{href}</D:href>"
        "</C:calendar-multiget>"
    ).encode()
    data = multistatus(dav.report(body))[href]["props"]["C:calendar-data"].text
    assert "머리말[0m 끝" in data.replace("\r\n ", "").replace("\n ", "")
