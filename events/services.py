"""Writes of meetings and their attendance. The admin, API, commands and seed call these."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from notifications import services as mail
from stakeholders import rules as stakeholder_rules
from stakeholders import services as stakeholders
from stakeholders.models import Person

from . import reminders, rsvp, sync, texts
from .models import (
    Attendance,
    AttendanceReply,
    Meeting,
    MeetingChangePruning,
    MeetingDocument,
    PersonalFeed,
    Presentation,
)


@transaction.atomic
def meeting_save(*, meeting: Meeting) -> Meeting:
    """Validate and store a new or changed meeting."""
    meeting.full_clean()
    meeting.save()
    # version and updated_at are set by database triggers.
    meeting.refresh_from_db(fields=["version", "updated_at"])
    return meeting


@transaction.atomic
def document_save(*, document: MeetingDocument, user=None) -> MeetingDocument:
    """Saves a meeting document; a new file is checked by its content (see the model's
    clean) and recorded as uploaded by `user`."""
    document.full_clean()
    if not document.file._committed:
        document.uploaded_by = user
    document.save()
    return document


def attendance_check(*, attendance: Attendance) -> None:
    """The rules of a row of a meeting's list, whichever way it is written: its person, and
    the person a substitute replaces, are contacts of its organization. Raises
    ValidationError keyed by field (the model's own validation aside)."""
    _contact_of_organization(attendance, "replaces")


def _contact_of_organization(row, field) -> None:
    """Refuses `row.<field>`, a person, unless they are a contact of `row.organization`."""
    person = getattr(row, field)
    if person is not None and person.organization_id != row.organization_id:
        raise ValidationError(
            {
                field: _("%(person)s is not a contact of %(organization)s.")
                % {"person": person.name, "organization": row.organization.name}
            }
        )


@transaction.atomic
def attendance_save(*, attendance: Attendance) -> Attendance:
    """Stores a new or changed row of a meeting's list (the meeting's version goes up)."""
    attendance.full_clean()
    attendance_check(attendance=attendance)
    attendance.save()
    return attendance


@transaction.atomic
def attendance_delete(*, attendance: Attendance) -> None:
    """Takes a row off a meeting's list; its reply links go with it."""
    attendance.delete()


def presentation_check(*, presentation: Presentation) -> None:
    """A presentation's presenter is a contact of the presenting organization."""
    _contact_of_organization(presentation, "presenter")


@transaction.atomic
def presentation_save(*, presentation: Presentation) -> Presentation:
    presentation.full_clean()
    presentation_check(presentation=presentation)
    presentation.save()
    return presentation


@transaction.atomic
def presentation_delete(*, presentation: Presentation) -> None:
    presentation.delete()


def meeting_create(**fields) -> Meeting:
    return meeting_save(meeting=Meeting(**fields))


def meeting_update(*, meeting: Meeting, **fields) -> Meeting:
    for name, value in fields.items():
        setattr(meeting, name, value)
    return meeting_save(meeting=meeting)


@transaction.atomic
def meetings_mark_held(*, meetings) -> int:
    """Mark meetings as held; cancelled ones stay cancelled. Returns how many changed."""
    changed = 0
    # A fresh queryset: the caller's may carry annotations, which cannot be locked.
    ids = list(meetings.values_list("pk", flat=True))
    for meeting in Meeting.objects.select_for_update().filter(pk__in=ids).not_done():
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status", "updated_at"])
        changed += 1
    return changed


@transaction.atomic
def meeting_duplicate(*, meeting: Meeting, on: datetime.date) -> Meeting:
    """A copy for the next meeting of the relay, on the day `on`: the same time of day (and
    length), venue, host and invitation list. It starts planned, unnumbered and internal (off
    the public pages until a coordinator makes it public), with no description, presentations,
    documents, requests or pledges: those were the old meeting's."""
    copy = Meeting(
        series=meeting.series,
        title=_("%(title)s (copy)") % {"title": meeting.title},
        title_en=f"{meeting.title_en} (copy)" if meeting.title_en else "",
        theme=meeting.theme,
        all_day=meeting.all_day,
        venue=meeting.venue,
        address=meeting.address,
        host=meeting.host,
        visibility=Meeting.Visibility.INTERNAL,
        status=Meeting.Status.PLANNED,
    )
    if meeting.all_day:
        copy.start_date = on
        if meeting.end_date is not None:
            copy.end_date = on + (meeting.end_date - meeting.start_date)
    else:
        starts_at = timezone.localtime(meeting.starts_at)
        copy.starts_at = starts_at.replace(year=on.year, month=on.month, day=on.day)
        copy.ends_at = copy.starts_at + (meeting.ends_at - meeting.starts_at)
    meeting_save(meeting=copy)
    bulk_create_with_history(
        [
            Attendance(
                meeting=copy,
                organization_id=a.organization_id,
                person_id=a.person_id,
                role=a.role,
                status=Attendance.Status.INVITED,
            )
            # A substitute stood in once; the copy invites the person they replaced.
            for a in meeting.attendances.exclude(status=Attendance.Status.SUBSTITUTE)
        ],
        Attendance,
    )
    copy.refresh_from_db()
    return copy


@transaction.atomic
def meeting_changes_prune(*, older_than=None) -> int:
    """Remove change-log rows past the retention period; returns how many went.

    Only rows of ended transactions go, and the highest position removed is recorded, so a
    sync token that would have needed a removed row is refused rather than answered partly.
    """
    if older_than is None:
        older_than = settings.MEETING_SYNC_RETENTION
    changed_before = timezone.now() - older_than
    db = sync.backend()
    with connection.cursor() as cursor:
        below, _ = db.horizon(cursor)
        removed, through = db.prune(cursor, changed_before=changed_before, below=below)
    if removed:
        MeetingChangePruning.objects.create(through_position=through, removed=removed)
    return removed


def personal_feed_for(*, user) -> PersonalFeed:
    """The user's private calendar address, created on first use."""
    feed, _ = PersonalFeed.objects.get_or_create(
        user=user, defaults={"key": secrets.token_urlsafe(32)}
    )
    return feed


def personal_feed_reset(*, user) -> PersonalFeed:
    """A new private address; the old one answers 404 from now on."""
    feed = personal_feed_for(user=user)
    feed.key = secrets.token_urlsafe(32)
    feed.save(update_fields=["key"])
    return feed


# The refusal of any address the system holds for someone outside the replier's organization:
# one wording whoever holds it, so that the page tells nobody whose address it is.
NOT_NAMEABLE = gettext_lazy(
    "This address cannot be named as a substitute. Please give the work address of a colleague "
    "at your organization, or ask the meeting's organizers."
)
ALREADY_LISTED = gettext_lazy(
    "This colleague is already on this meeting's list and answers from their own link. "
    "To send someone in your place, give another colleague's address."
)


@transaction.atomic
def attendance_reply(*, reply: AttendanceReply, answer: str, substitute=None) -> AttendanceReply:
    """Records a person's answer from their reply link and changes their attendance (and with
    it the meeting's version). `substitute` (name, email, position) names a colleague.

    The person's own row is used if they have one; else a reply to an organization's row with
    no one named names them there, and one to a row naming someone else gets them a row of
    their own. Naming a substitute adds their row, and the reply records it: a later answer
    takes off that row alone, and only while it is still as the reply left it. A colleague
    already on the list keeps their own row. Raises ValidationError (keyed by form field) for
    a substitute who cannot be named."""
    Answer = AttendanceReply.Answer
    # Locked and read again: a second tab or a double submit waits here, then sees what the
    # first recorded (the substitute's row it added, above all).
    reply = AttendanceReply.objects.select_for_update().get(pk=reply.pk)
    person = reply.person
    attendance = _own_attendance(reply)
    substitute_person = substitute_row = None
    if answer == Answer.SUBSTITUTE:
        substitute_person, substitute_row = _substitute(reply, attendance, **substitute)
    _withdraw_substitute(reply, keep=substitute_row)
    attendance.person = person
    attendance.status = (
        Attendance.Status.CONFIRMED if answer == Answer.CONFIRMED else Attendance.Status.ABSENT
    )
    attendance.replaces = None  # a substitute who answers speaks for themselves now
    attendance.full_clean()
    attendance.save()
    if (
        attendance.pk != reply.attendance_id
        and not AttendanceReply.objects.filter(attendance=attendance, person=person).exists()
    ):
        reply.attendance = attendance  # the answer shows on the row it changed
    reply.answer, reply.answered_at = answer, timezone.now()
    reply.substitute, reply.substitute_attendance = substitute_person, substitute_row
    reply.save()
    return reply


def _own_attendance(reply) -> Attendance:
    linked = Attendance.objects.select_for_update().get(pk=reply.attendance_id)
    own = (
        Attendance.objects.select_for_update()
        .filter(
            meeting_id=linked.meeting_id,
            organization_id=linked.organization_id,
            person=reply.person,
        )
        .first()
    )
    if reply.substitute_attendance_id:  # locked before the meeting is, as every writer does
        list(Attendance.objects.select_for_update().filter(pk=reply.substitute_attendance_id))
    if own is not None:
        return own
    if linked.person_id is None:
        return linked
    return Attendance(
        meeting_id=linked.meeting_id,
        organization_id=linked.organization_id,
        person=reply.person,
        role=linked.role,
    )


def _withdraw_substitute(reply, *, keep) -> None:
    """Takes off the row this reply added for its substitute, unless it is kept or is no
    longer as the reply left it (its person answered for themselves, or the coordinators
    changed it): then it is theirs. Rows the reply did not add are never touched."""
    added = reply.substitute_attendance_id
    if added is None or (keep is not None and keep.pk == added):
        return
    Attendance.objects.filter(
        pk=added,
        person_id=reply.substitute_id,
        status=Attendance.Status.SUBSTITUTE,
        replaces_id=reply.person_id,
    ).delete()


def _substitute(reply, attendance, *, name, email, position=""):
    """The colleague attending in the replier's place and their row on the list: the row
    this reply added before when the same colleague is named again, else a new one. A
    colleague with a row of their own on this meeting is refused; so is, in one neutral
    wording, an address held for anyone outside the organization."""
    organization, replaced = attendance.organization, reply.person
    _lock_address(email)
    known = Person.objects.filter(email__iexact=email)
    person = known.filter(organization=organization).first()
    if person is None:
        if known.exists() or get_user_model().objects.filter(email__iexact=email).exists():
            raise ValidationError({"substitute_email": NOT_NAMEABLE})
        person = stakeholders.person_save(
            person=Person(
                organization=organization,
                name=name,
                email=email,
                position=position,
                **stakeholder_rules.provenance(
                    Person.Source.ORGANIZATION, _("named as a substitute in an attendance reply")
                ),
            )
        )
    if person.pk == replaced.pk:
        raise ValidationError({"substitute_email": _("Name a colleague other than yourself.")})
    rows = Attendance.objects.filter(meeting_id=attendance.meeting_id, person=person)
    added = reply.substitute_attendance_id
    if rows.exclude(pk=added).exists() if added else rows.exists():
        raise ValidationError({"substitute_email": ALREADY_LISTED})
    if added and (kept := rows.filter(pk=added).first()) is not None:
        return person, kept  # named again: their row stays as it is, link and all
    try:
        with transaction.atomic():
            row = Attendance.objects.create(
                meeting_id=attendance.meeting_id,
                organization=organization,
                person=person,
                role=attendance.role,
                status=Attendance.Status.SUBSTITUTE,
                replaces=replaced,
            )
    except IntegrityError as error:  # put on the list meanwhile, by the coordinators
        raise ValidationError({"substitute_email": ALREADY_LISTED}) from error
    return person, row


# Advisory locks are numbered in pairs; this first number is this module's, for addresses.
ADDRESS_LOCK = 0x5253_5650  # "RSVP"


def _lock_address(email) -> None:
    """Until the transaction ends, one reply at a time names this address: two naming the same
    new colleague at once add them once. (SQLite's transactions already run one at a time.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [ADDRESS_LOCK, email.lower()]
            )


INVITATION_OUTBOX = "events.invitation"


@transaction.atomic
def invitations_send(*, meeting: Meeting) -> int:
    """Emails every invited attendee the meeting, its .ics file and their reply link; returns
    how many emails were queued. Sending again emails nobody twice for the same start; a
    meeting that moved is announced again."""
    if not rsvp.replies_open(meeting, timezone.now()):
        return 0  # held, cancelled or already started: there is nothing to answer
    dues = reminders.attendee_dues(meeting.attendances.filter(status=Attendance.Status.INVITED))
    return mail.message_queue(kind=INVITATION_OUTBOX, wording=texts.INVITATION, dues=list(dues))
