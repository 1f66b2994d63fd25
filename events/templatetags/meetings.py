from django import template

from events.dates import meeting_when

register = template.Library()


@register.filter
def when(meeting) -> str:
    """A meeting's date or time as people read it (events.dates.meeting_when)."""
    return meeting_when(meeting)
