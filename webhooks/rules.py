"""Who may manage webhooks and what a subscription may receive: its owner's sight, asked of
the rules of the apps that own the data (events.rules, followups.selectors)."""

from events import rules as meeting_rules
from followups import selectors as request_selectors

MANAGE = "webhooks.add_subscription"


def may_manage_webhooks(user) -> bool:
    """Coordinators, and anyone given the permission to add webhook subscriptions."""
    return user.has_perm(MANAGE)


def receives_meetings(owner) -> bool:
    return owner.is_active and owner.has_perm("events.view_meeting")


def receives_internal_meetings(owner) -> bool:
    return meeting_rules.sees_internal_meetings(owner)


def receives_request(owner, request) -> bool:
    """The owner may read the request: its meeting, and (an officer) their ministry's only."""
    return (
        owner.is_active
        and owner.has_perm("followups.view_stakeholderrequest")
        and meeting_rules.may_see_meeting(owner, request.meeting)
        and request_selectors.is_visible_to(owner, request)
    )
