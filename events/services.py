"""Writes of meetings and their attendance. The admin, API, commands and seed call these."""

import secrets

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from notifications import services as mail
from notifications.models import ReminderRule
from stakeholders.models import Person

from . import reminders, sync, texts
from .models import Attendance, AttendanceReply, Meeting, MeetingChangePruning, PersonalFeed


@transaction.atomic
def meeting_save(*, meeting: Meeting) -> Meeting:
    """Validate and store a new or changed meeting."""
    meeting.full_clean()
    meeting.save()
    # version and updated_at are set by database triggers.
    meeting.refresh_from_db(fields=["version", "updated_at"])
    return meeting


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
    """Records a person's answer from their reply link and changes the attendance (and with
    it the meeting's version). `substitute` (name, email, position) for a substitute.

    A reply to an organization's attendance with no one named names the person who answered;
    a reply once someone else is named there gets the person an attendance of their own."""
    Answer = AttendanceReply.Answer
    attendance = Attendance.objects.select_for_update().get(pk=reply.attendance_id)
    person = reply.person
    if attendance.person_id not in (None, person.pk):
        attendance, _created = Attendance.objects.get_or_create(
            meeting_id=attendance.meeting_id,
            organization_id=attendance.organization_id,
            person=person,
            defaults={"role": attendance.role, "status": Attendance.Status.INVITED},
        )
    attendance.person = person
    substitute_person = None
    if answer == Answer.SUBSTITUTE:
        substitute_person = _substitute(attendance, person, **substitute)
    attendance.status = (
        Attendance.Status.CONFIRMED if answer == Answer.CONFIRMED else Attendance.Status.ABSENT
    )
    attendance.full_clean()
    attendance.save()
    reply.answer, reply.answered_at = answer, timezone.now()
    reply.substitute = substitute_person
    reply.save()
    return reply


def _substitute(attendance, replaced, *, name, email, position=""):
    """The colleague attending in `replaced`'s place, found by email or added, on the list."""
    organization = attendance.organization
    person = Person.objects.filter(organization=organization, email__iexact=email).first()
    if person is None:
        person = Person(organization=organization, name=name, email=email, position=position)
        person.full_clean()
        person.save()
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
    dues = reminders.attendee_dues(
        meeting.attendances.filter(status=Attendance.Status.INVITED), INVITATION_OUTBOX
    )
    return mail.dues_queue(ReminderRule(kind=INVITATION_OUTBOX, **texts.INVITATION), list(dues))
