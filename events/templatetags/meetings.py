from django import template
from django.conf import settings

from events import dates

register = template.Library()


@register.filter
def when(meeting) -> str:
    """A meeting's date or time as people read it (events.dates.meeting_when)."""
    return dates.meeting_when(meeting)


@register.filter
def moment(value) -> str:
    """A point in time as people read it: "2025년 9월 19일 오후 2:00" (events.dates.moment)."""
    return dates.moment(value) if value else ""


@register.inclusion_tag("events/reply_contact.html")
def contact(meeting):
    """Whom a company writes to about `meeting` once its personal link no longer works: its
    host, at the ministry's contact address (MINISTRY_CONTACT_EMAIL)."""
    return {"host": meeting.host if meeting else "", "email": settings.MINISTRY_CONTACT_EMAIL}
