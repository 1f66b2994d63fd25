import django_filters
from django.utils.translation import gettext as _
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from api.serializers import ModelCleanMixin, SavedByService

from . import rules, selectors, services
from .models import (
    TOO_LONG,
    ContactAccess,
    Organization,
    OrganizationName,
    Person,
    too_long_when_normalized,
)


class OrganizationSerializer(serializers.ModelSerializer):
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list
    )

    class Meta:
        model = Organization
        # The list's rows (selectors.organization_rows) have the same fields in this order.
        fields = list(selectors.ORGANIZATION_API_FIELDS)
        read_only_fields = ["updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["aliases"] = instance.aliases
        return data

    def validate_aliases(self, aliases):
        """An alias another organization answers to is refused, as the admin refuses it; left
        to the database, it would fail as if a concurrent writer had taken it."""
        own = self.instance.pk if self.instance else None
        errors = {}
        for index, alias in enumerate(aliases):
            if too_long_when_normalized(alias):
                errors[index] = [TOO_LONG]
                continue
            owner = OrganizationName.owner_of(alias, exclude=own)
            if owner is not None:
                errors[index] = [
                    _("Another organization is already known by this name: %(org)s")
                    % {"org": owner}
                ]
        if errors:
            raise serializers.ValidationError(errors)
        return aliases

    def create(self, validated_data):
        return services.organization_create(**validated_data)

    def update(self, instance, validated_data):
        aliases = validated_data.pop("aliases", None)
        return services.organization_update(
            organization=instance, aliases=aliases, **validated_data
        )


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", label="Korean or English name or alias, normalized"
    )

    class Meta:
        model = Organization
        fields = ["kind", "q"]

    def filter_q(self, queryset, name, value):
        return queryset.matching(value)


class OrganizationViewSet(viewsets.ModelViewSet):
    queryset = Organization.objects.prefetch_related("names").order_by("name", "id")
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    ordering_fields = ["name", "name_en", "updated_at"]

    def list(self, request, *args, **kwargs):
        # Rows, not instances: the same representation for a fraction of the cost.
        values = selectors.organization_values(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(values)
        return self.get_paginated_response(selectors.organization_rows(page))


class PersonSerializer(SavedByService, ModelCleanMixin, serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "name_en",
            "organization",
            "position",
            "email",
            "phone",
            "language",
            "accepts_email",
            "user",
            "source",
            "source_note",
            "legal_basis",
            "legal_basis_date",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]

    def save_instance(self, person):
        return services.person_save(person=person)


class PersonViewSet(viewsets.ModelViewSet):
    queryset = Person.objects.order_by("organization_id", "name", "id")
    serializer_class = PersonSerializer
    filterset_fields = ["organization", "language", "accepts_email", "email"]
    ordering_fields = ["name", "updated_at"]

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        services.contacts_accessed(request=request, action=ContactAccess.Action.LISTED)
        return response

    def retrieve(self, request, *args, **kwargs):
        person = self.get_object()
        services.contacts_accessed(
            request=request, action=ContactAccess.Action.VIEWED, people=[person]
        )
        return Response(self.get_serializer(person).data)

    def perform_create(self, serializer):
        # A program that does not say where a contact came from is recorded as the source.
        serializer.save(
            **rules.provenance_completed(
                serializer.validated_data,
                source=Person.Source.OTHER,
                note=_("added through the API"),
            )
        )
