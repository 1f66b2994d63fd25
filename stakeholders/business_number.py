"""Korean business registration numbers (사업자등록번호): ten digits, the last a check digit."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def check_digit(first_nine: str) -> int:
    digits = [int(d) for d in first_nine]
    total = sum(d * w for d, w in zip(digits, WEIGHTS, strict=True)) + digits[8] * 5 // 10
    return (10 - total % 10) % 10


def normalize(value: str) -> str:
    """ "123-45-67890" or "123 45 67890" → "1234567890"; anything else unchanged."""
    return re.sub(r"[\s-]", "", value or "")


def validate(value: str) -> None:
    """Accepts the number with or without its hyphens (the model stores the digits)."""
    value = normalize(value)
    if not re.fullmatch(r"\d{10}", value) or check_digit(value[:9]) != int(value[9]):
        raise ValidationError(
            _(
                "Enter a valid business registration number: 10 digits (123-45-67890) whose "
                "last digit checks the others."
            ),
            code="invalid_business_number",
        )


def display(value: str) -> str:
    return f"{value[:3]}-{value[3:5]}-{value[5:]}" if len(value) == 10 else value
