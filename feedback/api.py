from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema

from events.api import MeetingEmailsView

from . import services
from .models import FeedbackInvitation


@extend_schema(summary=_("Ask the attending companies for feedback"))
class FeedbackRequestView(MeetingEmailsView):
    """Invites the meeting's company contacts to give feedback (README, Company feedback)."""

    # Asking is for those who may manage invitations: coordinators.
    queryset = FeedbackInvitation.objects.none()

    def queue(self, meeting) -> int:
        return services.feedback_request(meeting=meeting)
