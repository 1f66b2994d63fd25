"""Writes of organizations and people. Every entry point (admin, API, import, seed, a reply
naming a substitute) calls these; what a contact's record needs is in stakeholders.rules."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.clients import client_address

from . import holders, rules
from .models import ContactAccess, Organization, OrganizationName, Person


@transaction.atomic
def organization_save(*, organization: Organization) -> Organization:
    """Validates and stores a new or changed organization (its names index follows)."""
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def organization_create(*, aliases=(), **fields) -> Organization:
    organization = organization_save(organization=Organization(**fields))
    organization.set_aliases(aliases)
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, aliases=None, **fields) -> Organization:
    for name, value in fields.items():
        setattr(organization, name, value)
    organization_save(organization=organization)
    if aliases is not None:
        organization.set_aliases(aliases)
    return organization


def alias_save(*, alias: OrganizationName) -> OrganizationName:
    """Stores one alias of an organization as a form checked it (see the admin's
    AliasFormSet); its normalized key is taken on saving."""
    alias.kind = OrganizationName.Kind.ALIAS
    alias.save()
    return alias


@transaction.atomic
def person_save(*, person: Person) -> Person:
    """Validates and stores a new or changed contact. A new one must say where its details
    came from and on what basis they are kept (stakeholders.rules); raises a ValidationError
    keyed by field otherwise."""
    if person.pk is None:
        stated = {field: getattr(person, field) for field in rules.PROVENANCE_FIELDS}
        if missing := rules.provenance_missing(stated):
            raise ValidationError(dict.fromkeys(missing, rules.MISSING))
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def organizations_merge(*, keep: Organization, others) -> dict[str, int]:
    """Merges duplicate organizations into `keep`: every contact holder (stakeholders.holders:
    people, attendance, presentations, requests, pledges, feedback…) moves its rows that point
    at one of `others` to `keep` with a note in their history, their names become aliases of
    `keep`, and they are deleted. A row that would duplicate one `keep` already has (both
    attended the same meeting) is folded into it by its holder; a holder that cannot fold
    stops the merge. Returns how many rows were moved and folded."""
    report = {"moved": 0, "dropped": 0}
    names = set(keep.aliases)
    for other in (o for o in others if o.pk != keep.pk):
        reason = _("Merged “%(other)s” into “%(keep)s”") % {"other": other, "keep": keep}
        names.update([other.name, other.name_en, *other.aliases])
        moved, folded = holders.merge(keep=keep, other=other, reason=reason)
        report["moved"] += moved
        report["dropped"] += folded
        other._change_reason = reason
        other.delete()
        keep._change_reason = reason
        keep.save()
    keep.set_aliases(sorted(n for n in names if n))
    return report


def organization_names_merge(merging: holders.Merge) -> tuple[int, int]:
    """The merged organization's names are not moved: the merge makes them aliases of the
    kept one."""
    merging.other.names.all().delete()
    return 0, 0


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
        person = person_save(
            person=Person(
                organization=match.organization,
                name=name,
                name_en=name_en,
                email=email,
                position=position,
                phone=phone,
                **rules.provenance(Person.Source.ORGANIZATION, _("attendee list import")),
            )
        )
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


# The personal details a contact carries; what they asked and when stays.
PERSONAL_FIELDS = {"name_en": "", "position": "", "email": "", "phone": "", "source_note": ""}


def contacts_to_anonymise(*, now=None):
    """Contacts without an account whose last trace (their own change, and every trace a
    contact holder declares: an attendance, a reply, a request, an invitation, feedback, an
    email…) is older than PERSONAL_DATA_RETENTION_DAYS."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    people = Person.objects.filter(user__isnull=True, anonymised_at__isnull=True)
    people = people.filter(updated_at__lt=cutoff)
    for recent in holders.recent_traces(cutoff):
        people = people.exclude(pk__in=recent)
    return people.order_by("pk")


@transaction.atomic
def contacts_anonymise(*, people, now=None, reason=None) -> int:
    """Erases the contacts' personal details: every contact holder (stakeholders.holders)
    erases its copy, the contact's own record and past versions included. Their requests
    and attendance stay, under a placeholder name. Returns how many were anonymised."""
    now = now or timezone.now()
    reason = reason or _("Retention period over: personal details erased")
    count = 0
    for person in people.select_for_update():
        holders.forget(
            holders.Erasure(
                person=person,
                placeholder=_("Erased contact #%(id)s") % {"id": person.pk},
                reason=reason,
                now=now,
                name=person.name,
                email=person.email,
            )
        )
        count += 1
    return count


def person_forget(erasure: holders.Erasure) -> None:
    """The contact's own record and its past versions; the erasure is noted in its history."""
    person = erasure.person
    for field, value in {"name": erasure.placeholder, **PERSONAL_FIELDS}.items():
        setattr(person, field, value)
    person.accepts_email = False
    person.anonymised_at = erasure.now
    person._change_reason = erasure.reason
    person.save()
    person.history.exclude(pk=person.history.latest().pk).update(
        name=erasure.placeholder, **PERSONAL_FIELDS
    )


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
