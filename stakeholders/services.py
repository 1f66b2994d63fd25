"""Writes of organizations and people. Every entry point (admin, API, import, seed) calls these."""

from django.db import transaction

from .models import Organization


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
