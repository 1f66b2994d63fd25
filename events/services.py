"""Writes of meetings and their attendance. The admin, API, commands and seed call these."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from notifications import services as mail
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
    for meeting in (
        Meeting.objects.select_for_update()
        .filter(pk__in=ids)
        .exclude(status__in=[Meeting.Status.HELD, Meeting.Status.CANCELLED])
    ):
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status", "updated_at"])
        changed += 1
    return changed


@transaction.atomic
def meeting_duplicate(*, meeting: Meeting) -> Meeting:
    """A planned, unnumbered copy with the same invitation list, for the next date."""
    copy = Meeting(
        series=meeting.series,
        title=_("%(title)s (copy)") % {"title": meeting.title},
        title_en=f"{meeting.title_en} (copy)" if meeting.title_en else "",
        theme=meeting.theme,
        description=meeting.description,
        all_day=meeting.all_day,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        start_date=meeting.start_date,
        end_date=meeting.end_date,
        venue=meeting.venue,
        address=meeting.address,
        host=meeting.host,
        visibility=meeting.visibility,
        status=Meeting.Status.PLANNED,
    )
    copy.save()
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


@transaction.atomic
def attendance_reply(*, reply: AttendanceReply, answer: str, substitute=None) -> AttendanceReply:
    """Records a person's answer from their reply link and changes their attendance (and with
    it the meeting's version). `substitute` (name, email, position) names a colleague.

    The person's own row is used if they have one; else a reply to an organization's row with
    no one named names them there, and one to a row naming someone else gets them a row of
    their own. A substitute named before and no longer is taken off the list. Raises
    ValidationError (keyed by form field) for a substitute who cannot be named."""
    Answer = AttendanceReply.Answer
    person = reply.person
    attendance = _own_attendance(reply)
    _withdraw_substitute(reply, attendance)
    substitute_person = None
    if answer == Answer.SUBSTITUTE:
        substitute_person = _substitute(attendance, person, **substitute)
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
    reply.substitute = substitute_person
    reply.save()
    return reply


def _own_attendance(reply) -> Attendance:
    linked = Attendance.objects.select_for_update().get(pk=reply.attendance_id)
    rows = Attendance.objects.select_for_update().filter(
        meeting_id=linked.meeting_id, organization_id=linked.organization_id
    )
    own = rows.filter(person=reply.person).first()
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


def _withdraw_substitute(reply, attendance) -> None:
    """Takes the substitute this reply named earlier off the list, if still there for it."""
    if reply.substitute_id is None:
        return
    Attendance.objects.filter(
        meeting_id=attendance.meeting_id,
        person_id=reply.substitute_id,
        status=Attendance.Status.SUBSTITUTE,
        replaces_id=reply.person_id,
    ).delete()


def _substitute(attendance, replaced, *, name, email, position=""):
    """The colleague attending in `replaced`'s place, found by email or added, on the list."""
    organization = attendance.organization
    known = Person.objects.filter(email__iexact=email).select_related("organization")
    person = known.filter(organization=organization).first()
    if person is None and known.exists():
        raise ValidationError(
            {"substitute_email": _("This address belongs to someone at another organization.")}
        )
    if person is None:
        person = Person(
            organization=organization,
            name=name,
            email=email,
            position=position,
            **stakeholders.provenance(
                Person.Source.ORGANIZATION, _("named as a substitute in an attendance reply")
            ),
        )
        person.full_clean()
        person.save()
    if person.pk == replaced.pk:
        raise ValidationError({"substitute_email": _("Name a colleague other than yourself.")})
    Attendance.objects.update_or_create(
        meeting_id=attendance.meeting_id,
        organization=organization,
        person=person,
        defaults={
            "role": attendance.role,
            "status": Attendance.Status.SUBSTITUTE,
            "replaces": replaced,
        },
    )
    return person


def replies_revoke(*, replies) -> int:
    """Withdraws reply links: they answer 410 and are left out of later emails."""
    return replies.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


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
