"""Figures as people write them: 10조 원, 4,366억 원, 236.1억 원, 26개, 40%; in English
10 trillion won, 436.6 billion won. Korean puts a space between a number's unit (조, 억, 만)
and 원, none between digits and 원 or %."""

from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

JO = 10**12  # 조
EOK = 10**8  # 억
MAN = 10**4  # 만
# Units a pledge's figures may be counted in that are amounts of won: "2,361" in 억원.
WON_UNITS = {"원": 1, "만원": MAN, "억원": EOK, "조원": JO}
EXACT = "exact"  # Qualifier.EXACT (the models import this module)


def _korean() -> bool:
    return (get_language() or "ko").startswith("ko")


def format_krw(amount: Decimal | int | None) -> str:
    if amount is None:
        return ""
    amount = Decimal(amount)
    if amount != amount.to_integral_value():
        return f"{_plain(amount)}{'원' if _korean() else ' won'}"
    if _korean():
        return _format_korean(int(amount))
    return _format_english(int(amount))


def _format_korean(amount: int) -> str:
    jo, rest = divmod(amount, JO)
    eok, below = divmod(rest, EOK)
    if jo or eok:
        if below and below % (EOK // 10):
            # Not a tenth of 억: the exact figure rather than a rounded one.
            return f"{amount:,}원"
        parts = [f"{jo:,}조"] if jo else []
        if eok or below:
            parts.append(f"{_plain(Decimal(rest) / EOK)}억")
        return " ".join(parts) + " 원"
    if amount >= MAN and not amount % MAN:
        return f"{amount // MAN:,}만 원"
    return f"{amount:,}원"


def _format_english(amount: int) -> str:
    for size, unit in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
        if amount >= size:
            figure = f"{Decimal(amount) / size:,.3f}".rstrip("0").rstrip(".")
            return f"{figure} {unit} won"
    return f"{amount:,} won"


def _plain(value: Decimal) -> str:
    """26 for 26.0000, 236.1 for 236.1000, 1,500 for 1.5E+3: no trailing zeros, no exponent."""
    return f"{value.normalize():,f}"


def format_quantity(value: Decimal | None, unit: str = "") -> str:
    if value is None:
        return ""
    value = Decimal(value)
    if unit in WON_UNITS:
        return format_krw(value * WON_UNITS[unit])
    # "40%", "500개", but "12 plants"
    separator = " " if unit[:1].isascii() and unit[:1].isalpha() else ""
    return f"{_plain(value)}{separator}{unit}"


def format_change(commitment) -> str:
    """Baseline to target as a change people would quote: "+84.9%" for a budget, "+35%p" for
    a share in percent; nothing when the baseline is a bound ("under 5%"), as no change from
    a bound means anything."""
    baseline, target = commitment.baseline_value, commitment.target_value
    if baseline is None or target is None or commitment.baseline_qualifier != EXACT:
        return ""
    baseline, target = Decimal(baseline), Decimal(target)
    if commitment.unit == "%":
        return _("%(points)s percentage points") % {"points": _signed(target - baseline)}
    if not baseline:
        return ""
    return f"{_signed((target - baseline) / baseline * 100)}%"


def _signed(value: Decimal) -> str:
    """+84.9, +35, −2.5: one decimal at most."""
    value = round(value, 1)
    return f"{value:+,.0f}" if value == value.to_integral_value() else f"{value:+,.1f}"


def format_span(commitment) -> str:
    """ "5% 미만 (2025) → 40% (2030)": the pledge's baseline and target on one line."""
    baseline, target = commitment.baseline_display(), commitment.target_display()
    if not (baseline or target):
        return ""
    return f"{baseline or '—'} → {target or '—'}"
