"""What this app holds about people and organizations (stakeholders.holders)."""

from stakeholders import holders

from .models import Feedback, FeedbackInvitation


def submitters_forget(erasure: holders.Erasure) -> None:
    """The name and position an erased contact typed when they sent their organization's
    feedback go, from the feedback and its past versions; what it says stays."""
    erased = {"submitter_name": erasure.placeholder, "submitter_position": ""}
    Feedback.objects.filter(submitted_by=erasure.person).update(**erased)
    Feedback.history.filter(submitted_by_id=erasure.person.pk).update(**erased)


holders.register(
    holders.Holder(
        model=FeedbackInvitation,
        people=("person",),
        organizations=("organization",),
        traces=(("person", "created_at"),),
    )
)
holders.register(
    holders.Holder(
        model=Feedback,
        people=("submitted_by",),
        organizations=("organization",),
        details=("submitter_name", "submitter_position"),
        kept=("comments",),  # the organization's, as its requests are
        forget=submitters_forget,
        fold=Feedback.merge_into_duplicate,
        traces=(("submitted_by", "updated_at"),),
    )
)
