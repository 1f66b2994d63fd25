"""Reads of organizations and people."""

from django.core import serializers

from .models import Person

# Link secrets are not personal data about the contact, and must not leave the system.
SECRET_FIELDS = {"salt", "token_hash"}


def everything_about(person: Person) -> dict:
    """What the system holds about one contact, for an access request (PIPA art. 35): their
    record and its past versions, and every row of any app that points at them."""

    def rows(queryset):
        model = queryset.model
        fields = [f.name for f in model._meta.concrete_fields if f.name not in SECRET_FIELDS]
        return serializers.serialize("python", queryset, fields=fields)

    held = {
        "person": rows(Person.objects.filter(pk=person.pk)),
        "past versions": rows(person.history.all()),
    }
    for relation in Person._meta.related_objects:
        related = relation.related_model._default_manager.filter(**{relation.field.name: person})
        if related.exists():
            held[relation.related_model._meta.label] = rows(related)
    return held
