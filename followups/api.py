import django_filters
from rest_framework import serializers, viewsets

from api.serializers import ModelCleanMixin
from events import rules as meeting_rules
from events.models import Meeting

from . import rules, search, selectors, services
from .models import StakeholderRequest


class StakeholderRequestSerializer(ModelCleanMixin, serializers.ModelSerializer):
    class Meta:
        model = StakeholderRequest
        # The list's rows (selectors.request_rows) have the same fields in this order.
        fields = list(selectors.REQUEST_API_FIELDS)
        read_only_fields = ["responded_at", "published_at", "created_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            for name, field in fields.items():
                if not rules.may_edit_field(request.user, name):
                    field.read_only = True
        return fields

    def validate_meeting(self, meeting):
        if not meeting_rules.may_see_meeting(self.context["request"].user, meeting):
            raise serializers.ValidationError("Invalid pk - object does not exist.")
        return meeting

    def create(self, validated_data):
        return services.request_create(by=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        # The values asked for become the step they mean (a new status, a new ministry).
        return services.request_edit(
            request=instance, by=self.context["request"].user, changes=validated_data
        )


class StakeholderRequestFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=StakeholderRequest.Status.choices)
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=search.QUERY_MAX_LENGTH,
        label="Korean word search in the request's text: every noun of the query, "
        "in any word form (규제 finds 규제를, 규제완화, 규제 완화).",
    )

    class Meta:
        model = StakeholderRequest
        fields = [
            "meeting",
            "organization",
            "status",
            "ministry",
            "category",
            "source",
            "assignee",
            "due_before",
            "due_after",
            "q",
        ]

    def filter_q(self, queryset, name, value):
        return search.matching(queryset, value)


class StakeholderRequestViewSet(viewsets.ModelViewSet):
    serializer_class = StakeholderRequestSerializer
    filterset_class = StakeholderRequestFilter
    ordering_fields = ["created_at", "updated_at", "due_date", "status"]

    def list(self, request, *args, **kwargs):
        # Rows, not instances: the same representation for a fraction of the cost.
        values = selectors.request_values(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(values)
        return self.get_paginated_response(selectors.request_rows(page))

    def get_queryset(self):
        queryset = StakeholderRequest.objects.prefetch_related("commitments").order_by(
            "-created_at", "-id"
        )
        # Every request has a meeting: one who sees them all needs no subquery (which would
        # cost the list's count a third of its time at 100,000 requests).
        if not meeting_rules.sees_internal_meetings(self.request.user):
            queryset = queryset.filter(meeting__in=Meeting.objects.public())
        return selectors.requests_visible_to(self.request.user, queryset)
