"""Asking for feedback and storing what companies send. The admin action, the API, the rules
and the form all call these."""

import dataclasses
import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext

from events import dates
from events import services as meetings
from events.reminders import meeting_context
from followups import services as requests
from followups.models import StakeholderRequest
from notifications import registry
from notifications import services as mail
from notifications.models import ReminderRule

from . import selectors, texts
from .models import Feedback, FeedbackInvitation, FeedbackSubmission, feedback_deadline

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
            **FeedbackInvitation.new_secret(),
        },
    )
    return invitation


def email_context(meeting, **extra) -> dict:
    deadline = formats.date_format(timezone.localtime(feedback_deadline(meeting)), "DATE_FORMAT")
    return {**meeting_context(meeting), "deadline": deadline, **extra}


def invitation_dues(meeting) -> list[registry.Due]:
    """One invitation per contact of every attending organization that is not a ministry
    (the people named on its attendance, else all its contacts who accept email)."""
    found = selectors.invitation_recipients(meeting)
    invitations = _invitations(meeting, found)
    context = email_context(meeting)
    dues = []
    for person_id, (_attendance, recipient) in found.items():
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
    """The meeting's invitations of the `wanted` people ({person id: (attendance, …)}),
    the missing ones created: the rule asks every minute, so this costs three queries at
    most, not one per contact."""
    invitations = meeting.feedback_invitations.filter(person_id__in=wanted)
    found = {invitation.person_id: invitation for invitation in invitations}
    missing = [
        FeedbackInvitation(
            meeting=meeting,
            person_id=person_id,
            organization_id=attendance.organization_id,
            **FeedbackInvitation.new_secret(),
        )
        for person_id, (attendance, _recipient) in wanted.items()
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
def feedback_request(*, meeting, reopen_until=None) -> int:
    """Invites the meeting's company contacts now; returns how many invitations were queued.
    Asking again emails nobody twice; a contact added since gets theirs.

    `reopen_until` (a moment to come) is a new deadline for a window that has closed: the
    meeting's deadline becomes it, so the links work again, and every contact, invited
    before or not, is emailed it, once per new deadline."""
    if reopen_until is None:
        return mail.due_queue(rule=request_rule(), dues=invitation_dues(meeting))
    if reopen_until <= timezone.now():
        raise ValueError("A reopened feedback window must end in the future.")
    # The meeting's history says why its deadline moved.
    meeting._change_reason = gettext("Feedback reopened until %(deadline)s") % {
        "deadline": dates.moment(reopen_until)
    }
    meetings.meeting_update(meeting=meeting, feedback_deadline=reopen_until)
    dues = [
        dataclasses.replace(due, occurrence=f"reopened until {reopen_until.isoformat()}")
        for due in invitation_dues(meeting)
    ]
    return mail.due_queue(rule=request_rule(), dues=dues)


def answer_page(request, recipient) -> str:
    """The outbox reference of the recipient's feedback form for the request's meeting, for
    the email that answers the request: while the form opens (the link not revoked, its
    contact still at the organization, before the deadline); "" (no link) otherwise."""
    if recipient.person_id is None or timezone.now() > feedback_deadline(request.meeting):
        return ""
    invitation = (
        FeedbackInvitation.objects.working()
        .filter(
            meeting_id=request.meeting_id,
            person_id=recipient.person_id,
            organization_id=request.organization_id,
            person__organization_id=request.organization_id,
        )
        .first()
    )
    return f"{FeedbackInvitation.LINK_KIND}:{invitation.pk}" if invitation else ""


requests.company_page_register(answer_page)


def organization_requests(meeting, organization):
    return StakeholderRequest.objects.filter(
        meeting=meeting,
        organization=organization,
        source=StakeholderRequest.Source.FEEDBACK_FORM,
    ).order_by("id")


class AlreadySubmitted(Exception):
    """This very form (its one-time key, the same content) was stored before: a double click."""


class Stale(Exception):
    """The feedback changed since the form was rendered (a colleague saved it, a ministry took
    one of its requests up, the form was sent before with other content): nothing was saved."""


@transaction.atomic
def feedback_submit(
    *, invitation, comments, name, position, items, removed=(), key=None, seen_version=None
) -> Feedback:
    """Stores the organization's feedback: `items` are dicts of category and text, with
    `request_id` set for one being edited, and optionally `files` to attach and `remove_files`
    (attachment ids) to drop; `removed` are the ids of requests to delete. Only requests no
    ministry has touched yet (status new) are changed or removed, and never their ministry,
    status or officer: saving the form emails no one at the ministries.

    The form passes its one-time `key` (sent again with the same content: AlreadySubmitted,
    nothing stored twice) and the feedback's `version` it showed (`seen_version`, 0 for none
    yet): when the feedback has changed since, or a request it showed can no longer be
    edited, Stale is raised and nothing is saved."""
    meeting, organization, person = invitation.meeting, invitation.organization, invitation.person
    if key is not None:
        _record_submission(invitation, key, _digest(comments, name, position, items, removed))
    feedback = (
        Feedback.objects.select_for_update()
        .filter(meeting=meeting, organization=organization)
        .first()
    )
    if seen_version is not None and seen_version != (feedback.version if feedback else 0):
        raise Stale
    editable = {
        request.pk: request
        for request in organization_requests(meeting, organization)
        .filter(status=StakeholderRequest.Status.NEW)
        .select_for_update()
    }
    shown = {item["request_id"] for item in items if item.get("request_id")} | set(removed)
    if shown - editable.keys():
        raise Stale  # removed by a colleague, taken up by a ministry, or never this company's
    fields = {
        "comments": comments,
        "submitter_name": name,
        "submitter_position": position,
        "submitted_by": person,
    }
    if feedback is None:
        try:
            with transaction.atomic():
                feedback = Feedback.objects.create(
                    meeting=meeting, organization=organization, **fields
                )
        except IntegrityError:  # a colleague's first feedback, committed meanwhile
            if seen_version is not None:
                raise Stale from None
            feedback = Feedback.objects.select_for_update().get(
                meeting=meeting, organization=organization
            )
            feedback = _changed(feedback, fields)
    else:
        feedback = _changed(feedback, fields)
    organization_requests(meeting, organization).filter(pk__in=removed).delete()
    for item in items:
        request = editable.get(item.get("request_id"))
        if request is None:
            request = requests.request_create(
                meeting=meeting,
                organization=organization,
                person=person,
                source=StakeholderRequest.Source.FEEDBACK_FORM,
                status=StakeholderRequest.Status.NEW,
                category=item["category"],
                text=item["text"],
            )
        elif (request.category, request.text) != (item["category"], item["text"]):
            requests.request_reword(request=request, category=item["category"], text=item["text"])
        request.attachments.filter(pk__in=item.get("remove_files", ())).delete()
        for upload in item.get("files", ()):
            requests.attachment_add(request=request, upload=upload, person=person)
    FeedbackInvitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(
        answered_at=timezone.now()
    )
    _confirm(invitation, feedback)
    return feedback


def _changed(feedback, fields) -> Feedback:
    for field, value in fields.items():
        setattr(feedback, field, value)
    feedback.save()  # raises its version
    return feedback


def _digest(comments, name, position, items, removed) -> str:
    """What a submission asks for, as one hash: the same form sent twice has the same."""
    content = [
        comments,
        name,
        position,
        sorted(removed),
        [
            [
                item.get("request_id"),
                item["category"],
                item["text"],
                sorted(item.get("remove_files", ())),
                [[upload.name, upload.size] for upload in item.get("files", ())],
            ]
            for item in items
        ],
    ]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def _record_submission(invitation, key, digest) -> None:
    """Records the form's one-time key, once (a database constraint): a second send of the
    same form waits for the first to commit, then finds its key."""
    try:
        with transaction.atomic():
            FeedbackSubmission.objects.create(invitation=invitation, key=key, digest=digest)
    except IntegrityError:
        earlier = FeedbackSubmission.objects.filter(key=key).first()
        if earlier is not None and earlier.digest == digest:
            raise AlreadySubmitted from None
        raise Stale from None  # the page was sent before with other content


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
