"""Writes of organizations and people. Every entry point (admin, API, import, seed) calls these."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.clients import client_address

from .models import ContactAccess, Organization, OrganizationName, Person


@transaction.atomic
def organization_create(*, aliases=(), **fields) -> Organization:
    organization = Organization(**fields)
    organization.full_clean()
    organization.save()
    organization.set_aliases(aliases)
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, aliases=None, **fields) -> Organization:
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.full_clean()
    organization.save()
    if aliases is not None:
        organization.set_aliases(aliases)
    return organization


@transaction.atomic
def organizations_merge(*, keep: Organization, others) -> dict[str, int]:
    """Merges duplicate organizations into `keep`: every row that points at one of `others`
    (people, attendance, presentations, requests, pledges, feedback…) is moved to `keep`
    with a note in its history, their names become aliases of `keep`, and they are deleted.
    A row that would duplicate one `keep` already has (both attended the same meeting) is
    handed to its model's `merge_into_duplicate(keep)`, which folds it in and deletes it; a
    model without one stops the merge. Returns how many rows were moved and folded."""
    report = {"moved": 0, "dropped": 0}
    names = set(keep.aliases)
    for other in (o for o in others if o.pk != keep.pk):
        reason = _("Merged “%(other)s” into “%(keep)s”") % {"other": other, "keep": keep}
        for relation in Organization._meta.related_objects:
            if relation.related_model is OrganizationName:
                continue
            field = relation.field.name
            for row in relation.related_model._default_manager.filter(**{field: other}):
                setattr(row, field, keep)
                row._change_reason = reason
                try:
                    with transaction.atomic():
                        row.save(update_fields=[field])
                    report["moved"] += 1
                except IntegrityError:
                    if not hasattr(row, "merge_into_duplicate"):
                        raise
                    row.merge_into_duplicate(keep)
                    report["dropped"] += 1
        names.update([other.name, other.name_en, *other.aliases])
        other.names.all().delete()
        other._change_reason = reason
        other.delete()
        keep._change_reason = reason
        keep.save()
    keep.set_aliases(sorted(n for n in names if n))
    return report


@dataclass
class ContactMatch:
    """What an imported row named, found or newly created."""

    organization: Organization
    person: Person | None
    new_organization: bool = False
    new_person: bool = False


def contact_match(
    *,
    organization_name,
    name="",
    name_en="",
    email="",
    position="",
    phone="",
    create_organization=True,
) -> ContactMatch:
    """Finds the organization by any of its names or aliases (legal forms, spaces and case
    aside) and the person by email, else by name within it; creates a missing person, and a
    missing organization (as a company) when `create_organization`. Raises a ValidationError,
    keyed by field, when the row contradicts what is stored."""
    organization = Organization.objects.by_name(organization_name)
    match = ContactMatch(organization=organization, person=None)
    if organization is None:
        if not create_organization:
            message = _("No organization is called “%(name)s”.") % {"name": organization_name}
            raise ValidationError({"organization": message})
        try:
            match.organization = organization_create(
                name=organization_name, kind=Organization.Kind.COMPANY
            )
        except ValidationError as error:
            raise ValidationError({"organization": error.messages}) from error
        match.new_organization = True
    email = email.strip().lower()
    if not (email or name):
        return match  # the organization attends without a named person
    person = contact_of(match.organization, email or name)
    if person is not None and person.organization_id != match.organization.pk:
        raise ValidationError(
            {
                "email": _("%(email)s is a contact of %(organization)s, not of %(named)s.")
                % {"email": email, "organization": person.organization, "named": organization_name}
            }
        )
    if person is None:
        person = Person(
            organization=match.organization,
            name=name,
            name_en=name_en,
            email=email,
            position=position,
            phone=phone,
            **provenance(Person.Source.ORGANIZATION, _("attendee list import")),
        )
        person.full_clean()
        person.save()
        match.new_person = True
    match.person = person
    return match


def contact_of(organization, email_or_name):
    """The person an email names (anyone's: an email is one person's), or else the
    organization's contact of that name; None if there is none."""
    text = email_or_name.strip()
    people = Person.objects.select_related("organization")
    if "@" in text:
        return people.filter(email=text.lower()).first()
    return people.filter(organization=organization, name=text).first()


def provenance(source: str, note: str) -> dict:
    """Where a contact added by the system came from, under the site's legal basis, today."""
    return {
        "source": source,
        "source_note": note,
        "legal_basis": settings.CONTACT_LEGAL_BASIS,
        "legal_basis_date": timezone.localdate(),
    }


# The personal details a contact carries; what they asked and when stays.
PERSONAL_FIELDS = {"name_en": "", "position": "", "email": "", "phone": "", "source_note": ""}


def contacts_to_anonymise(*, now=None):
    """Contacts without an account whose last trace (their own change, an attendance, a reply,
    a request, an invitation, an email…) is older than PERSONAL_DATA_RETENTION_DAYS."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    people = Person.objects.filter(user__isnull=True, anonymised_at__isnull=True)
    people = people.filter(updated_at__lt=cutoff)
    for relation in Person._meta.related_objects:
        fields = {field.name for field in relation.related_model._meta.get_fields()}
        for stamp in ("updated_at", "created_at"):
            if stamp in fields:
                people = people.exclude(**{f"{relation.name}__{stamp}__gte": cutoff})
                break
    return people.order_by("pk")


@transaction.atomic
def contacts_anonymise(*, people, now=None, reason=None) -> int:
    """Erases the contacts' personal details, in their past versions too, and asks every
    model that keeps some of them (`forget_person`) to erase its copy. Their requests and
    attendance stay, under a placeholder name. Returns how many were anonymised."""
    now = now or timezone.now()
    reason = reason or _("Retention period over: personal details erased")
    count = 0
    for person in people.select_for_update():
        placeholder = _("Erased contact #%(id)s") % {"id": person.pk}
        for field, value in {"name": placeholder, **PERSONAL_FIELDS}.items():
            setattr(person, field, value)
        person.accepts_email = False
        person.anonymised_at = now
        person._change_reason = reason
        person.save()
        person.history.exclude(pk=person.history.latest().pk).update(
            name=placeholder, **PERSONAL_FIELDS
        )
        for relation in Person._meta.related_objects:
            forget = getattr(relation.related_model, "forget_person", None)
            if forget is not None:
                forget(person)
        count += 1
    return count


# Search boxes: what was typed may itself be personal data, so the record keeps only that a
# search was made.
FREE_TEXT_PARAMETERS = {"q", "search", "email", "name"}


def contacts_accessed(*, request, action, people=None, detail="") -> None:
    """Records a staff member's look at contacts' details: one row per contact in `people`,
    or, without `people`, one row for a list (with its filters; search terms left out)."""
    user = request.user
    if people is None:
        people = [None]
        filters = [
            f"{key}=…" if key in FREE_TEXT_PARAMETERS else f"{key}={value}"
            for key, value in request.GET.items()
        ]
        detail = " ".join([detail, "&".join(filters)]).strip()
    seen = {
        "user": user,
        "username": user.get_username(),
        "action": action,
        "address": client_address(request),
        "detail": detail[:300],
    }
    ContactAccess.objects.bulk_create(ContactAccess(person=person, **seen) for person in people)
