"""The officer's scope, every way in: a request of their own ministry can be read and answered;
one of another ministry is not listed and cannot be opened or changed, however the address is
written — in the admin, the API, exports and files alike (README, Roles).

What an officer may never do (add, delete) is 403 on any request; what they may do on their
own ministry's requests is 404 on another's, which does not exist for them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from api.tests.clients import client_for
from files.tests.samples import SAMPLES
from followups import services
from followups.models import StakeholderRequest
from followups.tests.factories import StakeholderRequestFactory
from stakeholders.tests.factories import MinistryFactory

pytestmark = pytest.mark.django_db

ADMIN = "/admin/followups/stakeholderrequest"
API = "/api/v1/requests"


@pytest.fixture
def requests(ministry):
    """One request of the officer's ministry and one of another, each with a file."""
    own = StakeholderRequestFactory(ministry=ministry, text="우리 부처 건")
    other = StakeholderRequestFactory(ministry=MinistryFactory(), text="다른 부처 건")
    for request in (own, other):
        services.attachment_add(
            request=request, upload=SimpleUploadedFile("건의서.pdf", SAMPLES["건의서.pdf"])
        )
    return {"own": own, "other": other}


def answer(request, status="in_progress"):
    return {
        "status": status,
        "response": "검토하겠습니다.",
        "due_date": "",
        "notes": "",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
    }


# (which request, how, path after the request's admin URL) → status code
ADMIN_READS = [
    ("own", "change/", 200),
    ("own", "history/", 200),
    ("own", "history/{version}/", 200),
    ("own", "delete/", 403),
    ("own", "attachments/{file}/", 200),
    ("other", "change/", 404),
    ("other", "history/", 404),
    ("other", "history/{version}/", 404),
    ("other", "delete/", 403),
    ("other", "attachments/{file}/", 404),
]


@pytest.mark.parametrize(("which", "path", "status"), ADMIN_READS)
def test_admin_pages_of_a_request(client, officer, requests, which, path, status):
    request = requests[which]
    client.force_login(officer)
    url = f"{ADMIN}/{request.pk}/" + path.format(
        file=request.attachments.get().pk, version=request.history.earliest().history_id
    )
    response = client.get(url)
    assert response.status_code == status
    if which == "other":
        assert "다른 부처 건" not in response.content.decode(errors="replace")


@pytest.mark.parametrize(("which", "status"), [("own", 302), ("other", 404)])
def test_admin_answer(client, officer, requests, which, status):
    request = requests[which]
    client.force_login(officer)
    response = client.post(f"{ADMIN}/{request.pk}/change/", answer(request))
    assert response.status_code == status
    request.refresh_from_db()
    assert request.status == ("in_progress" if which == "own" else "new")


@pytest.mark.parametrize("which", ["own", "other"])
def test_admin_delete_is_refused(client, officer, requests, which):
    client.force_login(officer)
    response = client.post(f"{ADMIN}/{requests[which].pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert StakeholderRequest.objects.count() == 2


def test_admin_lists_add_and_bulk_actions(client, officer, requests):
    client.force_login(officer)
    listed = client.get(f"{ADMIN}/").context["cl"].result_list
    assert list(listed) == [requests["own"]]
    # Search finds nouns (부처 is in both texts): the other ministry's request is not there.
    searched = client.get(f"{ADMIN}/", {"q": "다른 부처"}).context["cl"].result_list
    assert list(searched) == [requests["own"]]
    assert client.get(f"{ADMIN}/add/").status_code == 403
    # A bulk action naming the other ministry's request touches nothing.
    client.post(
        f"{ADMIN}/",
        {"action": "delete_selected", "_selected_action": [requests["other"].pk], "post": "yes"},
    )
    assert StakeholderRequest.objects.count() == 2


API_CASES = [
    ("own", "get", None, 200),
    ("own", "patch", {"status": "in_progress", "response": "검토 중"}, 200),
    ("own", "put", {"status": "in_progress"}, 200),
    ("own", "delete", None, 403),
    ("other", "get", None, 404),
    ("other", "patch", {"status": "in_progress"}, 404),
    ("other", "put", {"status": "in_progress"}, 404),
    ("other", "delete", None, 403),
]


@pytest.mark.parametrize(("which", "method", "body", "status"), API_CASES)
def test_api_on_a_request(officer, requests, which, method, body, status):
    request = requests[which]
    response = getattr(client_for(officer), method)(f"{API}/{request.pk}/", body, format="json")
    assert response.status_code == status, response.content
    if status >= 400:
        assert set(response.json()) >= {"code", "detail"}
    request.refresh_from_db()
    changed = which == "own" and method in ("patch", "put")
    assert request.status == ("in_progress" if changed else "new")


def test_api_lists_filters_and_creates(officer, requests):
    api = client_for(officer)
    assert [r["id"] for r in api.get(f"{API}/").json()["results"]] == [requests["own"].pk]
    other_ministry = requests["other"].ministry_id
    assert api.get(f"{API}/", {"ministry": other_ministry}).json()["results"] == []
    body = {
        "meeting": str(requests["own"].meeting_id),
        "organization": requests["own"].organization_id,
        "category": "finance",
        "text": "새 건의",
    }
    assert api.post(f"{API}/", body, format="json").status_code == 403


def test_api_fields_an_officer_may_not_change_stay(officer, requests):
    own = requests["own"]
    response = client_for(officer).patch(
        f"{API}/{own.pk}/",
        {"text": "바꿈", "ministry": requests["other"].ministry_id, "notes": "메모"},
        format="json",
    )
    assert response.status_code == 200
    own.refresh_from_db()
    assert (own.text, own.ministry_id, own.notes) == ("우리 부처 건", own.ministry_id, "메모")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("meetings/", {"title": "간담회", "all_day": True, "start_date": "2026-12-01"}),
        ("organizations/", {"name": "새 기업", "kind": "company"}),
        ("people/", {"name": "홍길동"}),
        ("attendances/", {"role": "company"}),
        ("commitments/", {"title": "약속", "kind": "target"}),
    ],
)
def test_api_officers_write_nothing_else(officer, path, body):
    assert client_for(officer).post(f"/api/v1/{path}", body, format="json").status_code == 403


@pytest.mark.parametrize("written", ["%C2%B2", "1.5", "-1", "abc"])
def test_admin_addresses_of_no_request_are_not_errors(client, officer, written):
    client.force_login(officer)
    for path in ("change/", "history/", "history/1/"):
        assert client.get(f"{ADMIN}/{written}/{path}").status_code in (302, 404)
