"""Who may do what with meetings: plain predicates that the admin, API, public pages, feeds,
calendar sync (and CalDAV) and tasks share, so that each rule is written once.

They take what they judge (a user, a meeting) and import no model, so that the models may
use them too (MeetingQuerySet.visible_to).
"""

INTERNAL_MEETINGS = "events.view_internal_meeting"
# Sending invitations creates attendance reply links: it is for those who may manage them.
SEND_INVITATIONS = "events.add_attendancereply"


def sees_internal_meetings(user) -> bool:
    """Internal meetings are for users with "view internal meetings" (all three groups);
    everyone else, the public included, sees the public ones."""
    return user.has_perm(INTERNAL_MEETINGS)


def may_see_meeting(user, meeting) -> bool:
    return meeting.is_public or sees_internal_meetings(user)


def may_send_invitations(user) -> bool:
    """Who may email a meeting's invited attendees their invitation and reply link."""
    return user.has_perm(SEND_INVITATIONS)
