"""Feedback after a meeting: a personal link per contact, one feedback per organization."""

import datetime

from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from events.models import Meeting
from links.models import PersonalLink
from stakeholders.models import Organization, Person

DEFAULT_WINDOW = datetime.timedelta(days=14)


def feedback_deadline(meeting) -> datetime.datetime:
    """The meeting's own deadline, or 14 days after it ends (Meeting.ends)."""
    return meeting.feedback_deadline or meeting.ends + DEFAULT_WINDOW


class FeedbackInvitation(PersonalLink):
    """One contact's personal link for one meeting (links.models.PersonalLink)."""

    LINK_KIND = "feedback"

    meeting = models.ForeignKey(
        Meeting, models.CASCADE, related_name="feedback_invitations", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="feedback_invitations", verbose_name=_("person")
    )
    organization = models.ForeignKey(
        Organization,
        models.CASCADE,
        related_name="feedback_invitations",
        verbose_name=_("organization"),
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    opened_at = models.DateTimeField(_("first opened at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("first answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("feedback invitation")
        verbose_name_plural = _("feedback invitations")
        ordering = ["meeting", "organization__name", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="feedback_invitation_once_per_person"
            )
        ]
        indexes = [models.Index(fields=["meeting", "organization"], name="invitation_org_idx")]

    def __str__(self):
        return f"{self.person.name} · {self.meeting.title}"


class Feedback(models.Model):
    """What one organization said about one meeting; all its contacts see and edit it."""

    meeting = models.ForeignKey(
        Meeting, models.CASCADE, related_name="feedback", verbose_name=_("meeting")
    )
    organization = models.ForeignKey(
        Organization, models.CASCADE, related_name="feedback", verbose_name=_("organization")
    )
    comments = models.TextField(_("comments"), blank=True)
    submitted_by = models.ForeignKey(
        Person,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last submitted by"),
    )
    submitter_name = models.CharField(_("name"), max_length=100)
    submitter_position = models.CharField(_("position"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("first submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)
    # Raised by every save (the form, the admin, a merge): a form opened before a change
    # carries the version it showed, and is refused once it no longer matches.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organization"], name="feedback_once_per_organization"
            )
        ]

    def __str__(self):
        return f"{self.organization.name} · {self.meeting.title}"

    def save(self, *args, **kwargs):
        """Stores the feedback, its `version` raised by one in the database itself (one
        UPDATE … SET version = version + 1), whatever this copy of it last read."""
        if self._state.adding:
            return super().save(*args, **kwargs)
        with transaction.atomic(using=kwargs.get("using")):
            rows = Feedback.objects.filter(pk=self.pk)
            if rows.update(version=F("version") + 1):
                self.version = rows.values_list("version", flat=True).get()
            return super().save(*args, **kwargs)

    def merge_into_duplicate(self, organization):
        """When organizations merge and both sent feedback on the meeting, the comments are
        kept together on the kept organization's feedback, and this one goes."""
        kept = Feedback.objects.get(meeting_id=self.meeting_id, organization=organization)
        if self.comments.strip():
            kept.comments = "\n\n".join(part for part in (kept.comments, self.comments) if part)
            kept._change_reason = getattr(self, "_change_reason", "")
            kept.save(update_fields=["comments", "updated_at"])
        self.delete()


class FeedbackSubmission(models.Model):
    """A form sent, by the one-time key it was rendered with: the same form sent twice (a
    double click on "send") is stored once, and the second answer shows what was saved."""

    invitation = models.ForeignKey(
        FeedbackInvitation,
        models.CASCADE,
        related_name="submissions",
        verbose_name=_("feedback invitation"),
    )
    key = models.CharField(_("form key"), max_length=64, editable=False)
    # What was sent, so that the same key with other content (a form sent again after going
    # back in the browser) is not taken for a double click.
    digest = models.CharField(_("content digest"), max_length=64, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("feedback submission")
        verbose_name_plural = _("feedback submissions")
        constraints = [models.UniqueConstraint(fields=["key"], name="feedback_submission_key_once")]

    def __str__(self):
        return f"{self.invitation} · {self.submitted_at:%Y-%m-%d %H:%M}"
