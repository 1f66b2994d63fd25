"""Reads of organizations and people."""

from . import holders
from .models import Person


def everything_about(person: Person) -> dict:
    """What the system holds about one contact, for an access request (PIPA art. 35): their
    record and its past versions, and what every contact holder (stakeholders.holders) keeps
    about them: the rows that point at them, and past versions that copy their details."""
    return {
        "person": holders.serialized(Person.objects.filter(pk=person.pk)),
        "past versions": holders.serialized(person.history.all()),
        **holders.export(person),
    }
