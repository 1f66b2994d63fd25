"""Figures as people write them, in Korean and in English."""

from decimal import Decimal

import pytest
from django.utils import translation

from pledges.formatting import format_change, format_krw, format_quantity, format_span
from pledges.models import Qualifier
from pledges.tests.factories import CommitmentFactory

EOK = 10**8


@pytest.mark.parametrize(
    ("amount", "korean", "english"),
    [
        (10 * 10**12, "10조 원", "10 trillion won"),
        (2000 * EOK, "2,000억 원", "200 billion won"),
        (4366 * EOK, "4,366억 원", "436.6 billion won"),
        (2361 * EOK // 10, "236.1억 원", "23.61 billion won"),
        (12_500 * EOK, "1조 2,500억 원", "1.25 trillion won"),
        (5000 * 10**4, "5,000만 원", "50 million won"),
        (12_345, "12,345원", "12,345 won"),
        (12_345_678_901, "12,345,678,901원", "12.346 billion won"),
    ],
)
def test_amounts_read_as_people_write_them(amount, korean, english):
    with translation.override("ko"):
        assert format_krw(amount) == korean
    with translation.override("en"):
        assert format_krw(amount) == english


@pytest.mark.parametrize(
    ("value", "unit", "korean", "english"),
    [
        (Decimal("26.0000"), "개", "26개", "26개"),
        (Decimal("40.0000"), "%", "40%", "40%"),
        (Decimal("18.5000"), "%", "18.5%", "18.5%"),
        (Decimal("500.0000"), "plants", "500 plants", "500 plants"),
        (Decimal("1500.0000"), "", "1,500", "1,500"),
        (Decimal("2361.0000"), "억원", "2,361억 원", "236.1 billion won"),
        (Decimal("236.1000"), "억원", "236.1억 원", "23.61 billion won"),
    ],
)
def test_quantities_have_no_trailing_zeros(value, unit, korean, english):
    with translation.override("ko"):
        assert format_quantity(value, unit) == korean
    with translation.override("en"):
        assert format_quantity(value, unit) == english


@pytest.mark.django_db
def test_a_change_is_quoted_only_when_it_means_something():
    budget = CommitmentFactory(
        unit="억원", baseline_value=2361, baseline_year=2025, target_value=4366, target_year=2026
    )
    adoption = CommitmentFactory(
        unit="%",
        baseline_value=5,
        baseline_qualifier=Qualifier.LESS_THAN,
        baseline_year=2025,
        target_value=40,
        target_year=2030,
    )
    share = CommitmentFactory(unit="%", baseline_value=5, target_value=40)
    with translation.override("ko"):
        assert format_change(budget) == "+84.9%"
        assert format_change(adoption) == ""  # from "under 5%", +700% would mean nothing
        assert format_change(share) == "+35%p"
        assert format_span(adoption) == "5% 미만 (2025) → 40% (2030)"
        assert format_span(budget) == "2,361억 원 (2025) → 4,366억 원 (2026)"
    with translation.override("en"):
        assert format_change(share) == "+35 percentage points"
        assert format_span(adoption) == "less than 5% (2025) → 40% (2030)"
