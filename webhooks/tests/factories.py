from webhooks import services
from webhooks.models import EventType


def subscription(owner, *, url="https://hooks.example.com/roundtable", events=None, **fields):
    return services.subscription_create(
        owner=owner, url=url, events=events or EventType.values, **fields
    )
