from django import template

register = template.Library()


@register.filter
def minutes(duration) -> int:
    """A timedelta in whole minutes, rounded up ("try again in 30 minutes")."""
    return -(-int(duration.total_seconds()) // 60)
