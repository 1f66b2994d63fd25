"""Reminder kinds about feedback: the request after a meeting, and the chaser before the
deadline to organizations that have not answered."""

import datetime
from types import SimpleNamespace

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from events.models import Meeting
from events.reminders import meeting_context, sample_meeting
from notifications import registry

from . import services
from .models import DEFAULT_WINDOW, Feedback, FeedbackInvitation, feedback_deadline
from .texts import FEEDBACK_VARIABLES, NON_RESPONDER_RULE, REQUEST_RULE

DAY = datetime.timedelta(days=1)


def _in_window(moment, rule, now) -> bool:
    return now - rule.grace <= moment <= now


def request_meetings(rule, now, until=None):
    """Meetings that ended `offset` before `now` (or before some moment up to `until`), within
    the grace window, and take place with their attendees."""
    return Meeting.objects.expecting_attendees().ended_between(
        now - rule.grace - rule.offset, (until or now) - rule.offset
    )


def request_due(rule, now):
    """`offset` after a meeting ends (Meeting.ends: all-day meetings end at 18:00 on their
    last day), if it takes place with its attendees."""
    for meeting in request_meetings(rule, now):
        yield from services.invitation_dues(meeting)


def deadline_meetings(rule, now, until=None):
    """Two querysets, the meetings whose feedback deadline (their own, or 14 days after they
    end) is about `offset` from `now` (or from some moment up to `until`), give or take a day:
    two indexed ranges rather than one OR across two columns, which no index serves."""
    low, high = now - rule.grace + rule.offset - DAY, (until or now) + rule.offset + DAY
    standing = Meeting.objects.standing()
    return [
        standing.filter(feedback_deadline__gte=low, feedback_deadline__lte=high),
        standing.filter(feedback_deadline__isnull=True).ended_between(
            low - DEFAULT_WINDOW, high - DEFAULT_WINDOW
        ),
    ]


def non_responder_due(rule, now):
    """`offset` before the feedback deadline, to the invited contacts of organizations that
    have sent nothing yet."""
    own, default = deadline_meetings(rule, now)
    for meeting in {*own, *default}:
        deadline = feedback_deadline(meeting)
        if deadline <= now or not _in_window(deadline - rule.offset, rule, now):
            continue
        answered = Feedback.objects.filter(meeting=meeting, organization=OuterRef("organization"))
        invitations = (
            FeedbackInvitation.objects.filter(meeting=meeting, revoked_at__isnull=True)
            .exclude(Exists(answered))
            .select_related("person", "organization")
        )
        context = services.email_context(meeting)
        for invitation in invitations:
            for recipient in registry.people([invitation.person]):
                yield registry.Due(
                    recipient=recipient,
                    subject_type="events.meeting",
                    subject_id=str(meeting.pk),
                    occurrence=deadline.isoformat(),
                    context={**context, "organization": invitation.organization},
                    link_ref=f"feedback:{invitation.pk}",
                )


def _sample():
    return {
        **meeting_context(sample_meeting()),
        "deadline": "2025년 10월 3일",
        "organization": SimpleNamespace(name="포스코", name_en="POSCO"),
        "link": "http://127.0.0.1:8000/feedback/…/",
    }


registry.register(
    registry.RuleKind(
        key=services.REQUEST_KIND,
        label=_("Feedback request after a meeting"),
        description=_(
            "Sent `offset` after a meeting ends (an all-day meeting ends at 18:00 on its last "
            "day) to the contacts of every attending company, each with a personal link to the "
            "feedback form. The coordinators' manual ask sends the same invitation: nobody "
            "gets it twice."
        ),
        find_due=request_due,
        candidates=lambda rule, now, until: [request_meetings(rule, now, until)],
        sample_context=_sample,
        variables=FEEDBACK_VARIABLES,
        default=REQUEST_RULE,
    )
)
registry.register(
    registry.RuleKind(
        key=services.NON_RESPONDER_KIND,
        label=_("Reminder to organizations that have not answered"),
        description=_(
            "Sent `offset` before the feedback deadline to the invited contacts of "
            "organizations that have sent no feedback yet."
        ),
        find_due=non_responder_due,
        candidates=deadline_meetings,
        sample_context=_sample,
        variables=FEEDBACK_VARIABLES,
        bulk=True,
        default=NON_RESPONDER_RULE,
    )
)
