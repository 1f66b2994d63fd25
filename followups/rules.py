"""Who may change what in a request: one rule that the admin and the API share.

Which requests a user may see at all is `selectors.requests_visible_to`; which steps a request
may take is the model's workflow (`StakeholderRequest.TRANSITIONS`).
"""

from . import selectors

# A ministry officer answers their ministry's requests: these fields, and no others.
OFFICER_WRITABLE = frozenset({"status", "response", "due_date", "notes"})


def answer_held(request) -> bool:
    """Whether the request's answer waits for a coordinator to publish it (its series holds
    answers) before it reaches the company and the public."""
    return request.meeting.series.holds_answers


def may_publish(user) -> bool:
    """Coordinators publish answers; ministry officers draft them."""
    return user.has_perm("followups.change_stakeholderrequest") and not (
        selectors.is_ministry_officer(user)
    )


def may_edit_field(user, name: str) -> bool:
    """Whether `user` may change the field `name` of a request they may change at all."""
    return name in OFFICER_WRITABLE or not selectors.is_ministry_officer(user)
