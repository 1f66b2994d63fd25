from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from events.models import Meeting
from stakeholders.models import Organization

from .formatting import format_krw, format_quantity


class Qualifier(models.TextChoices):
    """How a reported figure reads: "under 5 %", "up to 10 trillion won"."""

    EXACT = "exact", _("exactly")
    LESS_THAN = "less_than", _("less than")
    UP_TO = "up_to", _("up to")
    ABOUT = "about", _("about")


# Where the qualifier stands depends on the language: "less than 5%" but "5% 미만".
QUALIFIED_FORMATS = {
    Qualifier.LESS_THAN: _("less than %(value)s"),
    Qualifier.UP_TO: _("up to %(value)s"),
    Qualifier.ABOUT: _("about %(value)s"),
}


def qualified(value: str, qualifier: str) -> str:
    template = QUALIFIED_FORMATS.get(qualifier)
    return template % {"value": value} if template else value


class Commitment(models.Model):
    class Kind(models.TextChoices):
        TARGET = "target", _("Target")
        BUDGET = "budget", _("Budget")
        FINANCING = "financing", _("Financing")
        PROGRAMME = "programme", _("Programme")

    title = models.CharField(_("title (Korean)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    description = models.TextField(_("description"), blank=True)
    meeting = models.ForeignKey(
        Meeting,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("announced at"),
    )
    ministry = models.ForeignKey(
        Organization,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        limit_choices_to={"kind": Organization.Kind.MINISTRY},
        verbose_name=_("responsible ministry"),
    )
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    baseline_qualifier = models.CharField(
        _("baseline reads"), max_length=20, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    amount_krw = models.DecimalField(
        _("amount (KRW)"), max_digits=20, decimal_places=0, null=True, blank=True
    )
    amount_qualifier = models.CharField(
        _("amount reads"), max_length=20, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("government pledge")
        verbose_name_plural = _("government pledges")
        ordering = ["meeting__period_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_krw__isnull=True) | Q(amount_krw__gte=0),
                name="commitment_amount_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True)
                | Q(target_year__isnull=True)
                | Q(target_year__gte=F("baseline_year")),
                name="commitment_target_not_before_baseline",
                violation_error_message=_("The target year cannot be before the baseline year."),
            ),
        ]

    def __str__(self):
        return self.title

    def baseline_display(self) -> str:
        if self.baseline_value is None:
            return ""
        text = qualified(format_quantity(self.baseline_value, self.unit), self.baseline_qualifier)
        return f"{text} ({self.baseline_year})" if self.baseline_year else text

    def target_display(self) -> str:
        if self.target_value is None:
            return ""
        text = format_quantity(self.target_value, self.unit)
        return f"{text} ({self.target_year})" if self.target_year else text

    def amount_display(self) -> str:
        if self.amount_krw is None:
            return ""
        return qualified(format_krw(self.amount_krw), self.amount_qualifier)

    @property
    def change_percent(self) -> Decimal | None:
        """Relative change from baseline to target, e.g. +84.9 for the smart-factory budget."""
        if not self.baseline_value or self.target_value is None:
            return None
        return (self.target_value - self.baseline_value) / self.baseline_value * 100

    def progress_percent(self, value: Decimal | None = None) -> Decimal | None:
        """How far `value` (by default the latest progress entry) is from baseline to target."""
        if self.baseline_value is None or self.target_value is None:
            return None
        if self.target_value == self.baseline_value:
            return None
        if value is None:
            latest = self.progress_entries.order_by("-date", "-id").first()
            if latest is None:
                return Decimal(0)
            value = latest.value
        share = (value - self.baseline_value) / (self.target_value - self.baseline_value) * 100
        return max(Decimal(0), min(Decimal(100), share))


class ProgressEntry(models.Model):
    commitment = models.ForeignKey(
        Commitment,
        models.CASCADE,
        related_name="progress_entries",
        verbose_name=_("government pledge"),
    )
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        ordering = ["commitment", "date", "id"]
        indexes = [models.Index(fields=["commitment", "date"], name="progress_commitment_date_idx")]

    def __str__(self):
        return f"{self.date.isoformat()}: {self.value.normalize():f}"
