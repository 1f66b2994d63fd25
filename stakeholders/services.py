"""Writes of organizations and people. Every entry point (admin, API, import, seed) calls these."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import Organization, OrganizationName


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
