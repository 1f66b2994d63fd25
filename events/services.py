"""Writes of meetings and their attendance. The admin, API, commands and seed call these."""

import secrets

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from . import sync
from .models import Attendance, Meeting, MeetingChangePruning, PersonalFeed


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
