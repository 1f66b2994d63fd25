"""Attendance reply links: each invited person confirms, declines or names a substitute from
a personal link in their invitation or pre-meeting reminder (see links)."""

from django.db import IntegrityError, transaction

from links import registry
from stakeholders.models import Person

from .models import Attendance, AttendanceReply


def reply_for(*, attendance, person_id) -> AttendanceReply:
    """The person's reply link for the attendance, created on first use."""
    try:
        with transaction.atomic():
            reply, _ = AttendanceReply.objects.get_or_create(
                attendance=attendance, person_id=person_id, defaults=AttendanceReply.new_secret()
            )
    except IntegrityError:  # created meanwhile by another worker
        reply = AttendanceReply.objects.get(attendance=attendance, person_id=person_id)
    return reply


def url_for(reply) -> str:
    return reply.url


def link_ref(attendance, recipient) -> str:
    """The outbox's reference to a recipient's reply link; resolved when the email goes."""
    return f"{AttendanceReply.LINK_KIND}:{attendance.pk}:{recipient.person_id}"


def url_for_ref(key: str) -> str | None:
    """The link behind an outbox reference, or None (the email is not sent) when it was
    revoked or the person is no longer at the attending organization."""
    attendance_id, _, person_id = key.partition(":")
    attendance = Attendance.objects.filter(pk=attendance_id).first()
    if (
        attendance is None
        or not Person.objects.filter(
            pk=person_id, organization_id=attendance.organization_id
        ).exists()
    ):
        return None
    reply = reply_for(attendance=attendance, person_id=int(person_id))
    return None if reply.revoked_at else url_for(reply)


def replies_open(meeting, now) -> bool:
    """Replies are taken until the meeting starts, while its status takes them (not held,
    not cancelled)."""
    return meeting.period_start > now and meeting.status in meeting.Status.TAKING_REPLIES


def closed_because(reply, now) -> str | None:
    """Why a link no longer works ("revoked", "moved": its person left the attending
    organization, "cancelled", "closed"), or None while it works."""
    attendance = reply.attendance
    if reply.revoked_at:
        return "revoked"
    if reply.person.organization_id != attendance.organization_id:
        return "moved"
    if attendance.meeting.is_cancelled:
        return "cancelled"
    if not replies_open(attendance.meeting, now):
        return "closed"
    return None


def replies():
    """Where links are looked up (with what the page shows)."""
    return AttendanceReply.objects.select_related(
        "attendance__meeting", "attendance__organization", "person__organization", "substitute"
    )


registry.register(
    registry.LinkKind(
        key=AttendanceReply.LINK_KIND,
        rows=replies,
        closed_because=closed_because,
        resolve_ref=url_for_ref,
        unknown_template="events/reply_unknown.html",
        closed_template="events/reply_closed.html",
        closed_context=lambda reply: {"reply": reply, "meeting": reply.attendance.meeting},
    )
)
