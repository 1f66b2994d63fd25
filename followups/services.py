"""Writes of stakeholder requests. The admin, API, feedback form and seed call these.

A request is created and edited (`request_create`, `request_update`), and it takes the steps
of its workflow through one function each (`request_assign`, `request_start`,
`request_answer`, `request_decline`, `request_close`, `request_reopen`, `request_publish`),
which decides the emails and the history note of its step. Forms and the API send new field
values instead: `request_edit` turns those into the step they mean. The model holds the
workflow itself (which steps there are, what each status needs) and checks every save against
it. In a series that holds answers, an answer reaches the company when it is published."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from files import checks
from notifications import registry
from notifications import services as mail
from stakeholders.models import Organization

from . import reminders, rules, signals, texts
from .models import RequestAttachment, StakeholderRequest

S = StakeholderRequest.Status
IN_HAND = StakeholderRequest.NEEDS_MINISTRY  # in a ministry's hands: assigned, in progress


# --- Creating and editing ------------------------------------------------------------------


@transaction.atomic
def request_create(*, by=None, request=None, commitments=(), **fields) -> StakeholderRequest:
    """Stores a new request: `request`, unsaved (a form built it), or one made of `fields`.

    Recording is no step of the workflow, so it emails no one, whatever status the request is
    recorded with: the company's form files new ones, the seed and imports record what was
    asked (and answered) at a meeting."""
    request = StakeholderRequest(**fields) if request is None else request
    _store(request, by=by, fields={"commitments": commitments})
    return request


@transaction.atomic
def request_update(*, request: StakeholderRequest, by, **fields) -> StakeholderRequest:
    """Edits that are no step of the workflow: what was asked, its category, meeting, due
    date, notes, the response's wording, the earlier request, the pledges (`commitments`).
    Emails no one. A request in a ministry's hands changes hands through `request_assign`."""
    if "status" in fields:
        raise TypeError("A new status is a step: request_assign, request_answer, …")
    _load(request)
    if request.status in IN_HAND and _moves(request, fields):
        raise TypeError("Moving an assigned request to another ministry is request_assign.")
    if (
        request.published_at is not None
        and rules.answer_held(request)
        and fields.get("response", request.response) != request.response
    ):
        # A published answer reworded is reviewed again before the company reads the new text.
        fields = {**fields, "published_at": None, "published_by": None}
        request._change_reason = _("Answer reworded: held for publication again")
    _store(request, by=by, fields=fields)
    return request


@transaction.atomic
def request_reword(*, request: StakeholderRequest, category, text) -> StakeholderRequest:
    """The company's own change to what it asked (the feedback form): category and text only.
    Never a transition, so it emails no one; the ministry, status and officer stay as the
    database holds them, whatever this copy of the request says."""
    _load(request)
    request.category, request.text = category, text
    request.full_clean()
    request.save(update_fields=["category", "text", "updated_at"])
    signals.request_saved.send(sender=StakeholderRequest, request=request, created=False)
    return request


@transaction.atomic
def request_delete(*, request: StakeholderRequest, by) -> None:
    """Removes a request (its files go with it), recorded in its history as `by`'s."""
    _as(request, by)
    request.delete()


@transaction.atomic
def request_edit(*, request: StakeholderRequest, by, changes: dict) -> StakeholderRequest:
    """A change asked for as new values of fields, as a form or the API's update sends it
    (the request's admin page, its row on the meeting's page, PUT and PATCH): the step it
    means, with the other fields saved in the same step.

    A new status is the step to it; a new ministry for a request in a ministry's hands is a
    reassignment; anything else is a plain update. A status no step leads to is refused."""
    _load(request)
    fields = dict(changes)
    status, before = fields.pop("status", request.status), request.status
    if status == before:
        if before in IN_HAND and _moves(request, fields):
            return request_assign(request=request, by=by, **fields)
        return request_update(request=request, by=by, **fields)
    if status not in StakeholderRequest.TRANSITIONS[before]:
        raise _refused(before, status)
    if status == S.ASSIGNED:
        return request_assign(request=request, by=by, **{"ministry": request.ministry, **fields})
    if status == S.IN_PROGRESS:
        take_up = request_reopen if before in StakeholderRequest.DONE_STATUSES else request_start
        return take_up(request=request, by=by, **fields)
    if status == S.CLOSED:
        return request_close(request=request, by=by, **fields)
    respond = request_answer if status == S.ANSWERED else request_decline
    return respond(request=request, by=by, **{"response": request.response, **fields})


# --- The steps of the workflow -------------------------------------------------------------
# Each decides its emails and its note in the history.


@transaction.atomic
def request_assign(*, request: StakeholderRequest, by, ministry, **fields) -> StakeholderRequest:
    """Puts the request in `ministry`'s hands (with `assignee`, one officer's) and emails the
    officer, or else the ministry's contacts. A new request becomes assigned; an assigned or
    in-progress one moves to the other ministry and keeps its status, with "Reassigned from
    … to …" in its history. Assigning it to the ministry that has it emails no one."""
    _load(request)
    before = request.status
    status = before if before in IN_HAND else S.ASSIGNED
    if status != before and status not in StakeholderRequest.TRANSITIONS[before]:
        raise _refused(before, status)
    moved = _store(request, by=by, status=status, fields={"ministry": ministry, **fields})
    if moved or status != before:
        _queue(request, ASSIGNED_OUTBOX, texts.ASSIGNED, reminders.officers_of(request))
    return request


@transaction.atomic
def request_start(*, request: StakeholderRequest, by, **fields) -> StakeholderRequest:
    """The ministry takes up a new or assigned request (in progress). Naming another ministry
    (`ministry`) on the way emails its officer, as assigning does."""
    if _step(request, by, S.IN_PROGRESS, fields, origins=StakeholderRequest.OPEN_STATUSES):
        _queue(request, ASSIGNED_OUTBOX, texts.ASSIGNED, reminders.officers_of(request))
    return request


@transaction.atomic
def request_reopen(*, request: StakeholderRequest, by, **fields) -> StakeholderRequest:
    """An answered or declined request is taken up again (in progress). Naming another
    ministry (`ministry`) on the way emails its officer, as assigning does."""
    unpublished = {"published_at": None, "published_by": None}  # its next answer is new
    moved = _step(
        request,
        by,
        S.IN_PROGRESS,
        {**fields, **unpublished},
        origins=StakeholderRequest.NEEDS_RESPONSE,
    )
    if moved:
        _queue(request, ASSIGNED_OUTBOX, texts.ASSIGNED, reminders.officers_of(request))
    return request


@transaction.atomic
def request_answer(*, request: StakeholderRequest, by, response, **fields) -> StakeholderRequest:
    """Answers the request; the first answer, decline or close sets `responded_at`. The
    company is emailed the answer at once or, in a series that holds answers, when a
    coordinator publishes it (`request_publish`)."""
    _respond(request, by, S.ANSWERED, response, fields)
    return request


@transaction.atomic
def request_decline(*, request: StakeholderRequest, by, response, **fields) -> StakeholderRequest:
    """Declines the request with the reason (`response`), which reaches the company as an
    answer does."""
    _respond(request, by, S.DECLINED, response, fields)
    return request


def _respond(request, by, status, response, fields) -> None:
    held = rules.answer_held(request)
    published = {"published_at": None, "published_by": None}
    if not held:
        published = {"published_at": timezone.now(), "published_by": by}
    else:
        request._change_reason = _("Answer drafted: held for publication")
    _step(request, by, status, {"response": response, **fields, **published})
    if not held:
        _answer_queue(request)


@transaction.atomic
def request_publish(*, request: StakeholderRequest, by) -> bool:
    """Publishes a held answer or decline: the company is emailed it and reads it on its
    feedback page, the public on the results if the request is public. Recorded in the
    history as "Answer published". False when there is nothing to publish (no response
    yet, or published already): publishing twice emails no one twice."""
    _load(request)
    if request.published_at is not None or not request.has_response():
        return False
    request._change_reason = _("Answer published")
    _store(request, by=by, fields={"published_at": timezone.now(), "published_by": by})
    _answer_queue(request)
    return True


def requests_publish(*, requests, by) -> int:
    """Publishes the held answers among `requests` (a queryset) at once; returns how many."""
    held = requests.filter(published_at__isnull=True, status__in=StakeholderRequest.DONE_STATUSES)
    return sum(request_publish(request=request, by=by) for request in held.exclude(response=""))


@transaction.atomic
def request_close(*, request: StakeholderRequest, by, **fields) -> StakeholderRequest:
    """Closes an answered or declined request: it is done. Emails no one."""
    _step(request, by, S.CLOSED, fields)
    return request


def _step(request, by, status, fields, *, origins=None) -> bool:
    """Moves the request to `status` with `fields`, if its workflow allows that from the status
    the database holds (and this step starts from there: `origins`). True if the request
    changed hands on the way."""
    _load(request)
    before = request.status
    if status not in StakeholderRequest.TRANSITIONS[before] or (origins and before not in origins):
        raise _refused(before, status)
    return _store(request, by=by, status=status, fields=fields)


def _refused(before, after) -> ValidationError:
    return ValidationError({"status": StakeholderRequest.refusal(before, after)})


def _load(request) -> None:
    """Reads the request as the database holds it, locked until the step commits: a copy in
    memory may be stale, or carry a form's values (the step is given those)."""
    if request.pk is not None:
        request.refresh_from_db(from_queryset=StakeholderRequest.objects.select_for_update())


def _moves(request, fields) -> bool:
    return "ministry" in fields and getattr(fields["ministry"], "pk", None) != request.ministry_id


def _as(request, by) -> None:
    if by is not None:
        request._history_user = by  # also outside a web request (a command, a task)


def _store(request, *, by, fields, status=None) -> bool:
    """Writes one step as one version in the history: the fields, the status, the first
    response's time, the note of a reassignment; the model validates it (its workflow from
    the stored status, what each status needs). True if the ministry changed hands."""
    fields = dict(fields)
    commitments = fields.pop("commitments", None)
    before = request.ministry_id
    for name, value in fields.items():
        setattr(request, name, value)
    if status is not None:
        request.status = status
    if request.status in StakeholderRequest.DONE_STATUSES and request.responded_at is None:
        request.responded_at = timezone.now()
    request.full_clean()
    moved = request.ministry_id != before and request.pk is not None
    if moved and before is not None:
        request._change_reason = _("Reassigned from %(before)s to %(after)s") % {
            "before": Organization.objects.get(pk=before).name,
            "after": request.ministry.name if request.ministry_id else "—",
        }
    _as(request, by)
    created = request._state.adding
    request.save()
    if commitments is not None:
        request.commitments.set(commitments)
    signals.request_saved.send(sender=StakeholderRequest, request=request, created=created)
    return moved


def attachment_add(*, request: StakeholderRequest, upload, person=None) -> RequestAttachment:
    """Stores an uploaded file with a request, after checking its type by its content."""
    attachment = RequestAttachment(request=request, uploaded_by=person, **checks.described(upload))
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    return attachment


ASSIGNED_OUTBOX = "followups.assigned"
ANSWERED_OUTBOX = "followups.answered"


def submitters_of(request) -> list[registry.Recipient]:
    """The contact who raised the request, or else the organization's contacts. An answer is
    what they asked for, so it goes even to a contact who takes no reminders."""
    person = request.person
    if person is not None and person.email:
        return [registry.person_recipient(person)]
    return registry.people(request.organization.people.all())


# The company's own page about a request, linked from its answer: a higher app registers how
# to find it (feedback: the contact's feedback form) as `(request, recipient) -> link_ref`, ""
# for none; the outbox puts the link in when the email goes, as every personal link.
_company_pages: list[Callable] = []


def company_page_register(find: Callable) -> None:
    _company_pages.append(find)


def _company_page(request, recipient) -> str:
    return next((ref for find in _company_pages if (ref := find(request, recipient))), "")


def _answer_queue(request) -> None:
    """The answer or decline to the company, in its language: a reply reaches the ministry
    (MINISTRY_CONTACT_EMAIL), and the link goes to the company's page about the request."""
    _queue(
        request,
        ANSWERED_OUTBOX,
        texts.ANSWERED,
        submitters_of(request),
        headers={"Reply-To": settings.MINISTRY_CONTACT_EMAIL},
        company_page=True,
    )


def _queue(request, kind, wording, recipients, *, headers=None, company_page=False) -> None:
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
            link_ref=_company_page(request, recipient) if company_page else "",
        )
        for recipient in recipients
    ]
    mail.message_queue(kind=kind, wording=wording, dues=dues, headers=headers)
