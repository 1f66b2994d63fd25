"""Writes of stakeholder requests. The admin, API, feedback form and seed call these."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from files import checks
from notifications import registry
from notifications import services as mail
from stakeholders.models import Organization

from . import reminders, texts
from .models import RequestAttachment, StakeholderRequest


@transaction.atomic
def request_save(*, request: StakeholderRequest, commitments=None) -> StakeholderRequest:
    """Validates and stores a request; every entry point goes through here.

    The model refuses a transition its workflow does not allow. The first answer, decline or
    close sets `responded_at`. A reassignment to another ministry is noted in the history.
    Assigning emails the officer (or the ministry's contacts); answering or declining emails
    the company the response."""
    before = getattr(request, "stored", {})
    if request.status in StakeholderRequest.DONE_STATUSES and request.responded_at is None:
        request.responded_at = timezone.now()
    request.full_clean()
    reassigned = before.get("ministry_id") and request.ministry_id != before["ministry_id"]
    if reassigned:
        request._change_reason = _("Reassigned from %(before)s to %(after)s") % {
            "before": Organization.objects.get(pk=before["ministry_id"]).name,
            "after": request.ministry.name if request.ministry_id else "—",
        }
    request.save()
    if commitments is not None:
        request.commitments.set(commitments)
    _notify(request, before)
    request.remember_stored()
    return request


def request_create(*, commitments=(), **fields) -> StakeholderRequest:
    return request_save(request=StakeholderRequest(**fields), commitments=commitments)


@transaction.atomic
def request_reword(*, request: StakeholderRequest, category, text) -> StakeholderRequest:
    """The company's own change to what it asked (the feedback form): category and text only.
    Never a transition, so it emails no one; the ministry, status and officer stay as the
    database holds them, whatever this copy of the request says."""
    request.category, request.text = category, text
    request.full_clean()
    request.save(update_fields=["category", "text", "updated_at"])
    request.remember_stored()
    return request


def attachment_add(*, request: StakeholderRequest, upload, person=None) -> RequestAttachment:
    """Stores an uploaded file with a request, after checking its type by its content."""
    attachment = RequestAttachment(request=request, uploaded_by=person, **checks.described(upload))
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    return attachment


ASSIGNED_OUTBOX = "followups.assigned"
ANSWERED_OUTBOX = "followups.answered"


def _notify(request, before) -> None:
    """The emails a change of status or ministry sends; none for a new row (an import or the
    record of an earlier meeting), none for a save that changes neither."""
    if not before:
        return
    status, moved = request.status, request.ministry_id != before.get("ministry_id")
    Status = StakeholderRequest.Status
    if request.ministry_id and (
        (status == Status.ASSIGNED and before["status"] != Status.ASSIGNED)
        or (moved and status in StakeholderRequest.OPEN_STATUSES)
    ):
        _queue(request, ASSIGNED_OUTBOX, texts.ASSIGNED, reminders.officers_of(request))
    elif status in StakeholderRequest.NEEDS_RESPONSE and before["status"] != status:
        _queue(request, ANSWERED_OUTBOX, texts.ANSWERED, submitters_of(request))


def submitters_of(request) -> list[registry.Recipient]:
    """The contact who raised the request, or else the organization's contacts. An answer is
    what they asked for, so it goes even to a contact who takes no reminders."""
    person = request.person
    if person is not None and person.email:
        return [registry.person_recipient(person)]
    return registry.people(request.organization.people.all())


def _queue(request, kind, wording, recipients) -> None:
    dues = [
        registry.Due(
            recipient=recipient,
            subject_type="followups.stakeholderrequest",
            subject_id=str(request.pk),
            occurrence=f"{request.status}@{request.updated_at.isoformat()}",
            context={
                "request": request,
                "meeting": request.meeting,
                "short_text": request.excerpt(40),
                "category": request.get_category_display(),
                "status": request.get_status_display(),
                "url": reminders.request_url(request),
            },
        )
        for recipient in recipients
    ]
    mail.message_queue(kind=kind, wording=wording, dues=dues)
