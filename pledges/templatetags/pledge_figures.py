"""A pledge's progress on the public pages, read from its prefetched progress entries (the
page prefetches `progress_entries`, so a list of pledges costs one query more, not one each)."""

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from pledges import charts
from pledges.formatting import format_quantity

register = template.Library()


@register.filter
def latest_progress(commitment) -> str:
    """ "12% (2026년 9월 30일) · 목표 40%" with the bar of how far that is; "—" for a pledge
    without a target."""
    if commitment.target_value is None:
        return "—"
    entries = sorted(commitment.progress_entries.all(), key=lambda e: (e.date, e.pk))
    target = _("target %(value)s") % {
        "value": format_quantity(commitment.target_value, commitment.unit)
    }
    if not entries:
        return format_html(
            '{} <span class="note">· {}</span>', _("No progress reported yet"), target
        )
    latest = entries[-1]
    return format_html(
        '{} <span class="note">({}) · {}</span> {}',
        format_quantity(latest.value, commitment.unit),
        date_format(latest.date, "DATE_FORMAT"),
        target,
        charts.progress_bar(commitment.progress_percent(latest.value)),
    )
