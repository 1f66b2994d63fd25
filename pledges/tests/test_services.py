"""Pledges are written through pledges.services on every way in: the admin, the API, the seed."""

from decimal import Decimal

import pytest

from api.tests.clients import client_for
from pledges.models import Commitment
from pledges.tests.factories import CommitmentFactory
from stakeholders.tests.factories import MinistryFactory

pytestmark = pytest.mark.django_db


def change_form(commitment, **changes):
    """The pledge's change form as the admin sends it, with `changes`."""
    fields = {
        "title": commitment.title,
        "title_en": commitment.title_en,
        "kind": commitment.kind,
        "description": commitment.description,
        "meeting": commitment.meeting_id or "",
        "ministry": commitment.ministry_id or "",
        "unit": commitment.unit,
        "baseline_value": commitment.baseline_value,
        "baseline_qualifier": commitment.baseline_qualifier,
        "baseline_year": commitment.baseline_year,
        "target_value": commitment.target_value,
        "target_year": commitment.target_year,
        "amount_krw": "",
        "amount_qualifier": commitment.amount_qualifier,
        "source": commitment.source,
        "progress_entries-TOTAL_FORMS": "0",
        "progress_entries-INITIAL_FORMS": "0",
    }
    return fields | changes


def test_a_pledge_moved_to_another_ministry_is_noted_alike_through_the_api_and_the_admin(
    client, coordinator
):
    finance = MinistryFactory(name="기획재정부")
    industry = MinistryFactory(name="산업통상자원부")
    by_api, by_admin = CommitmentFactory(ministry=finance), CommitmentFactory(ministry=finance)

    moved = client_for(coordinator).patch(
        f"/api/v1/commitments/{by_api.pk}/",
        {"ministry": industry.pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert moved.status_code == 200
    client.force_login(coordinator)
    page = f"/admin/pledges/commitment/{by_admin.pk}/change/"
    sent = client.post(page, change_form(by_admin, ministry=industry.pk), HTTP_ACCEPT_LANGUAGE="en")
    assert sent.status_code == 302

    latest = [c.history.latest() for c in (by_api, by_admin)]
    assert [v.history_change_reason for v in latest] == [
        "Responsibility moved from 기획재정부 to 산업통상자원부"
    ] * 2
    assert [v.history_user for v in latest] == [coordinator] * 2
    # A change that keeps the ministry notes nothing.
    client_for(coordinator).patch(
        f"/api/v1/commitments/{by_api.pk}/", {"target_value": "45"}, format="json"
    )
    assert by_api.history.latest().history_change_reason is None
    assert Commitment.objects.get(pk=by_api.pk).target_value == Decimal(45)
