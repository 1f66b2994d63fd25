"""What a contact's record needs (PIPA): plain functions that the admin, the API, attendee
imports and substitutes named in a reply share, with stakeholders.services enforcing them
on every new contact.

A new contact says where its details came from (`source`) and on what legal basis they are
kept (`legal_basis`, dated). A person in the admin says both; what the system adds itself
(an import, a substitute, a program that leaves them out) gets them filled in: the source it
knows, the site's basis (CONTACT_LEGAL_BASIS), today.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PROVENANCE_FIELDS = ("source", "legal_basis")
MISSING = _("Say this for every new contact (PIPA).")


def provenance_missing(fields) -> list[str]:
    """Which of the provenance fields a new contact needs `fields` (a mapping: a form's
    cleaned data, the API's validated data) leave empty."""
    return [field for field in PROVENANCE_FIELDS if not fields.get(field)]


def provenance(source: str, note: str) -> dict:
    """The provenance of a contact the system adds: `source` with its note, under the
    site's legal basis, dated today."""
    return {
        "source": source,
        "source_note": note,
        "legal_basis": settings.CONTACT_LEGAL_BASIS,
        "legal_basis_date": timezone.localdate(),
    }


def provenance_completed(fields, *, source: str, note: str) -> dict:
    """`fields` with each provenance field they leave empty taken from `provenance`."""
    defaults = provenance(source, note)
    return {**fields, **{name: value for name, value in defaults.items() if not fields.get(name)}}
