"""The REST API as a client sees it (README, Roles and REST API)."""

import datetime

import pytest
from rest_framework.test import APIClient

from events.models import Meeting
from events.tests.factories import AttendanceFactory, MeetingFactory, SeriesFactory
from followups.tests.factories import StakeholderRequestFactory
from stakeholders.models import Organization
from stakeholders.tests.factories import MinistryFactory

from .clients import client_for

pytestmark = pytest.mark.django_db


MEETING = {
    "series": "test-series",
    "title": "AI 반도체 현장 간담회",
    "all_day": False,
    "starts_at": "2026-12-03T14:00:00+09:00",
    "ends_at": "2026-12-03T16:00:00+09:00",
    "venue": "판교",
    "status": "planned",
    "visibility": "public",
}


def test_anonymous_gets_401_with_a_code():
    response = APIClient().get("/api/v1/meetings/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Token")


def test_viewer_reads_but_cannot_write(viewer):
    MeetingFactory()
    api = client_for(viewer)
    assert api.get("/api/v1/meetings/").status_code == 200
    response = api.post("/api/v1/meetings/", MEETING, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_coordinator_creates_updates_and_deletes_a_meeting(coordinator):
    SeriesFactory()
    api = client_for(coordinator)
    created = api.post("/api/v1/meetings/", MEETING, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["starts_at"] == "2026-12-03T14:00:00+09:00"
    assert body["start_date"] is None and body["version"] == 1
    assert body["ics_url"].endswith(f"/calendar/meetings/{body['id']}.ics")
    changed = api.patch(f"/api/v1/meetings/{body['id']}/", {"venue": "KAIST"}, format="json")
    assert changed.json()["venue"] == "KAIST" and changed.json()["version"] == 2
    assert api.delete(f"/api/v1/meetings/{body['id']}/").status_code == 204
    assert not Meeting.objects.exists()


def test_all_day_meeting_through_the_api(coordinator):
    SeriesFactory()
    data = {
        **MEETING,
        "all_day": True,
        "starts_at": None,
        "ends_at": None,
        "start_date": "2026-12-03",
        "end_date": "2026-12-04",
    }
    body = client_for(coordinator).post("/api/v1/meetings/", data, format="json").json()
    assert (body["start_date"], body["end_date"], body["starts_at"]) == (
        "2026-12-03",
        "2026-12-04",
        None,
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_at": "2026-12-03T13:00:00+09:00"}, "__all__"),
        ({"series": "no-such-series"}, "series"),
        ({"status": "finished"}, "status"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_input_is_a_400_with_field_errors(coordinator, change, field):
    SeriesFactory()
    response = client_for(coordinator).post(
        "/api/v1/meetings/", {**MEETING, **change}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and field in body["errors"]


def test_malformed_json_is_a_400(coordinator):
    response = client_for(coordinator).post(
        "/api/v1/meetings/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


def test_unknown_meeting_is_a_404_with_a_code(coordinator):
    response = client_for(coordinator).get("/api/v1/meetings/not-a-uuid/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_meeting_with_requests_cannot_be_deleted(coordinator):
    request = StakeholderRequestFactory()
    response = client_for(coordinator).delete(f"/api/v1/meetings/{request.meeting_id}/")
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert Meeting.objects.filter(pk=request.meeting_id).exists()


def test_internal_meetings_are_hidden_from_a_partner(partner, viewer):
    public = MeetingFactory()
    internal = MeetingFactory(visibility="internal")
    ids = {m["id"] for m in client_for(partner).get("/api/v1/meetings/").json()["results"]}
    assert ids == {str(public.pk)}
    assert client_for(partner).get(f"/api/v1/meetings/{internal.pk}/").status_code == 404
    ids = {m["id"] for m in client_for(viewer).get("/api/v1/meetings/").json()["results"]}
    assert ids == {str(public.pk), str(internal.pk)}


def test_cancelled_meetings_are_listed(viewer):
    MeetingFactory(status="cancelled")
    assert client_for(viewer).get("/api/v1/meetings/").json()["count"] == 1


def test_meeting_lists_its_organizations(viewer):
    attendance = AttendanceFactory()
    body = client_for(viewer).get(f"/api/v1/meetings/{attendance.meeting_id}/").json()
    assert body["organizations"] == [
        {"id": attendance.organization_id, "name": attendance.organization.name}
    ]


def test_list_rows_equal_the_serializer_representation(viewer):
    """The list renders rows without the serializer; a client sees no difference."""
    timed = MeetingFactory(
        all_day=False,
        start_date=None,
        end_date=None,
        starts_at=datetime.datetime(2025, 9, 19, 1, 30, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2025, 9, 19, 3, 0, 0, 500, tzinfo=datetime.UTC),
        feedback_deadline=datetime.datetime(2025, 10, 1, tzinfo=datetime.UTC),
        relay_number=2,
    )
    AttendanceFactory(meeting=timed)
    AttendanceFactory(meeting=timed)
    MeetingFactory(status="cancelled")
    api = client_for(viewer)
    listed = api.get("/api/v1/meetings/").json()["results"]
    assert len(listed) == 2
    for row in listed:
        assert row == api.get(f"/api/v1/meetings/{row['id']}/").json()
    assert listed[0]["starts_at"] == "2025-09-19T10:30:00+09:00"


def test_filters_narrow_the_list(viewer):
    attendance = AttendanceFactory(meeting=MeetingFactory(start_date=datetime.date(2026, 5, 1)))
    MeetingFactory(start_date=datetime.date(2026, 6, 1), status="cancelled")
    api = client_for(viewer)

    def ids(**params):
        return [m["id"] for m in api.get("/api/v1/meetings/", params).json()["results"]]

    assert ids(organization=attendance.organization_id) == [str(attendance.meeting_id)]
    assert ids(date_from="2026-05-15") == ids(status="cancelled")
    assert len(ids(date_to="2026-05-01")) == 1
    assert ids(series="no-such") == []


def test_page_size_is_capped_at_1000(viewer):
    MeetingFactory.create_batch(3)
    body = client_for(viewer).get("/api/v1/meetings/", {"page_size": 2}).json()
    assert (body["count"], len(body["results"]), body["previous"]) == (3, 2, None)
    assert "page=2" in body["next"]
    body = client_for(viewer).get("/api/v1/meetings/", {"page_size": 5000}).json()
    assert len(body["results"]) == 3


@pytest.mark.parametrize("rows", [1, 50])
def test_meeting_list_queries_are_constant(viewer, django_assert_num_queries, rows):
    for _ in range(rows):
        AttendanceFactory()
    api = client_for(viewer)
    api.get("/api/v1/meetings/")
    # token, permissions (2), count, meetings, attendances with organizations
    with django_assert_num_queries(6):
        assert api.get("/api/v1/meetings/", {"page_size": 100}).status_code == 200


def test_a_filtered_list_counts_what_it_lists_without_joining_the_series(
    viewer, django_assert_num_queries
):
    MeetingFactory.create_batch(3, status=Meeting.Status.CANCELLED)
    MeetingFactory.create_batch(2, status=Meeting.Status.CONFIRMED)
    api = client_for(viewer)
    api.get("/api/v1/meetings/")
    # token, permissions (2), count, meetings, attendances with organizations
    with django_assert_num_queries(6) as queries:
        body = api.get("/api/v1/meetings/", {"status": "cancelled", "page_size": 2}).json()
    assert (body["count"], len(body["results"])) == (3, 2)
    assert {row["status"] for row in body["results"]} == {"cancelled"}
    assert all(row["series"] for row in body["results"])
    (count,) = [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"]]
    # The rows show the series' slug; counting them needs the meetings alone.
    assert "JOIN" not in count


def test_organization_q_matches_aliases(viewer, lg):
    body = client_for(viewer).get("/api/v1/organizations/", {"q": "엘지 전자"}).json()
    assert [o["id"] for o in body["results"]] == [lg.pk]
    assert body["results"][0]["aliases"] == ["엘지전자"]


def test_coordinator_creates_an_organization_with_aliases(coordinator):
    api = client_for(coordinator)
    body = api.post(
        "/api/v1/organizations/",
        {
            "name": "포스코",
            "name_en": "POSCO",
            "kind": "company",
            "aliases": ["(주)포스코", "포스코홀딩스"],
        },
        format="json",
    ).json()
    assert body["aliases"] == ["포스코홀딩스"]  # "(주)포스코" is the name itself
    clash = api.post(
        "/api/v1/organizations/", {"name": "POSCO Co., Ltd.", "kind": "company"}, format="json"
    )
    assert clash.status_code == 400 and "name" in clash.json()["errors"]


def test_attendance_changes_raise_the_meeting_version(coordinator):
    meeting = MeetingFactory()
    organization = AttendanceFactory().organization
    api = client_for(coordinator)
    response = api.post(
        "/api/v1/attendances/",
        {"meeting": str(meeting.pk), "organization": organization.pk, "role": "company"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert api.get(f"/api/v1/meetings/{meeting.pk}/").json()["version"] == 2
    duplicate = api.post(
        "/api/v1/attendances/",
        {"meeting": str(meeting.pk), "organization": organization.pk},
        format="json",
    )
    assert duplicate.status_code == 400


def test_officer_answers_own_ministry_requests_only(officer, ministry):
    own = StakeholderRequestFactory(ministry=ministry)
    other = StakeholderRequestFactory(ministry=MinistryFactory())
    api = client_for(officer)
    assert [r["id"] for r in api.get("/api/v1/requests/").json()["results"]] == [own.pk]
    response = api.patch(
        f"/api/v1/requests/{own.pk}/",
        {"status": "answered", "response": "반영하겠습니다.", "text": "바꿈"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "answered" and body["responded_at"] is not None
    assert body["text"] == own.text
    assert (
        api.patch(
            f"/api/v1/requests/{other.pk}/", {"status": "declined"}, format="json"
        ).status_code
        == 404
    )
    assert api.delete(f"/api/v1/requests/{own.pk}/").status_code == 403


def test_writes_through_a_token_are_recorded_under_its_owner(officer, ministry, coordinator):
    own = StakeholderRequestFactory(ministry=ministry)
    client_for(officer).patch(f"/api/v1/requests/{own.pk}/", {"status": "in_progress"})
    assert own.history.latest().history_user == officer
    made = client_for(coordinator).post(
        "/api/v1/organizations/", {"name": "두산로보틱스", "kind": "company"}, format="json"
    )
    assert made.status_code == 201, made.json()
    made = Organization.objects.get(pk=made.json()["id"])
    assert made.history.get().history_user == coordinator


def test_schema_and_docs_are_public_and_local(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower()


def test_schema_generates_without_warnings():
    import io

    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", stdout=io.StringIO())


@pytest.mark.parametrize(
    "query",
    [
        "meetings/?organization=-3.4e65",
        "meetings/?organization=99999999999999999999",
        "people/?organization=99999999999999999999",
        "requests/?meeting=0&ministry=99999999999999999999",
    ],
)
def test_ids_out_of_any_range_are_400s(coordinator, query):
    response = client_for(coordinator).get(f"/api/v1/{query}")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid"


def test_bad_aliases_are_400s_with_the_item_named(coordinator, lg):
    api = client_for(coordinator)
    body = {"name": "포스코", "kind": "company", "aliases": [""]}
    response = api.post("/api/v1/organizations/", body, format="json")
    assert response.status_code == 400
    assert "0" in response.json()["errors"]["aliases"]
    body["aliases"] = ["POSCO", "LG Electronics"]
    response = api.post("/api/v1/organizations/", body, format="json")
    assert response.status_code == 400
    assert "1" in response.json()["errors"]["aliases"]
    body = {"name": "ß" * 200, "kind": "company"}
    assert api.post("/api/v1/organizations/", body, format="json").status_code == 400


@pytest.mark.parametrize(
    "change",
    [
        {"series": "test-series\x00"},
        {"feedback_deadline": "1900-01-01T00:00:00+09:00"},
        {"starts_at": "3100-01-01T00:00:00+09:00"},
    ],
    ids=["nul-in-series", "before-1970", "after-2999"],
)
def test_unwritable_values_are_400s(coordinator, change):
    meeting = MeetingFactory(
        all_day=False,
        start_date=None,
        end_date=None,
        starts_at=datetime.datetime(2026, 12, 3, 5, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2026, 12, 3, 7, tzinfo=datetime.UTC),
    )
    response = client_for(coordinator).patch(
        f"/api/v1/meetings/{meeting.pk}/", change, format="json"
    )
    assert response.status_code == 400


def test_the_last_representable_day_is_a_valid_filter(viewer):
    MeetingFactory()
    response = client_for(viewer).get("/api/v1/meetings/", {"date_to": "9999-12-31"})
    assert response.status_code == 200 and response.json()["count"] == 1


# A NUL in the path is refused before any route is tried: see test_bad_input.
@pytest.mark.parametrize("path", ["/api/v1/meetings/1.5/", "/api/v1/nothing-here/"])
def test_unmatched_api_paths_are_json_404s(viewer, path):
    response = client_for(viewer).get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
