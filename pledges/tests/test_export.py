"""Pledges leave the admin with their figures and progress as the admin shows them."""

import datetime

import pytest

from files.tests.exports import export
from pledges.models import Commitment, ProgressEntry

pytestmark = pytest.mark.django_db


def test_pledges_export_with_figures_and_progress(client, viewer, seeded):
    adoption = Commitment.objects.get(target_value=40)
    ProgressEntry.objects.create(commitment=adoption, date=datetime.date(2026, 6, 30), value=12)
    client.force_login(viewer)
    rows = {row["제목(한글)"]: row for row in export(client, "pledges/commitment").dict}
    assert len(rows) == 7
    assert rows[adoption.title]["진행률 (%)"] == "20.0"  # 5 → 12 of 5 → 40
    assert "최대 10조 원" in {row["금액 (발표 표기)"] for row in rows.values()}
    assert len(set(rows[adoption.title])) == len(rows[adoption.title])  # no header twice
