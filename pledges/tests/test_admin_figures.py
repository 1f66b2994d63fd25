"""The pledge admin writes figures as people do: in its inputs and in its list."""

import pytest

from pledges.models import Commitment

pytestmark = pytest.mark.django_db


def test_inputs_and_the_change_column_read_as_people_write(client, coordinator, seeded):
    client.force_login(coordinator)
    plants = Commitment.objects.get(baseline_value=26)
    form = client.get(f"/admin/pledges/commitment/{plants.pk}/change/").content.decode()
    assert 'value="26"' in form and "26.0000" not in form
    listing = client.get("/admin/pledges/commitment/").content.decode()
    assert "+84.9%" in listing
    assert "+700" not in listing  # from "under 5%" no change is quoted
