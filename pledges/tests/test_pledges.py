import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from followups.tests.factories import StakeholderRequestFactory
from pledges.tests.factories import CommitmentFactory, ProgressEntryFactory

pytestmark = pytest.mark.django_db


def test_progress_is_derived_from_the_latest_entry():
    commitment = CommitmentFactory(baseline_value=Decimal(26), target_value=Decimal(500))
    assert commitment.progress_percent() == 0
    ProgressEntryFactory(commitment=commitment, date="2026-01-01", value=Decimal(100))
    ProgressEntryFactory(commitment=commitment, date="2026-06-30", value=Decimal(263))
    assert commitment.progress_percent() == Decimal(50)


def test_progress_is_bounded():
    commitment = CommitmentFactory(baseline_value=Decimal(5), target_value=Decimal(40))
    assert commitment.progress_percent(Decimal(50)) == 100
    assert commitment.progress_percent(Decimal(1)) == 0


def test_no_progress_without_both_ends():
    assert CommitmentFactory(baseline_value=None).progress_percent() is None


def test_negative_amounts_and_backwards_years_are_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentFactory(amount_krw=Decimal(-1))
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentFactory(baseline_year=2030, target_year=2025)


def test_the_admin_shows_progress_as_a_bar_a_chart_and_the_requests_answered(client, coordinator):
    adoption = CommitmentFactory(
        title="제조 AI 도입률 40%", baseline_value=5, target_value=40, target_year=2030
    )
    ProgressEntryFactory(commitment=adoption, date=datetime.date(2025, 12, 31), value=5)
    ProgressEntryFactory(commitment=adoption, date=datetime.date(2026, 9, 30), value=12)
    asked = StakeholderRequestFactory(text="AI 도입 컨설팅 지원")
    asked.commitments.add(adoption)
    client.force_login(coordinator)

    listing = client.get("/admin/pledges/commitment/").content.decode()
    assert "20%" in listing and "from baseline to target" not in listing  # Korean page
    assert "기준에서 목표까지 20% 진행" in listing
    page = client.get(f"/admin/pledges/commitment/{adoption.pk}/change/").content.decode()
    assert page.count("<circle") == 2 and "<polyline" in page
    assert "2026년 9월 30일: 12%" in page  # each point reads out its date and value
    assert "AI 도입 컨설팅 지원" in page
