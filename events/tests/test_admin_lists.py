"""The admin lists coordinators work in cost the same queries for one row as for many, and
the meeting list filters by an attending organization typed by name."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.tests.factories import AttendanceFactory, MeetingFactory
from followups.tests.factories import StakeholderRequestFactory
from stakeholders.tests.factories import MinistryFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def meetings_with_rows(n):
    """`n` meetings, each attended by an organization of its own (with a contact) that asks
    something of a ministry."""
    for _ in range(n):
        meeting = MeetingFactory()
        organization = OrganizationFactory()
        person = PersonFactory(organization=organization)
        AttendanceFactory(meeting=meeting, organization=organization, person=person)
        StakeholderRequestFactory(
            meeting=meeting, organization=organization, person=person, ministry=MinistryFactory()
        )


# Session, user, permissions and the list's own queries (the page's rows, their count, the
# date hierarchy, the series filter); none per row.
LIST_QUERIES = {
    "/admin/events/meeting/": 9,
    "/admin/events/attendance/": 8,
    "/admin/followups/stakeholderrequest/": 10,
}


@pytest.mark.parametrize("url", LIST_QUERIES)
@pytest.mark.parametrize("rows", [1, 15])
def test_a_list_costs_the_same_queries_for_one_row_as_for_many(
    client, coordinator, count_queries, url, rows
):
    meetings_with_rows(rows)
    client.force_login(coordinator)
    assert count_queries(url) == LIST_QUERIES[url]


def test_the_meeting_list_filters_by_a_part_of_an_attending_organizations_name(client, coordinator):
    posco = OrganizationFactory(name="포스코", name_en="POSCO")
    lg = OrganizationFactory(name="LG전자")
    both, posco_only, neither = MeetingFactory(), MeetingFactory(), MeetingFactory()
    for meeting, organization in ((both, posco), (both, lg), (posco_only, posco)):
        AttendanceFactory(meeting=meeting, organization=organization)
    AttendanceFactory(meeting=neither, organization=OrganizationFactory(name="삼성전자"))
    client.force_login(coordinator)

    def listed(**params):
        response = client.get("/admin/events/meeting/", params)
        assert response.status_code == 200
        return set(response.context_data["cl"].result_list)

    assert listed(organization="포스코") == {both, posco_only}
    assert listed(organization="posco") == {both, posco_only}
    assert listed(organization="LG") == {both}
    # The box keeps the list's other filters.
    html = client.get("/admin/events/meeting/", {"status__exact": "planned"}).content.decode()
    form = html.split('class="typed-filter"')[1].split("</form>")[0]
    assert 'name="status__exact" value="planned"' in form and 'name="organization"' in form


def test_the_series_list_counts_meetings_and_a_series_page_counts_none(
    client, coordinator, count_queries
):
    series = MeetingFactory().series
    MeetingFactory(series=series)
    client.force_login(coordinator)
    html = client.get("/admin/events/series/?o=4").content.decode()
    assert '<td class="field-meeting_count">2</td>' in html
    page = f"/admin/events/series/{series.pk}/change/"
    count_queries(page)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page).status_code == 200
    assert not any("COUNT" in query["sql"] for query in queries.captured_queries)
