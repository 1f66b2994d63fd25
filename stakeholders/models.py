from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import business_number
from .names import normalize_name


class OrganizationQuerySet(models.QuerySet):
    def matching(self, text: str):
        """Organizations any of whose names or aliases contains `text`, compared normalized."""
        key = normalize_name(text)
        if not key:
            return self.none()
        return self.filter(
            pk__in=OrganizationName.objects.filter(normalized__contains=key).values(
                "organization_id"
            )
        )

    def by_name(self, text: str):
        """The organization one of whose names or aliases is exactly `text`, normalized."""
        return self.filter(names__normalized=normalize_name(text)).first()


class Organization(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        MINISTRY = "ministry", _("Ministry")
        AGENCY = "agency", _("Public agency")
        RESEARCH = "research", _("Research institute")
        UNIVERSITY = "university", _("University")
        ASSOCIATION = "association", _("Association")
        OTHER = "other", _("Other")

    name = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    business_number = models.CharField(
        _("business registration number"),
        max_length=12,
        blank=True,
        validators=[business_number.validate],
        help_text=_("E.g. 123-45-67890; stored as its 10 digits."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["business_number"],
                condition=~Q(business_number=""),
                name="organization_business_number_unique",
                violation_error_message=_(
                    "Another organization has this business registration number."
                ),
            ),
        ]

    def __str__(self):
        if self.name_en and normalize_name(self.name_en) != normalize_name(self.name):
            return f"{self.name} ({self.name_en})"
        return self.name

    def save(self, *args, **kwargs):
        with transaction.atomic():
            super().save(*args, **kwargs)
            self._sync_primary_names()

    @property
    def aliases(self) -> list[str]:
        return [n.name for n in self.names.all() if n.kind == OrganizationName.Kind.ALIAS]

    def clean_fields(self, exclude=None):
        # "123-45-67890" is accepted and kept as its digits.
        self.business_number = business_number.normalize(self.business_number)
        super().clean_fields(exclude)

    def clean(self):
        errors = {}
        for field in ("name", "name_en"):
            if too_long_when_normalized(getattr(self, field)):
                errors[field] = TOO_LONG
                continue
            owner = OrganizationName.owner_of(getattr(self, field), exclude=self.pk)
            if owner is not None:
                errors[field] = _("Another organization is already known by this name: %(org)s") % {
                    "org": owner
                }
        if errors:
            raise ValidationError(errors)

    def _sync_primary_names(self):
        """Keep the name index in step with the Korean and English names."""
        korean_key = normalize_name(self.name)
        wanted = {
            OrganizationName.Kind.KOREAN: self.name,
            # An English name that normalizes like the Korean one ("KAIST") adds nothing.
            OrganizationName.Kind.ENGLISH: (
                self.name_en if normalize_name(self.name_en) != korean_key else ""
            ),
        }
        primary = {n.kind: n for n in self.names.exclude(kind=OrganizationName.Kind.ALIAS)}
        keys = {normalize_name(v) for v in wanted.values()} - {""}
        # An alias that has become a primary name is redundant and would clash.
        self.names.filter(kind=OrganizationName.Kind.ALIAS, normalized__in=keys).delete()
        for kind, value in wanted.items():
            row = primary.get(kind)
            if not normalize_name(value):
                if row is not None:
                    row.delete()
            elif row is None:
                OrganizationName.objects.create(organization=self, kind=kind, name=value)
            elif row.name != value:
                row.name = value
                row.save()

    def set_aliases(self, aliases):
        """Replace the aliases; names equal to a primary name or repeated are dropped."""
        with transaction.atomic():
            primary = set(
                self.names.exclude(kind=OrganizationName.Kind.ALIAS).values_list(
                    "normalized", flat=True
                )
            )
            wanted = {}
            for alias in aliases:
                key = normalize_name(alias)
                if key and key not in primary:
                    wanted.setdefault(key, alias.strip())
            self.names.filter(kind=OrganizationName.Kind.ALIAS).exclude(
                normalized__in=wanted
            ).delete()
            existing = set(
                self.names.filter(kind=OrganizationName.Kind.ALIAS).values_list(
                    "normalized", flat=True
                )
            )
            for key, alias in wanted.items():
                if key not in existing:
                    OrganizationName.objects.create(
                        organization=self, kind=OrganizationName.Kind.ALIAS, name=alias
                    )


# Normalizing can lengthen a name ("ß" becomes "ss"); the index column has room for 200.
NORMALIZED_MAX_LENGTH = 200
TOO_LONG = _("This name is too long.")


def too_long_when_normalized(name: str) -> bool:
    return len(normalize_name(name)) > NORMALIZED_MAX_LENGTH


class OrganizationName(models.Model):
    """Every name an organization answers to, normalized, unique across all organizations."""

    class Kind(models.TextChoices):
        KOREAN = "ko", _("Korean name")
        ENGLISH = "en", _("English name")
        ALIAS = "alias", _("Alias")

    organization = models.ForeignKey(
        Organization, models.CASCADE, related_name="names", verbose_name=_("organization")
    )
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices, default=Kind.ALIAS)
    name = models.CharField(_("name"), max_length=200)
    normalized = models.CharField(
        _("normalized name"), max_length=NORMALIZED_MAX_LENGTH, editable=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        ordering = ["organization", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["normalized"], name="organizationname_normalized_unique"
            ),
            models.UniqueConstraint(
                fields=["organization", "kind"],
                condition=~Q(kind="alias"),
                name="organizationname_one_korean_one_english",
            ),
            models.CheckConstraint(
                condition=~Q(normalized=""), name="organizationname_normalized_not_empty"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized = normalize_name(self.name)
        super().save(*args, **kwargs)

    @classmethod
    def owner_of(cls, name, *, exclude=None):
        """The organization, other than `exclude`, that is already known by `name`."""
        key = normalize_name(name)
        if not key:
            return None
        row = (
            cls.objects.filter(normalized=key)
            .exclude(organization_id=exclude)
            .select_related("organization")
            .first()
        )
        return row.organization if row else None

    def clean(self):
        if not normalize_name(self.name):
            raise ValidationError({"name": _("A name needs at least one letter or digit.")})
        if too_long_when_normalized(self.name):
            raise ValidationError({"name": TOO_LONG})
        owner = OrganizationName.owner_of(self.name, exclude=self.organization_id)
        if owner is not None:
            raise ValidationError(
                {
                    "name": _("Another organization is already known by this name: %(org)s")
                    % {"org": owner}
                }
            )


class Person(models.Model):
    class Language(models.TextChoices):
        KOREAN = "ko", _("Korean")
        ENGLISH = "en", _("English")

    class Source(models.TextChoices):
        """Where the contact details came from (PIPA: a data subject may ask)."""

        THE_PERSON = "person", _("given by the person")
        ORGANIZATION = "organization", _("given by their organization (attendee list)")
        PUBLISHED = "published", _("published by them or their organization")
        GOVERNMENT_DIRECTORY = "directory", _("government staff directory")
        OTHER = "other", _("other (see the note)")

    class LegalBasis(models.TextChoices):
        """Grounds for processing under PIPA Article 15(1)."""

        CONSENT = "consent", _("consent (Art. 15(1)1)")
        PUBLIC_DUTY = "public_duty", _("a public institution's duties under law (Art. 15(1)3)")
        CONTRACT = "contract", _("a contract with the person (Art. 15(1)4)")
        LEGITIMATE_INTEREST = "legitimate_interest", _("legitimate interest (Art. 15(1)6)")

    name = models.CharField(_("name (Korean)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    organization = models.ForeignKey(
        Organization, models.PROTECT, related_name="people", verbose_name=_("organization")
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.KOREAN
    )
    accepts_email = models.BooleanField(
        _("accepts reminder emails"),
        default=True,
        help_text=_("Unticked, the person receives no reminders or digests."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
        help_text=_("For ministry officers: the account they sign in with."),
    )
    source = models.CharField(_("source of the details"), max_length=20, choices=Source, blank=True)
    source_note = models.CharField(
        _("source note"),
        max_length=300,
        blank=True,
        help_text=_("Which list, card or page, e.g. “POSCO attendee list emailed 2025-09-15”."),
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=20, choices=LegalBasis, blank=True, db_index=True
    )
    legal_basis_date = models.DateField(
        _("consent or basis date"),
        null=True,
        blank=True,
        help_text=_("When the person consented, or when the basis was recorded."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    anonymised_at = models.DateTimeField(
        _("anonymised at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the retention period ended and the personal details were erased."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["organization__name", "name"]

    def __str__(self):
        label = f"{self.name} ({self.name_en})" if self.name_en else self.name
        return f"{label} · {self.organization.name}"

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        if self.legal_basis and self.legal_basis_date is None:
            self.legal_basis_date = timezone.localdate()
        super().save(*args, **kwargs)


class ContactAccess(models.Model):
    """One look at contacts' personal details in the admin (PIPA's access record): who, when,
    from where, which contact. Kept apart from the contact's history, which records changes."""

    class Action(models.TextChoices):
        VIEWED = "viewed", _("viewed the contact's page")
        LISTED = "listed", _("listed contacts")
        EXPORTED = "exported", _("exported everything held (access request)")
        ERASED = "erased", _("erased (erasure request)")

    at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    username = models.CharField(_("username"), max_length=150)
    action = models.CharField(_("action"), max_length=10, choices=Action)
    # Not a reverse relation of Person: looking at a contact is no trace that keeps them.
    person = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("contact")
    )
    address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("contact access record")
        verbose_name_plural = _("contact access records")
        default_permissions = ("view",)
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["-at"], name="contactaccess_at"),
            models.Index(fields=["person", "-at"], name="contactaccess_person_at"),
            models.Index(fields=["action", "-at"], name="contactaccess_action_at"),
        ]

    def __str__(self):
        at = timezone.localtime(self.at)
        return f"{self.username} · {self.get_action_display()} · {at:%Y-%m-%d %H:%M}"
