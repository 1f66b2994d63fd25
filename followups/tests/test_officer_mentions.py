"""Every place that names a request goes through the officer's scope: another ministry's
request is never shown to an officer, as a row, a link, a name, an excerpt or a history entry;
where one is pointed at (the earlier request of a chain, a pledge's linked requests, a past
version), it is named "(another ministry's request)", with no text and no link. Coordinators
and viewers see everything (README, Roles).

The scene: a company raised the same request at three meetings; the first and the third are
another ministry's and carry MARKER in their text, the second is the officer's ministry's and
names the first as the earlier request (set by a later change, so that its history shows it).
A pledge answers the first and the second."""

import datetime
import html

import pytest
from django.utils import timezone

from api.tests.clients import client_for
from events.tests.factories import MeetingFactory
from followups import services
from followups.tests.factories import StakeholderRequestFactory
from pledges.tests.factories import CommitmentFactory
from stakeholders.tests.factories import MinistryFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db

MARKER = "타부처기밀건의7731"
PLACEHOLDER = "(another ministry's request)"
ADMIN = "/admin/followups/stakeholderrequest"


@pytest.fixture
def scene(ministry):
    company = OrganizationFactory(name="알파로보틱스")
    submitter = PersonFactory(organization=company, name="박제안")
    other_ministry = MinistryFactory()
    first, second, third = (
        MeetingFactory(start_date=datetime.date(2026, 3, 1) + datetime.timedelta(30 * n))
        for n in range(3)
    )
    due = timezone.localdate() + datetime.timedelta(5)  # on the dashboard's "due soon"
    earlier = StakeholderRequestFactory(
        meeting=first,
        organization=company,
        person=submitter,
        ministry=other_ministry,
        due_date=due,
        text=f"{MARKER} 처음",
    )
    own = StakeholderRequestFactory(
        meeting=second,
        organization=company,
        person=submitter,
        ministry=ministry,
        text="우리 부처 건",
    )
    services.request_update(request=own, by=None, same_as=earlier)
    later = StakeholderRequestFactory(
        meeting=third,
        organization=company,
        person=submitter,
        ministry=other_ministry,
        due_date=due,
        same_as=own,
        text=f"{MARKER} 다시",
    )
    pledge = CommitmentFactory(meeting=second, title="AI 공장 100곳")
    pledge.requests.add(earlier, own)
    return {
        "company": company,
        "submitter": submitter,
        "earlier": earlier,
        "own": own,
        "later": later,
        "pledge": pledge,
        "meeting": first,
        "own_version": own.history.latest().history_id,
        "pledge_version": pledge.history.latest().history_id,
    }


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return html.unescape(content.decode())


# (address, with the scene's keys) → does the page point at another ministry's request?
ADMIN_PAGES = [
    ("/admin/pledges/commitment/{pledge.pk}/change/", True),
    ("/admin/pledges/commitment/{pledge.pk}/history/{pledge_version}/", True),
    ("/admin/pledges/commitment/{pledge.pk}/history/", False),
    ("/admin/pledges/commitment/", False),
    (ADMIN + "/{own.pk}/change/", True),
    (ADMIN + "/{own.pk}/history/", True),
    (ADMIN + "/{own.pk}/history/{own_version}/", True),
    (ADMIN + "/", False),
    (ADMIN + "/?q=기밀건의", False),  # a part of the text: the search box repeats it
    ("/admin/events/meeting/{meeting.pk}/change/", False),
    ("/admin/events/meeting/{meeting.pk}/history/", False),
    ("/admin/events/meeting/", False),
    ("/admin/stakeholders/organization/{company.pk}/change/", False),
    ("/admin/stakeholders/person/{submitter.pk}/change/", False),
    ("/admin/dashboard/", False),
    ("/admin/dashboard/?due=90", False),
    ("/admin/dashboard/organizations/{company.pk}/", False),
]


@pytest.mark.parametrize(("address", "points_at_another"), ADMIN_PAGES)
def test_admin_pages_name_no_other_ministrys_request(
    client, officer, scene, address, points_at_another
):
    client.force_login(officer)
    page = text_of(client.get(address.format(**scene), HTTP_ACCEPT_LANGUAGE="en"))
    assert MARKER not in page
    for hidden in (scene["earlier"], scene["later"]):
        assert f"{ADMIN}/{hidden.pk}/" not in page
    assert (PLACEHOLDER in page) == points_at_another


def test_request_page_names_the_earlier_request_by_the_placeholder(client, officer, scene):
    client.force_login(officer)
    page = text_of(client.get(f"{ADMIN}/{scene['own'].pk}/change/", HTTP_ACCEPT_LANGUAGE="en"))
    # The earlier request, and the chain: the first and the third meeting are another
    # ministry's, the second (this one) links to itself with its meeting.
    assert page.count(PLACEHOLDER) == 3
    assert f'<a href="{ADMIN}/{scene["own"].pk}/change/">{scene["own"].meeting}</a>' in page
    assert "same as an earlier request" in page.lower()


def test_pledge_page_lists_the_officers_request_and_the_other_as_the_placeholder(
    client, officer, scene
):
    client.force_login(officer)
    page = text_of(
        client.get(
            f"/admin/pledges/commitment/{scene['pledge'].pk}/change/", HTTP_ACCEPT_LANGUAGE="en"
        )
    )
    assert f'<a href="{ADMIN}/{scene["own"].pk}/change/">우리 부처 건</a>' in page
    assert page.count(PLACEHOLDER) == 1


def test_history_names_the_earlier_request_by_the_placeholder(client, officer, scene):
    client.force_login(officer)
    page = text_of(client.get(f"{ADMIN}/{scene['own'].pk}/history/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "→" in page and PLACEHOLDER in page


def test_autocomplete_of_the_earlier_request_offers_the_officers_only(client, officer, scene):
    client.force_login(officer)
    for term in ("", MARKER):
        response = client.get(
            "/admin/autocomplete/",
            {
                "term": term,
                "app_label": "followups",
                "model_name": "stakeholderrequest",
                "field_name": "same_as",
            },
        )
        assert response.status_code == 200
        results = response.json()["results"]
        assert [r["id"] for r in results] == ([str(scene["own"].pk)] if not term else [])
        assert MARKER not in response.content.decode()


def test_export_holds_no_other_ministrys_request(client, officer, scene):
    from files.tests.exports import export

    client.force_login(officer)
    sheet = export(client, "followups/stakeholderrequest")
    assert [row["건의 내용"] for row in sheet.dict] == ["우리 부처 건"]
    assert MARKER not in sheet.csv


API_ADDRESSES = [
    "/api/v1/requests/",
    "/api/v1/requests/{own.pk}/",
    "/api/v1/requests/?organization={company.pk}",
    "/api/v1/commitments/{pledge.pk}/",
    "/api/v1/organizations/{company.pk}/",
    "/api/v1/people/{submitter.pk}/",
]


@pytest.mark.parametrize("address", API_ADDRESSES)
def test_api_names_no_other_ministrys_request(client, officer, scene, address):
    address = address.format(**scene)
    assert MARKER not in text_of(client_for(officer).get(address))
    # The browsable API too, with its forms, signed in to the site.
    client.force_login(officer)
    assert MARKER not in text_of(client.get(address, HTTP_ACCEPT="text/html"))


@pytest.mark.parametrize("role", ["coordinator", "viewer"])
def test_coordinators_and_viewers_see_every_request_named(request, scene, client, role):
    client.force_login(request.getfixturevalue(role))
    pages = [
        f"/admin/pledges/commitment/{scene['pledge'].pk}/change/",
        f"{ADMIN}/{scene['own'].pk}/change/",
        f"{ADMIN}/{scene['own'].pk}/history/",
        f"{ADMIN}/{scene['own'].pk}/history/{scene['own_version']}/",
    ]
    for address in pages:
        page = text_of(client.get(address, HTTP_ACCEPT_LANGUAGE="en"))
        assert MARKER in page and PLACEHOLDER not in page, address
        if "/history/" not in address or address.endswith(f"/{scene['own_version']}/"):
            assert f"{ADMIN}/{scene['earlier'].pk}/change/" in page, address
