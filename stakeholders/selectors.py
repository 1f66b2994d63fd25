"""Reads of organizations and people.

The API's organization list renders plain rows from `values()` (organization_values,
organization_rows) rather than model instances and serializers: the same representation
(stakeholders.api's OrganizationSerializer, which lists its fields from
ORGANIZATION_API_FIELDS; a test holds the two equal) for a fraction of the Python work.
"""

from django.utils import timezone

from api.rows import instant

from . import holders
from .models import OrganizationName, Person

# The API's organization fields, in its order.
ORGANIZATION_API_FIELDS = (
    "id",
    "name",
    "name_en",
    "kind",
    "aliases",
    "sector",
    "website",
    "business_number",
    "updated_at",
)
_VALUE_FIELDS = tuple(name for name in ORGANIZATION_API_FIELDS if name != "aliases")


def everything_about(person: Person) -> dict:
    """What the system holds about one contact, for an access request (PIPA art. 35): their
    record and its past versions, and what every contact holder (stakeholders.holders) keeps
    about them: the rows that point at them, and past versions that copy their details."""
    return {
        "person": holders.serialized(Person.objects.filter(pk=person.pk)),
        "past versions": holders.serialized(person.history.all()),
        **holders.export(person),
    }


def organization_values(queryset):
    """A values() queryset of the API's organization fields but the aliases, to paginate."""
    return queryset.prefetch_related(None).values(*_VALUE_FIELDS)


def organization_rows(values) -> list[dict]:
    """API representations of organization rows from `organization_values`, in their order."""
    values = list(values)
    aliases = organization_aliases([row["id"] for row in values])
    tz = timezone.get_current_timezone()
    for row in values:
        row["aliases"] = aliases.get(row["id"], [])
        row["updated_at"] = instant(row["updated_at"], tz)
    return [{name: row[name] for name in ORGANIZATION_API_FIELDS} for row in values]


def organization_aliases(organization_ids) -> dict:
    """Each organization's aliases, in Organization.aliases' order (OrganizationName.Meta's)."""
    found: dict = {}
    aliases = (
        OrganizationName.objects.filter(
            organization_id__in=organization_ids, kind=OrganizationName.Kind.ALIAS
        )
        .order_by("name")
        .values_list("organization_id", "name")
    )
    for organization_id, name in aliases:
        found.setdefault(organization_id, []).append(name)
    return found
