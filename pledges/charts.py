"""Pledge charts drawn on the server as SVG: no script, nothing loaded from elsewhere. Every
value goes through format_html, as SVG is markup and a pledge's title is typed by a user; the
figures a chart shows are also written out in a table that the chart names with
`aria-describedby`, for screen readers and for anyone who wants the numbers."""

import dataclasses
import datetime
import math
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .formatting import format_quantity
from .models import qualified

BAR_WIDTH, BAR_HEIGHT = 120, 10
BASELINE_COLOUR, TARGET_COLOUR, PROGRESS_COLOUR, GRID_COLOUR = (
    "#5b6577",
    "#1f6f43",
    "#0b4f8a",
    "#d9dee7",
)


def progress_bar(percent: Decimal | None) -> str:
    """A bar filled to `percent` (0–100), with the figure beside it; "—" without one."""
    if percent is None:
        return "—"
    filled = float(percent) * BAR_WIDTH / 100
    label = _("%(percent)s%% of the way from baseline to target") % {"percent": f"{percent:.0f}"}
    return format_html(
        '<span class="progress"><svg role="img" width="{w}" height="{h}" viewBox="0 0 {w} {h}">'
        "<title>{label}</title>"
        '<rect width="{w}" height="{h}" rx="2" fill="#e4e7eb"/>'
        '<rect width="{filled}" height="{h}" rx="2" fill="#1f6f43"/></svg> {percent}%</span>',
        w=BAR_WIDTH,
        h=BAR_HEIGHT,
        filled=f"{filled:.1f}",
        label=label,
        percent=f"{percent:.0f}",
    )


@dataclasses.dataclass
class Point:
    date: datetime.date
    value: Decimal
    label: str  # what the figures table calls it: "baseline", "target" or the entry's note


# The drawing area inside a viewBox small enough that its text stays readable when the chart
# shrinks to a phone's width (the SVG scales to its container).
WIDTH, HEIGHT = 400, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 28, 40


def progress_chart(commitment, entries, *, empty="—") -> str:
    """The pledge from its baseline to its target over time, with every progress entry as a
    point on a line, and the same figures as a table; `empty` when there is nothing to draw."""
    entries = sorted(entries, key=lambda entry: (entry.date, entry.pk or 0))
    baseline, target = _ends(commitment, entries)
    points = [Point(entry.date, entry.value, entry.note) for entry in entries]
    shown = [point for point in (baseline, *points, target) if point]
    if not shown:
        return empty
    first = min(point.date for point in shown)
    last = max(point.date for point in shown)
    if first == last:
        first, last = first - datetime.timedelta(days=182), last + datetime.timedelta(days=183)
    values = [point.value for point in shown]
    low, high, step = _value_axis(min(values), max(values))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: datetime.date) -> str:
        return f"{LEFT + (day - first).days / (last - first).days * plot_width:.1f}"

    def y(value: Decimal) -> str:
        return f"{TOP + plot_height - float((value - low) / (high - low)) * plot_height:.1f}"

    ident = f"pledge-{commitment.pk}-chart"
    title = _("Progress of “%(title)s”") % {"title": _title(commitment)}
    levels = [low + step * n for n in range(int((high - low) / step) + 1)]
    svg = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" class="pledge-chart" width="{w}" '
        'height="{h}" viewBox="0 0 {w} {h}" style="max-width:100%;height:auto" '
        'aria-labelledby="{id}-title" aria-describedby="{id}-figures">'
        '<title id="{id}-title">{title}</title>'
        '<g class="grid" font-size="11" fill="{muted}">{y_ticks}{x_ticks}</g>'
        '<text class="unit" x="4" y="14" font-size="11" fill="{muted}">{unit}</text>'
        '<line x1="{left}" x2="{left}" y1="{top}" y2="{bottom}" stroke="{muted}"/>'
        '<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="{muted}"/>'
        "{plan}{target_line}{line}{entries}{baseline}{target}</svg>",
        w=WIDTH,
        h=HEIGHT,
        id=ident,
        title=title,
        muted=BASELINE_COLOUR,
        unit=_unit_label(commitment.unit),
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=TOP + plot_height,
        y_ticks=_value_ticks(levels, y),
        x_ticks=_day_ticks(first, last, x, TOP + plot_height),
        # The planned path from baseline to target, and the target's level.
        plan=format_html(
            '<line class="plan" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" '
            'stroke-dasharray="4 3"/>',
            x(baseline.date),
            y(baseline.value),
            x(target.date),
            y(target.value),
            BASELINE_COLOUR,
        )
        if baseline and target
        else "",
        target_line=format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-dasharray="2 3"/>',
            LEFT,
            WIDTH - RIGHT,
            y(target.value),
            y(target.value),
            TARGET_COLOUR,
        )
        if target
        else "",
        line=format_html(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
            " ".join(f"{x(p.date)},{y(p.value)}" for p in [baseline, *points] if p),
            PROGRESS_COLOUR,
        )
        if points
        else "",
        entries=format_html_join(
            "",
            '<circle class="entry" cx="{}" cy="{}" r="4" fill="{}"><title>{}</title></circle>',
            ((x(p.date), y(p.value), PROGRESS_COLOUR, _point_text(commitment, p)) for p in points),
        ),
        baseline=_marker(
            "baseline", baseline, x, y, _("baseline"), BASELINE_COLOUR, commitment, "start"
        ),
        target=_marker("target", target, x, y, _("target"), TARGET_COLOUR, commitment, "end"),
    )
    figures = format_html(
        '<table class="chart-figures" id="{}-figures"><caption>{}</caption>'
        '<thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
        "</tr></thead><tbody>{}</tbody></table>",
        ident,
        _("The chart's figures"),
        _("date"),
        _("value"),
        _("item"),
        format_html_join(
            "",
            '<tr><td>{}</td><td class="number">{}</td><td>{}</td></tr>',
            (
                (_date_text(point), _value_text(commitment, point, kind), what)
                for kind, point, what in _rows(baseline, points, target)
            ),
        ),
    )
    return format_html(
        '<figure class="pledge-figure"><figcaption>{}</figcaption>{}{}</figure>',
        title,
        svg,
        figures,
    )


def _value_ticks(levels, y) -> str:
    return format_html_join(
        "",
        '<line x1="{left}" x2="{right}" y1="{y}" y2="{y}" stroke="{colour}"/>'
        '<text x="{label_x}" y="{y}" text-anchor="end" dominant-baseline="middle">{label}</text>',
        (
            {
                "left": LEFT,
                "right": WIDTH - RIGHT,
                "y": y(level),
                "colour": GRID_COLOUR,
                "label_x": LEFT - 4,
                "label": _number(level),
            }
            for level in levels
        ),
    )


def _day_ticks(first, last, x, axis_y) -> str:
    marks, labels = [], []
    for day, label, mark in _date_ticks(first, last):
        if mark:
            marks.append((x(day), x(day), axis_y, axis_y + 5, BASELINE_COLOUR))
        if label:
            labels.append((x(day), axis_y + 17, label))
    return format_html(
        "{}{}",
        format_html_join("", '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}"/>', marks),
        format_html_join("", '<text x="{}" y="{}" text-anchor="middle">{}</text>', labels),
    )


def _ends(commitment, entries) -> tuple[Point | None, Point | None]:
    """The baseline at the start of its year (or of the first entry, or at the meeting that
    announced the pledge) and the target at the end of its year (or at the last entry)."""
    baseline = target = None
    if commitment.baseline_value is not None:
        if commitment.baseline_year:
            day = datetime.date(commitment.baseline_year, 1, 1)
        elif entries:
            day = entries[0].date
        else:
            day = _announced(commitment)
        if day:
            baseline = Point(day, commitment.baseline_value, _("baseline"))
    if commitment.target_value is not None:
        if commitment.target_year:
            day = datetime.date(commitment.target_year, 12, 31)
        elif entries:
            day = entries[-1].date
        else:
            day = None
        if day:
            target = Point(day, commitment.target_value, _("target"))
    return baseline, target


def _announced(commitment) -> datetime.date | None:
    meeting = commitment.meeting if commitment.meeting_id else None
    return meeting.period_start.date() if meeting else None


def _rows(baseline, points, target):
    if baseline:
        yield "baseline", baseline, _("baseline")
    for point in points:
        yield "entry", point, point.label or _("progress entry")
    if target:
        yield "target", target, _("target")


def _marker(kind, point, x, y, name, colour, commitment, anchor) -> str:
    """The baseline as a square, the target as a diamond, each labelled with its figure."""
    if point is None:
        return ""
    cx, cy = float(x(point.date)), float(y(point.value))
    shape = (
        format_html(
            '<rect x="{}" y="{}" width="9" height="9" fill="#fff" stroke="{}" stroke-width="2"/>',
            f"{cx - 4.5:.1f}",
            f"{cy - 4.5:.1f}",
            colour,
        )
        if kind == "baseline"
        else format_html(
            '<path d="M{} {}l6 6l-6 6l-6-6z" fill="{}"/>', f"{cx:.1f}", f"{cy - 6:.1f}", colour
        )
    )
    # Under the point where there is room (the planned path rises above a baseline), else
    # over it.
    label_y = cy + 18 if cy + 18 < HEIGHT - BOTTOM - 4 else cy - 10
    return format_html(
        '<g class="{}">{}<text x="{}" y="{}" text-anchor="{}" font-size="11" fill="{}">'
        "{} {}</text></g>",
        kind,
        shape,
        f"{cx:.1f}",
        f"{label_y:.1f}",
        anchor,
        colour,
        name,
        _value_text(commitment, point, kind),
    )


def _title(commitment) -> str:
    if get_language() == "en" and commitment.title_en:
        return commitment.title_en
    return commitment.title


def _value_text(commitment, point, kind) -> str:
    text = format_quantity(point.value, commitment.unit)
    if kind == "baseline":
        return qualified(text, commitment.baseline_qualifier)
    return text


def _point_text(commitment, point) -> str:
    return f"{_date_text(point)}: {_value_text(commitment, point, 'entry')}"


def _date_text(point) -> str:
    return date_format(point.date, "DATE_FORMAT")


# The value axis's unit when values are counted in larger units of won (Korean, English).
WON_AXIS_UNITS = {
    "만원": ("만 원", "10,000 won"),
    "억원": ("억 원", "100 million won"),
    "조원": ("조 원", "trillion won"),
}


def _unit_label(unit: str) -> str:
    if unit in WON_AXIS_UNITS:
        korean, english = WON_AXIS_UNITS[unit]
        return english if get_language() == "en" else korean
    return unit


def _number(value: Decimal) -> str:
    return f"{value.normalize():,f}"


def _value_axis(low: Decimal, high: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """Round bounds and a step of 1, 2 or 5 × 10ⁿ for about four intervals; from zero when
    every value is positive, so that a change is not drawn larger than it is."""
    low = min(low, Decimal(0))
    span = (high - low) or abs(high) or Decimal(1)
    raw = span / 4
    magnitude = Decimal(10) ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return (
        (low / step).to_integral_value(rounding="ROUND_FLOOR") * step,
        (high / step).to_integral_value(rounding="ROUND_CEILING") * step,
        step,
    )


def _date_ticks(first: datetime.date, last: datetime.date):
    """(day, label, whether to mark the axis there). Over two years and more: a mark at each
    new year and the year's number in the middle of its span (every second one beyond eight
    years), so a target "by 2030" sits at the end of 2030's span. Under two years: a mark each
    quarter, labelled each half-year beyond a year."""
    if (last - first).days >= 2 * 365:
        years = range(first.year, last.year + 1)
        every = 2 if len(years) > 8 else 1
        for year in years:
            start = datetime.date(year, 1, 1)
            if first <= start:
                yield start, "", True
            if not (year - first.year) % every and first <= datetime.date(year, 7, 1) <= last:
                yield datetime.date(year, 7, 1), str(year), False
        return
    every = 6 if (last - first).days > 366 else 3
    month = (first.month - 1) // 3 * 3 + 1
    day = datetime.date(first.year, month, 1)
    while day <= last:
        if day >= first:
            yield day, date_format(day, "Y.n") if (day.month - 1) % every == 0 else "", True
        month = day.month + 3
        day = datetime.date(day.year + (month > 12), (month - 1) % 12 + 1, 1)
