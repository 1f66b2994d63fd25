import datetime
import enum
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from files import checks
from files.storage import private_storage, random_name
from links.models import PersonalLink
from stakeholders.models import Organization, Person

from . import rules


class Series(models.Model):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    host = models.CharField(_("host (Korean)"), max_length=200, blank=True)
    host_en = models.CharField(_("host (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    sources = models.TextField(
        _("source references"), blank=True, help_text=_("Reports the record is based on.")
    )
    holds_answers = models.BooleanField(
        _("answers held for publication"),
        default=False,
        help_text=_(
            "An answer or decline reaches the company and the public only when a coordinator "
            "publishes it."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["name"]

    def __str__(self):
        return self.name


def in_calendar_range(value):
    """Years 1970 to 2999. Before 1908 Seoul kept a local mean time (UTC+8:27:52) that ISO 8601
    and iCalendar cannot write; far years overflow the day arithmetic of all-day meetings."""
    if not 1970 <= value.year <= 2999:
        raise ValidationError(_("Choose a date between 1970 and 2999."))


# An all-day meeting ends at the end of its last working day, 18:00: six hours before the
# last day is over (Asia/Seoul keeps no summer time in the evening, nor has it since 1970).
ALL_DAY_TAIL = datetime.timedelta(hours=6)


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The meetings `user` may see (events.rules.sees_internal_meetings)."""
        if rules.sees_internal_meetings(user):
            return self
        return self.public()

    def public(self):
        return self.filter(visibility=Meeting.Visibility.PUBLIC)

    # The lifecycle groups of Meeting.Status, as querysets.
    def taking_replies(self):
        return self._in(Meeting.Status.TAKING_REPLIES)

    def expecting_attendees(self):
        return self._in(Meeting.Status.EXPECTING_ATTENDEES)

    def getting_reminders(self):
        return self._in(Meeting.Status.GETTING_REMINDERS)

    def standing(self):
        return self._in(Meeting.Status.STANDING)

    def done(self):
        return self._in(Meeting.Status.DONE)

    def not_done(self):
        return self.exclude(status__in=Meeting.Status.DONE)

    def _in(self, group):
        # Written as the statuses left out: a scan's range over an indexed moment then leads,
        # not the status index, which most meetings share (SQLite would take it).
        return self.exclude(status__in=set(Meeting.Status.values) - group)

    def ended_between(self, start, end):
        """Meetings whose end (Meeting.ends) is between `start` and `end`, both included:
        two ranges of the indexed `period_end`, one for timed and one for all-day meetings."""
        timed = Q(all_day=False, period_end__gte=start, period_end__lte=end)
        tail = ALL_DAY_TAIL
        all_day = Q(all_day=True, period_end__gte=start + tail, period_end__lte=end + tail)
        return self.filter(timed | all_day)

    def ended_before(self, moment):
        """Meetings over before `moment` (Meeting.ends < moment): past on the public list."""
        return self.filter(self._ends("lt", moment))

    def not_ended(self, moment):
        """Meetings not over at `moment` (Meeting.ends >= moment): upcoming on the public list."""
        return self.filter(self._ends("gte", moment))

    @staticmethod
    def _ends(lookup, moment):
        # As ended_between: the indexed `period_end`, an all-day meeting's tail added back.
        timed = Q(all_day=False, **{f"period_end__{lookup}": moment})
        all_day = Q(all_day=True, **{f"period_end__{lookup}": moment + ALL_DAY_TAIL})
        return timed | all_day


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CONFIRMED = "confirmed", _("Confirmed")
        HELD = "held", _("Held")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

        # Lifecycle groups: every rule about what a meeting's status allows names one of these
        # (or its queryset method, e.g. Meeting.objects.taking_replies()), never a list of its
        # own. Inside the class body the members are still plain values, hence the strings.

        # Still to happen or to be settled: invitations go out and attendance replies are
        # taken (until it starts), and it can be marked held. The statuses not DONE.
        TAKING_REPLIES = enum.nonmember(frozenset({"planned", "confirmed", "postponed"}))
        # Takes place on its date with its attendees, or took place: they are asked for
        # feedback once it ends.
        EXPECTING_ATTENDEES = enum.nonmember(frozenset({"planned", "confirmed", "held"}))
        # Its attendees still expected are reminded before it starts.
        GETTING_REMINDERS = enum.nonmember(frozenset({"planned", "confirmed"}))
        # Not called off (a postponed meeting still stands): organizations asked for feedback
        # are reminded before the deadline.
        STANDING = enum.nonmember(frozenset({"planned", "confirmed", "held", "postponed"}))
        # Over: nothing more to arrange, no reply or invitation, not marked held again.
        DONE = enum.nonmember(frozenset({"held", "cancelled"}))

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        INTERNAL = "internal", _("Internal")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    series = models.ForeignKey(
        Series, models.PROTECT, related_name="meetings", verbose_name=_("series")
    )
    relay_number = models.PositiveSmallIntegerField(_("relay number"), null=True, blank=True)
    title = models.CharField(_("title (Korean)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    all_day = models.BooleanField(
        _("all day"), default=False, help_text=_("For meetings whose times are not known.")
    )
    starts_at = models.DateTimeField(
        _("starts at"), null=True, blank=True, validators=[in_calendar_range]
    )
    ends_at = models.DateTimeField(
        _("ends at"), null=True, blank=True, validators=[in_calendar_range]
    )
    start_date = models.DateField(
        _("first day"), null=True, blank=True, validators=[in_calendar_range]
    )
    end_date = models.DateField(
        _("last day"),
        null=True,
        blank=True,
        help_text=_("Inclusive: the meeting's last day."),
        validators=[in_calendar_range],
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    feedback_deadline = models.DateTimeField(
        _("feedback deadline"), null=True, blank=True, validators=[in_calendar_range]
    )
    host = models.CharField(_("host"), max_length=300, blank=True)
    # Derived in save() from the date or time fields, so that filters, ordering and the reminder
    # scan use one indexed instant for timed and all-day meetings alike.
    period_start = models.DateTimeField(_("begins"), editable=False, db_index=True)
    period_end = models.DateTimeField(_("finishes"), editable=False, db_index=True)
    # Raised by database triggers on every change of the meeting or its attendance, so that
    # no write path (save, queryset update, raw SQL) is missed. Never written from Python.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["version", "period_start", "period_end"])
    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["period_start", "relay_number"]
        permissions = [("view_internal_meeting", _("Can view internal meetings"))]
        indexes = [
            models.Index(fields=["series", "period_start"], name="meeting_series_start_idx"),
            models.Index(fields=["status"], name="meeting_status_idx"),
            models.Index(fields=["visibility", "period_start"], name="meeting_visibility_idx"),
            # The feedback rules look up deadlines in a range.
            models.Index(fields=["feedback_deadline"], name="meeting_feedback_deadline_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        all_day=True,
                        start_date__isnull=False,
                        end_date__isnull=False,
                        starts_at__isnull=True,
                        ends_at__isnull=True,
                    )
                    | Q(
                        all_day=False,
                        start_date__isnull=True,
                        end_date__isnull=True,
                        starts_at__isnull=False,
                        ends_at__isnull=False,
                    )
                ),
                name="meeting_dates_xor_times",
                violation_error_message=_(
                    "An all-day meeting has a first and last day and no times; "
                    "a timed meeting has a start and end time and no days."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("A meeting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="meeting_last_day_not_before_first",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")),
                name="meeting_period_positive",
            ),
            models.UniqueConstraint(
                fields=["series", "relay_number"],
                condition=Q(relay_number__isnull=False),
                name="meeting_relay_number_unique_in_series",
                violation_error_message=_("This series already has a meeting with this number."),
            ),
        ]

    def __str__(self):
        number = f"#{self.relay_number} " if self.relay_number else ""
        day = self.local_start_date
        return f"{number}{self.title} ({day.isoformat()})" if day else f"{number}{self.title}"

    def save(self, *args, **kwargs):
        self.period_start, self.period_end = self.compute_period()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "period_start", "period_end"}
        super().save(*args, **kwargs)

    @property
    def local_start_date(self) -> datetime.date | None:
        if self.all_day:
            return self.start_date
        return timezone.localdate(self.starts_at) if self.starts_at else None

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    @property
    def ends(self) -> datetime.datetime | None:
        """When the meeting is over, the one definition every rule after a meeting uses
        (feedback asked and its deadline, past on the public list): its end time; for an
        all-day meeting 18:00 on its last day. Meeting.objects.ended_between() agrees.

        `period_end` is the span a calendar shows instead: an all-day meeting fills its
        days to midnight there (feeds, CalDAV time ranges, the API's date filters)."""
        _start, end = self.compute_period()
        if end is None or not self.all_day:
            return end
        # In absolute time, as the database compares `period_end`.
        return timezone.localtime(end.astimezone(datetime.UTC) - ALL_DAY_TAIL)

    def compute_period(self):
        """The meeting's span as instants: all-day meetings cover whole days in Asia/Seoul."""
        if self.all_day:
            if self.start_date is None:
                return None, None
            last_day = self.end_date or self.start_date
            tz = timezone.get_default_timezone()
            start = datetime.datetime.combine(self.start_date, datetime.time.min, tzinfo=tz)
            end = datetime.datetime.combine(
                last_day + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
            )
            return start, end
        return self.starts_at, self.ends_at

    def clean(self):
        if self.all_day:
            self.starts_at = self.ends_at = None
            if self.start_date is None:
                raise ValidationError({"start_date": _("An all-day meeting needs its first day.")})
            if self.end_date is None:
                self.end_date = self.start_date
        else:
            self.start_date = self.end_date = None
            errors = {}
            if self.starts_at is None:
                errors["starts_at"] = _("A timed meeting needs a start time.")
            if self.ends_at is None:
                errors["ends_at"] = _("A timed meeting needs an end time.")
            if errors:
                raise ValidationError(errors)


class Attendance(models.Model):
    class Role(models.TextChoices):
        HOST = "host", _("Host")
        PRESENTER = "presenter", _("Presenter")
        COMPANY = "company", _("Company")
        EXPERT = "expert", _("Expert")
        MINISTRY = "ministry", _("Ministry")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        CONFIRMED = "confirmed", _("Confirmed")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Absent")
        SUBSTITUTE = "substitute", _("Substitute")

    meeting = models.ForeignKey(
        Meeting, models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    organization = models.ForeignKey(
        Organization, models.PROTECT, related_name="attendances", verbose_name=_("organization")
    )
    person = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("person"),
        help_text=_("Empty when the organization attends without a named person."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.COMPANY)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.INVITED
    )
    replaces = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replaces"),
        help_text=_("For a substitute: whom they attend in place of."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "role", "organization__name"]
        indexes = [models.Index(fields=["organization", "meeting"], name="attendance_org_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organization", "person"],
                condition=Q(person__isnull=False),
                name="attendance_person_once_per_meeting",
                violation_error_message=_("This person is already on this meeting's list."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "organization"],
                condition=Q(person__isnull=True),
                name="attendance_organization_once_per_meeting",
                violation_error_message=_(
                    "This organization is already on this meeting's list without a named person."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status="substitute", replaces__isnull=False)
                | (~Q(status="substitute") & Q(replaces__isnull=True)),
                name="attendance_substitute_names_replaced",
                violation_error_message=_(
                    "A substitute names whom they replace, and only a substitute does."
                ),
            ),
        ]

    def __str__(self):
        who = self.person.name if self.person_id else self.organization.name
        return f"{who} · {self.get_role_display()} · {self.get_status_display()}"

    def merge_into_duplicate(self, organization):
        """When organizations merge, this row repeats one the kept organization already
        has for the meeting: the kept row stands, this one goes."""
        self.delete()

    def clean(self):
        if (
            self.person_id
            and self.organization_id
            and self.person.organization_id != self.organization_id
        ):
            raise ValidationError({"person": _("This person belongs to another organization.")})


class Presentation(models.Model):
    meeting = models.ForeignKey(
        Meeting, models.CASCADE, related_name="presentations", verbose_name=_("meeting")
    )
    organization = models.ForeignKey(
        Organization,
        models.PROTECT,
        related_name="presentations",
        verbose_name=_("organization"),
    )
    presenter = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="presentations",
        verbose_name=_("presenter"),
    )
    title = models.CharField(_("title (Korean)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("presentation")
        verbose_name_plural = _("presentations")
        ordering = ["meeting", "order", "id"]

    def __str__(self):
        return self.title


class MeetingChange(models.Model):
    """One row per change of a meeting or its attendance, written by database triggers.

    Calendar sync reads it (events.sync). On PostgreSQL the table also has a `txid xid8`
    column, the writing transaction's id, added by migration and read with raw SQL: Django has
    no xid8 field, and nothing writes this table from Python.
    """

    class Kind(models.TextChoices):
        SAVED = "saved", _("Saved")
        DELETED = "deleted", _("Deleted")

    seq = models.BigAutoField(primary_key=True)
    meeting_id = models.UUIDField(_("meeting"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    visibility = models.CharField(
        _("visibility after"), max_length=20, choices=Meeting.Visibility.choices
    )
    # Empty for a new meeting: a caller who cannot see internal meetings needs a tombstone
    # only for meetings that were public at some point.
    previous_visibility = models.CharField(
        _("visibility before"), max_length=20, choices=Meeting.Visibility.choices, blank=True
    )
    changed_at = models.DateTimeField(_("changed at"), db_default=Now(), db_index=True)

    class Meta:
        verbose_name = _("meeting change")
        verbose_name_plural = _("meeting changes")

    def __str__(self):
        return f"{self.meeting_id} {self.kind} #{self.seq}"


class MeetingChangePruning(models.Model):
    """Each removal of old change-log rows, so that a sync token older than them is refused."""

    pruned_at = models.DateTimeField(_("pruned at"), auto_now_add=True)
    # The highest sync position (transaction id on PostgreSQL, seq on SQLite) removed.
    through_position = models.BigIntegerField(_("through position"))
    removed = models.PositiveIntegerField(_("rows removed"))

    class Meta:
        verbose_name = _("change-log pruning")
        verbose_name_plural = _("change-log prunings")

    def __str__(self):
        return f"{self.pruned_at:%Y-%m-%d %H:%M} ≤ {self.through_position}"


class PersonalFeed(models.Model):
    """A user's private calendar address, with the internal meetings they may see.

    The key in the URL is the only credential, as calendar apps send no other. Kept readable so
    that the address can be shown again; resetting it makes the old address stop working.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    key = models.CharField(_("key"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("personal calendar feed")
        verbose_name_plural = _("personal calendar feeds")

    def __str__(self):
        return str(self.user)

    @property
    def url(self) -> str:
        return f"{settings.SITE_URL}/calendar/private/{self.key}.ics"


class AttendanceReply(PersonalLink):
    """One invited person's personal link to confirm, decline or name a substitute, and
    their latest answer (links.models.PersonalLink; events.rsvp)."""

    LINK_KIND = "rsvp"

    class Answer(models.TextChoices):
        CONFIRMED = "confirmed", _("Will attend")
        DECLINED = "declined", _("Cannot attend")
        SUBSTITUTE = "substitute", _("Sends a substitute")

    attendance = models.ForeignKey(
        Attendance, models.CASCADE, related_name="replies", verbose_name=_("attendance")
    )
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="attendance_replies", verbose_name=_("person")
    )
    created_at = models.DateTimeField(_("link created at"), auto_now_add=True)
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    substitute = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("substitute"),
    )
    # What naming the substitute added, and so all that a later answer may take off again.
    substitute_attendance = models.OneToOneField(
        Attendance,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="added_by_reply",
        verbose_name=_("substitute's attendance (added by this reply)"),
    )
    history = HistoricalRecords(excluded_fields=["salt", "token_hash"])

    class Meta:
        verbose_name = _("attendance reply")
        verbose_name_plural = _("attendance replies")
        ordering = ["-answered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["attendance", "person"], name="attendance_reply_once_per_person"
            ),
            models.CheckConstraint(
                condition=Q(answer="", answered_at__isnull=True)
                | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="attendance_reply_answer_has_time",
            ),
            models.CheckConstraint(
                condition=Q(answer="substitute", substitute__isnull=False)
                | (~Q(answer="substitute") & Q(substitute__isnull=True)),
                name="attendance_reply_substitute_named",
            ),
            models.CheckConstraint(
                condition=Q(substitute_attendance__isnull=True) | Q(answer="substitute"),
                name="attendance_reply_added_row_for_substitute",
            ),
        ]

    def __str__(self):
        return f"{self.person.name} · {self.get_answer_display() or '—'}"


def document_path(document, filename):
    return random_name("documents")


class MeetingDocument(models.Model):
    """Minutes, slides or a press release of a meeting. Public ones are listed and downloadable
    on the public meeting page; internal ones only by staff. Stored privately either way and
    served by a view that checks who asks."""

    class Kind(models.TextChoices):
        MINUTES = "minutes", _("Minutes")
        SLIDES = "slides", _("Slides")
        PRESS_RELEASE = "press_release", _("Press release")
        OTHER = "other", _("Other")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        INTERNAL = "internal", _("Internal (staff only)")

    meeting = models.ForeignKey(
        Meeting, models.CASCADE, related_name="documents", verbose_name=_("meeting")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(
        _("title (Korean)"),
        max_length=300,
        blank=True,
        help_text=_("Left empty, the file's name is used."),
    )
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.INTERNAL,
        help_text=_("Public documents appear on the public meeting page."),
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=document_path, max_length=200
    )
    name = models.CharField(_("file name"), max_length=255, editable=False)
    content_type = models.CharField(_("type"), max_length=100, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["meeting", "kind", "title", "pk"]
        indexes = [models.Index(fields=["meeting", "visibility"], name="document_meeting_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=["public", "internal"]),
                name="document_visibility_known",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_kind_display()})"

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    def clean(self):
        """A new file is checked by its content and described by its name, type and size."""
        if self.file and not self.file._committed:
            try:
                described = checks.described(self.file.file, settings.MEETING_DOCUMENT_MAX_BYTES)
            except ValidationError as error:
                raise ValidationError({"file": error.messages}) from error
            for field, value in described.items():
                setattr(self, field, value)
        if not self.title and self.name:
            self.title = PurePath(self.name).stem[:300]
