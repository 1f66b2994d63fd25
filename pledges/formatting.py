"""Amounts of won as people read them: 10조원, 4,366억원; 10 trillion won, 436.6 billion won."""

from decimal import Decimal

from django.utils.translation import get_language

JO = 10**12  # 조
EOK = 10**8  # 억


def format_krw(amount: Decimal | int | None) -> str:
    if amount is None:
        return ""
    amount = int(amount)
    if (get_language() or "ko").startswith("ko"):
        return _format_korean(amount)
    return _format_english(amount)


def _format_korean(amount: int) -> str:
    jo, rest = divmod(amount, JO)
    eok, won = divmod(rest, EOK)
    if won or not (jo or eok):
        return f"{amount:,}원"
    parts = [f"{jo:,}조"] if jo else []
    if eok:
        parts.append(f"{eok:,}억")
    return " ".join(parts) + "원"


def _format_english(amount: int) -> str:
    for size, unit in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
        if amount >= size:
            figure = f"{Decimal(amount) / size:,.3f}".rstrip("0").rstrip(".")
            return f"{figure} {unit} won"
    return f"{amount:,} won"


def format_quantity(value: Decimal | None, unit: str = "") -> str:
    if value is None:
        return ""
    text = f"{value.normalize():,f}"
    # "40%", "500개", but "12 plants"
    separator = " " if unit[:1].isascii() and unit[:1].isalpha() else ""
    return f"{text}{separator}{unit}"
