"""Asking for feedback and storing what companies send. The admin action, the API, the rules
and the form all call these."""

from django.db import transaction
from django.utils import formats, timezone

from events.reminders import meeting_context, recipients_of
from followups import services as requests
from followups.models import StakeholderRequest
from notifications import links, registry
from notifications import services as mail
from notifications.models import ReminderRule
from stakeholders.models import Organization

from . import texts, tokens
from .models import Feedback, FeedbackInvitation, feedback_deadline

REQUEST_KIND = "feedback.request"
NON_RESPONDER_KIND = "feedback.non_responder"
# The manual ask and the rule share it, so a contact is invited once per meeting.
INVITATION_OUTBOX = "feedback-invitation"
CONFIRMATION_OUTBOX = "feedback-confirmation"


def invitation_for(*, meeting, person) -> FeedbackInvitation:
    invitation, _ = FeedbackInvitation.objects.get_or_create(
        meeting=meeting,
        person=person,
        defaults={
            "organization_id": person.organization_id,
            **links.new_salt_and_hash(tokens.PURPOSE),
        },
    )
    return invitation


def invitations_revoke(*, invitations) -> int:
    """Withdraws feedback links: they answer 410 and later emails with them are not sent."""
    return invitations.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def email_context(meeting, **extra) -> dict:
    deadline = formats.date_format(timezone.localtime(feedback_deadline(meeting)), "DATE_FORMAT")
    return {**meeting_context(meeting), "deadline": deadline, **extra}


def invitation_dues(meeting) -> list[registry.Due]:
    """One invitation per contact of every attending organization that is not a ministry
    (the people named on its attendance, else all its contacts who accept email)."""
    attendances = (
        meeting.attendances.exclude(organization__kind=Organization.Kind.MINISTRY)
        .select_related("meeting", "person", "organization")
        .prefetch_related("organization__people")
    )
    found = {
        recipient.person_id: (attendance.organization_id, recipient)
        for attendance, recipient in recipients_of(attendances).values()
    }
    invitations = _invitations(meeting, found)
    context = email_context(meeting)
    dues = []
    for person_id, (_organization_id, recipient) in found.items():
        invitation = invitations[person_id]
        if invitation.revoked_at:
            continue
        dues.append(
            registry.Due(
                recipient=recipient,
                subject_type="events.meeting",
                subject_id=str(meeting.pk),
                occurrence="",
                context=context,
                outbox_kind=INVITATION_OUTBOX,
                link_ref=f"feedback:{invitation.pk}",
            )
        )
    return dues


def _invitations(meeting, wanted) -> dict:
    """The meeting's invitations of the `wanted` people ({person id: (organization id, …)}),
    the missing ones created: the rule asks every minute, so this costs three queries at
    most, not one per contact."""
    invitations = meeting.feedback_invitations.filter(person_id__in=wanted)
    found = {invitation.person_id: invitation for invitation in invitations}
    missing = [
        FeedbackInvitation(
            meeting=meeting,
            person_id=person_id,
            organization_id=organization_id,
            **links.new_salt_and_hash(tokens.PURPOSE),
        )
        for person_id, (organization_id, _recipient) in wanted.items()
        if person_id not in found
    ]
    if missing:
        # Another scan may be creating the same ones: the database keeps one of each.
        FeedbackInvitation.objects.bulk_create(missing, ignore_conflicts=True)
        found.update({invitation.person_id: invitation for invitation in invitations.all()})
    return found


def request_rule() -> ReminderRule:
    """The rule whose wording invitations use; its built-in wording if it was deleted."""
    rule = ReminderRule.objects.filter(kind=REQUEST_KIND).order_by("-enabled", "pk").first()
    return rule or ReminderRule(kind=REQUEST_KIND, **texts.REQUEST)


@transaction.atomic
def feedback_request(*, meeting) -> int:
    """Invites the meeting's company contacts now; returns how many invitations were queued.
    Asking again emails nobody twice; a contact added since gets theirs."""
    return mail.dues_queue(request_rule(), invitation_dues(meeting))


def organization_requests(meeting, organization):
    return StakeholderRequest.objects.filter(
        meeting=meeting,
        organization=organization,
        source=StakeholderRequest.Source.FEEDBACK_FORM,
    ).order_by("id")


@transaction.atomic
def feedback_submit(*, invitation, comments, name, position, items, removed=()) -> Feedback:
    """Stores the organization's feedback: `items` are dicts of category, text and ministry,
    with `request` set for one being edited, and optionally `files` to attach and
    `remove_files` (attachment ids) to drop. Only requests no ministry has touched yet (status
    new) are changed or removed."""
    meeting, organization, person = invitation.meeting, invitation.organization, invitation.person
    fields = {
        "comments": comments,
        "submitter_name": name,
        "submitter_position": position,
        "submitted_by": person,
    }
    feedback, created = Feedback.objects.select_for_update().get_or_create(
        meeting=meeting, organization=organization, defaults=fields
    )
    if not created:
        for field, value in fields.items():
            setattr(feedback, field, value)
        feedback.save()
    editable = organization_requests(meeting, organization).filter(
        status=StakeholderRequest.Status.NEW
    )
    editable.filter(pk__in=[r.pk for r in removed]).delete()
    for item in items:
        request = item.get("request")
        fields = {"category": item["category"], "text": item["text"], "ministry": item["ministry"]}
        if request is not None:
            if not editable.filter(pk=request.pk).exists():
                continue
            for field, value in fields.items():
                setattr(request, field, value)
            requests.request_save(request=request)
        else:
            request = requests.request_create(
                meeting=meeting,
                organization=organization,
                person=person,
                source=StakeholderRequest.Source.FEEDBACK_FORM,
                status=StakeholderRequest.Status.NEW,
                **fields,
            )
        request.attachments.filter(pk__in=item.get("remove_files", ())).delete()
        for upload in item.get("files", ()):
            requests.attachment_add(request=request, upload=upload, person=person)
    FeedbackInvitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(
        answered_at=timezone.now()
    )
    _confirm(invitation, feedback)
    return feedback


def _confirm(invitation, feedback) -> None:
    """A confirmation for each submission, with a summary and the link."""
    submitted = list(organization_requests(invitation.meeting, invitation.organization))
    person = invitation.person
    if not person.email:
        return
    # Sent even to contacts who take no reminders: they asked for this by submitting.
    due = registry.Due(
        recipient=registry.person_recipient(person),
        subject_type="feedback.feedback",
        subject_id=str(feedback.pk),
        occurrence=feedback.updated_at.isoformat(),
        context=email_context(
            invitation.meeting,
            organization=invitation.organization,
            requests=submitted,
            comments=feedback.comments,
        ),
        link_ref=f"feedback:{invitation.pk}",
    )
    mail.message_queue(kind=CONFIRMATION_OUTBOX, wording=texts.CONFIRMATION, dues=[due])
