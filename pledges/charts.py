"""Small charts drawn on the server as SVG: no script, nothing loaded from elsewhere, and
readable by screen readers through their titles."""

import datetime
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

BAR_WIDTH, BAR_HEIGHT = 120, 10


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


def progress_chart(commitment, entries, width=320, height=120) -> str:
    """Progress entries over time as a line, between dashed baseline and target lines."""
    points = [(entry.date, entry.value) for entry in entries]
    if not points:
        return "—"
    levels = [value for _, value in points]
    for level in (commitment.baseline_value, commitment.target_value):
        if level is not None:
            levels.append(level)
    low, high = min(levels), max(levels)
    span = (high - low) or Decimal(1)
    first, last = points[0][0], points[-1][0]
    days = (last - first).days or 1
    pad = 8

    def x(day: datetime.date) -> float:
        return pad + (day - first).days / days * (width - 2 * pad)

    def y(value: Decimal) -> float:
        return height - pad - float((value - low) / span) * (height - 2 * pad)

    guides = [
        (y(level), colour)
        for level, colour in (
            (commitment.baseline_value, "#8a939c"),
            (commitment.target_value, "#1f6f43"),
        )
        if level is not None
    ]
    line = " ".join(f"{x(day):.1f},{y(value):.1f}" for day, value in points)
    title = _("Progress of “%(title)s”: %(points)s") % {
        "title": commitment.title,
        "points": ", ".join(f"{day:%Y-%m-%d} {value.normalize():f}" for day, value in points),
    }
    return format_html(
        '<svg role="img" class="progress-chart" width="{w}" height="{h}" '
        'viewBox="0 0 {w} {h}"><title>{title}</title>{guides}'
        '<polyline points="{line}" fill="none" stroke="#0b4f8a" stroke-width="2"/>{dots}</svg>',
        w=width,
        h=height,
        title=title,
        guides=format_html_join(
            "",
            '<line x1="0" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-dasharray="4 3"/>',
            ((width, f"{level:.1f}", f"{level:.1f}", colour) for level, colour in guides),
        ),
        line=line,
        dots=format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="3" fill="#0b4f8a"/>',
            ((f"{x(day):.1f}", f"{y(value):.1f}") for day, value in points),
        ),
    )
