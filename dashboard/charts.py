"""Stacked bars drawn on the server as SVG (see pledges.charts): no script, no CDN."""

from django.utils.html import format_html, format_html_join

from followups.models import StakeholderRequest

Status = StakeholderRequest.Status
# Open work in warm colours, finished work in cool ones; each reads on white (WCAG 1.4.11).
STATUS_COLOURS = {
    Status.NEW: "#b42318",
    Status.ASSIGNED: "#b54708",
    Status.IN_PROGRESS: "#8a6d00",
    Status.ANSWERED: "#1f6f43",
    Status.CLOSED: "#3b5b7a",
    Status.DECLINED: "#6b4e8a",
}


def status_bar(by_status: dict, scale: int, width: int = 240, height: int = 14) -> str:
    """One bar per meeting or ministry: a segment per status, `scale` requests = full width."""
    if not scale:
        return ""
    x, segments, described = 0.0, [], []
    for status, colour in STATUS_COLOURS.items():
        count = by_status.get(status, 0)
        if not count:
            continue
        size = count * width / scale
        segments.append(
            (f"{x:.1f}", f"{size:.1f}", height, colour, f"{Status(status).label} {count}")
        )
        described.append(f"{Status(status).label} {count}")
        x += size
    return format_html(
        '<svg role="img" width="{}" height="{}" viewBox="0 0 {} {}"><title>{}</title>{}</svg>',
        width,
        height,
        width,
        height,
        ", ".join(described),
        format_html_join(
            "",
            '<rect x="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
            segments,
        ),
    )


def legend() -> str:
    return format_html_join(
        " ",
        '<span class="legend"><svg width="10" height="10" aria-hidden="true">'
        '<rect width="10" height="10" fill="{}"/></svg> {}</span>',
        ((colour, Status(status).label) for status, colour in STATUS_COLOURS.items()),
    )
