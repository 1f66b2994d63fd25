"""What this app holds about people and organizations (stakeholders.holders)."""

from . import holders, services
from .models import ContactAccess, OrganizationName, Person

holders.register(
    holders.Holder(
        model=Person,
        organizations=("organization",),
        details=("name", "name_en", "position", "email", "phone", "source_note"),
        forget=services.person_forget,
        # The record and its past versions head the access export (selectors.everything_about).
        exported=False,
    )
)
holders.register(
    holders.Holder(
        model=OrganizationName,
        organizations=("organization",),
        merge=services.organization_names_merge,
    )
)
# Who looked at a contact's details, and when: staff's record, with no copy of the details.
# Looking is no trace that keeps a contact, and the record outlives an erasure (it notes it).
holders.register(holders.Holder(model=ContactAccess, people=("person",), exported=False))
