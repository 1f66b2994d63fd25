from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from events.models import Meeting
from files.storage import private_storage, random_name
from pledges.models import Commitment
from stakeholders.models import Organization, Person

from . import search


class StakeholderRequest(models.Model):
    """What an organization asked the government for, followed until it is answered."""

    class Category(models.TextChoices):
        FINANCE = "finance", _("Funding and finance")
        REGULATION = "regulation", _("Regulation")
        TALENT = "talent", _("Talent")
        INFRASTRUCTURE = "infrastructure", _("Infrastructure and test beds")
        DATA = "data", _("Data")
        STANDARDS = "standards", _("Standards")
        TAX = "tax", _("Tax")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        MEETING = "meeting", _("At the meeting")
        FEEDBACK_FORM = "feedback_form", _("Feedback form")
        EMAIL = "email", _("Email")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        DECLINED = "declined", _("Declined")

    OPEN_STATUSES = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS)
    # Responded to, one way or another: what "answered" counts everywhere.
    DONE_STATUSES = (Status.ANSWERED, Status.CLOSED, Status.DECLINED)
    # Where a request may go from each status: forward, steps may be skipped (an officer may
    # answer at once); a declined or answered request can be taken up again; only those can
    # be closed, and a closed one is done.
    TRANSITIONS = {
        Status.NEW: {Status.ASSIGNED, Status.IN_PROGRESS, Status.ANSWERED, Status.DECLINED},
        Status.ASSIGNED: {Status.IN_PROGRESS, Status.ANSWERED, Status.DECLINED},
        Status.IN_PROGRESS: {Status.ANSWERED, Status.DECLINED},
        Status.ANSWERED: {Status.CLOSED, Status.IN_PROGRESS},
        Status.DECLINED: {Status.CLOSED, Status.IN_PROGRESS},
        Status.CLOSED: set(),
    }
    # Statuses that need the responsible ministry, and those that need a written response.
    NEEDS_MINISTRY = (Status.ASSIGNED, Status.IN_PROGRESS)
    NEEDS_RESPONSE = (Status.ANSWERED, Status.DECLINED)

    meeting = models.ForeignKey(
        Meeting, models.PROTECT, related_name="requests", verbose_name=_("meeting")
    )
    organization = models.ForeignKey(
        Organization, models.PROTECT, related_name="requests", verbose_name=_("organization")
    )
    person = models.ForeignKey(
        Person,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("submitted by"),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    text = models.TextField(_("request"))
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.MEETING
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    ministry = models.ForeignKey(
        Organization,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_requests",
        limit_choices_to={"kind": Organization.Kind.MINISTRY},
        verbose_name=_("responsible ministry"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_requests",
        verbose_name=_("assigned officer"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    response = models.TextField(_("response"), blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    # When the response reached the company and the public: at once, or, in a series that
    # holds answers, when a coordinator published it (followups.services.request_publish).
    published_at = models.DateTimeField(_("answer published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answer published by"),
    )
    is_public = models.BooleanField(
        _("shown on the public results"),
        default=False,
        help_text=_("The request, its status and its published answer appear on /results/."),
    )
    public_summary = models.TextField(
        _("public summary"),
        blank=True,
        help_text=_("Shown on the public results instead of the request's own text."),
    )
    notes = models.TextField(_("internal notes"), blank=True)
    same_as = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="raised_again",
        verbose_name=_("same as an earlier request"),
        help_text=_("The same request raised at an earlier meeting of the series."),
    )
    commitments = models.ManyToManyField(
        Commitment,
        blank=True,
        related_name="requests",
        verbose_name=_("linked pledges"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The nouns of the text (followups.search), written by save(); on PostgreSQL a generated
    # tsvector column with a GIN index, and a trigram index, are built on it (0005).
    search_terms = models.TextField(_("search terms"), blank=True, default="", editable=False)

    history = HistoricalRecords(m2m_fields=[commitments], excluded_fields=["search_terms"])

    class Meta:
        verbose_name = _("stakeholder request")
        verbose_name_plural = _("stakeholder requests")
        ordering = ["-created_at"]
        permissions = [
            (
                "answer_own_ministry_requests",
                _("Can answer the requests of their own ministry only"),
            )
        ]
        indexes = [
            models.Index(fields=["meeting", "status"], name="request_meeting_status_idx"),
            models.Index(fields=["organization", "status"], name="request_org_status_idx"),
            models.Index(fields=["ministry", "status"], name="request_ministry_status_idx"),
            models.Index(fields=["status", "due_date"], name="request_status_due_idx"),
            # The public results: the requests marked public, by meeting.
            models.Index(
                fields=["meeting", "category"],
                condition=Q(is_public=True),
                name="request_public_idx",
            ),
            # The lists' order (admin, API), also of a search's first page: the newest matches
            # of a common word are found walking back from the latest, not by sorting them all.
            models.Index(fields=["-created_at", "-id"], name="request_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="request_text_not_empty",
                violation_error_message=_("A request needs its text."),
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | Q(status__in=["answered", "closed", "declined"]),
                name="request_published_when_responded",
                violation_error_message=_("Only an answer or a decline can be published."),
            ),
            models.CheckConstraint(
                condition=~Q(same_as=F("pk")),
                name="request_not_same_as_itself",
                violation_error_message=_("A request cannot repeat itself."),
            ),
        ]

    def __str__(self):
        return f"{self.organization.name}: {self.excerpt(60)}"

    def save(self, *args, update_fields=None, **kwargs):
        # Every write of the text goes through here (services, seed, imports), so the search
        # terms follow it; a queryset update() of the text must reindex the rows
        # (`index_requests`).
        if update_fields is None or "text" in update_fields:
            self.search_terms = search.document(self.text)
            if update_fields is not None:
                update_fields = {*update_fields, "search_terms"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def has_response(self) -> bool:
        return self.status in self.DONE_STATUSES and bool(self.response.strip())

    @property
    def answer_published(self) -> bool:
        """Whether the company and the public may read the response."""
        return self.published_at is not None and self.has_response()

    def published_response(self) -> str:
        """The response as the company and the public may read it: empty until published."""
        return self.response if self.answer_published else ""

    def status_for_company(self) -> str:
        """The status the company and the public see: an answer not yet published still
        reads as being worked on."""
        if self.has_response() and not self.published_at:
            return self.Status.IN_PROGRESS
        return self.status

    def get_status_for_company_display(self) -> str:
        return self.Status(self.status_for_company()).label

    def excerpt(self, length=80) -> str:
        """The request's text, cut to `length` characters with an ellipsis."""
        return Truncator(self.text).chars(length)

    @classmethod
    def refusal(cls, before, after) -> str:
        """What a form says when the workflow has no step from `before` to `after`."""
        return _("A request cannot go from “%(before)s” to “%(after)s”.") % {
            "before": cls.Status(before).label,
            "after": cls.Status(after).label,
        }

    def stored_status(self) -> str | None:
        """The status the database holds (None for a new request): a step starts there."""
        if self.pk is None:
            return None
        rows = type(self)._base_manager.filter(pk=self.pk)
        return rows.values_list("status", flat=True).first()

    def clean(self):
        errors = {}
        before = self.stored_status()
        if before and self.status != before and self.status not in self.TRANSITIONS[before]:
            errors["status"] = self.refusal(before, self.status)
        if self.status in self.NEEDS_MINISTRY and not self.ministry_id:
            errors["ministry"] = _("Name the ministry responsible for this request.")
        if self.status in self.NEEDS_RESPONSE and not self.response.strip():
            errors["response"] = (
                _("Write the reason for declining; the company receives it.")
                if self.status == self.Status.DECLINED
                else _("Write the answer; the company receives it.")
            )
        if self.same_as_id and self.meeting_id and not self._same_as_is_earlier():
            errors["same_as"] = _("Choose a request raised at an earlier meeting.")
        if errors:
            raise ValidationError(errors)

    def _same_as_is_earlier(self) -> bool:
        earlier = self.same_as.meeting
        return self.same_as_id != self.pk and earlier.period_start < self.meeting.period_start

    @property
    def raised_at(self):
        """When the request was raised: its meeting's start for one raised there (it is often
        recorded long after), else when it was recorded (dashboard.selectors.raised_at)."""
        if self.source == self.Source.MEETING and self.meeting_id:
            return self.meeting.period_start
        return self.created_at

    @property
    def time_to_response(self):
        return self.responded_at - self.raised_at if self.responded_at else None

    def chain(self) -> list["StakeholderRequest"]:
        """The same request across the series, earliest first (this one included); one query
        per earlier meeting, one for all the later ones."""
        rows = StakeholderRequest.objects.select_related("meeting", "organization")
        earlier, seen, pointer = [], {self.pk}, self.same_as_id
        while pointer is not None and pointer not in seen:
            current = rows.get(pk=pointer)
            earlier.append(current)
            seen.add(pointer)
            pointer = current.same_as_id
        later = list(rows.filter(same_as=self).order_by("meeting__period_start"))
        return [*reversed(earlier), self, *later]


def attachment_path(attachment, filename):
    return random_name("attachments")


class RequestAttachment(models.Model):
    """A file a company sent with a request; kept private (see files.checks.download)."""

    MAX_PER_REQUEST = 5

    request = models.ForeignKey(
        StakeholderRequest,
        models.CASCADE,
        related_name="attachments",
        verbose_name=_("request"),
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=attachment_path, max_length=200
    )
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        Person,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="attachment_not_empty"),
        ]

    def __str__(self):
        return self.name
