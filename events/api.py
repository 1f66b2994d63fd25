import datetime

import django_filters
from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from api.serializers import ModelCleanMixin

from . import services
from .models import Attendance, Meeting, Series


class OrganizationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MeetingSerializer(serializers.ModelSerializer):
    series = serializers.SlugRelatedField(slug_field="slug", queryset=Series.objects.all())
    organizations = serializers.SerializerMethodField()
    ics_url = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "series",
            "relay_number",
            "title",
            "title_en",
            "theme",
            "description",
            "all_day",
            "starts_at",
            "ends_at",
            "start_date",
            "end_date",
            "venue",
            "address",
            "status",
            "visibility",
            "feedback_deadline",
            "host",
            "organizations",
            "version",
            "updated_at",
            "ics_url",
        ]
        read_only_fields = ["version", "updated_at"]

    @extend_schema_field(OrganizationRefSerializer(many=True))
    def get_organizations(self, meeting):
        seen = {}
        for attendance in meeting.attendances.all():
            seen.setdefault(attendance.organization_id, attendance.organization.name)
        return [{"id": pk, "name": name} for pk, name in seen.items()]

    def get_ics_url(self, meeting) -> str:
        return f"{settings.SITE_URL}/calendar/meetings/{meeting.pk}.ics"

    def create(self, validated_data):
        return services.meeting_create(**validated_data)

    def update(self, instance, validated_data):
        return services.meeting_update(meeting=instance, **validated_data)


class MeetingFilter(django_filters.FilterSet):
    series = django_filters.CharFilter(field_name="series__slug")
    status = django_filters.MultipleChoiceFilter(choices=Meeting.Status.choices)
    date_from = django_filters.DateFilter(
        method="filter_date_from", label="Meetings that end on or after this day"
    )
    date_to = django_filters.DateFilter(
        method="filter_date_to", label="Meetings that begin on or before this day"
    )
    organization = django_filters.NumberFilter(
        method="filter_organization",
        label="Meetings this organization attends",
    )

    class Meta:
        model = Meeting
        fields = ["series", "status", "visibility", "all_day", "date_from", "date_to"]

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(period_end__gt=_start_of(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(period_start__lt=_start_of(value, days=1))

    def filter_organization(self, queryset, name, value):
        return queryset.filter(
            pk__in=Attendance.objects.filter(organization_id=value).values("meeting_id")
        )


def _start_of(day, days=0):
    return datetime.datetime.combine(
        day + datetime.timedelta(days=days),
        datetime.time.min,
        tzinfo=timezone.get_default_timezone(),
    )


class MeetingViewSet(viewsets.ModelViewSet):
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    ordering_fields = ["period_start", "relay_number", "updated_at", "title"]

    def get_queryset(self):
        return (
            Meeting.objects.visible_to(self.request.user)
            .select_related("series")
            .prefetch_related(
                Prefetch(
                    "attendances",
                    queryset=Attendance.objects.select_related("organization").order_by("id"),
                )
            )
            .order_by("period_start", "relay_number", "id")
        )


class SeriesSerializer(serializers.ModelSerializer):
    class Meta:
        model = Series
        fields = ["id", "slug", "name", "name_en", "host", "host_en", "description", "sources"]


class SeriesViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Series.objects.order_by("name")
    serializer_class = SeriesSerializer
    lookup_field = "slug"


class AttendanceSerializer(ModelCleanMixin, serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = [
            "id",
            "meeting",
            "organization",
            "person",
            "role",
            "status",
            "replaces",
            "note",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]

    def validate_meeting(self, meeting):
        user = self.context["request"].user
        if not Meeting.objects.visible_to(user).filter(pk=meeting.pk).exists():
            raise serializers.ValidationError("Invalid pk - object does not exist.")
        return meeting


class AttendanceViewSet(viewsets.ModelViewSet):
    serializer_class = AttendanceSerializer
    filterset_fields = ["meeting", "organization", "person", "role", "status"]
    ordering_fields = ["id", "updated_at"]

    def get_queryset(self):
        visible = Meeting.objects.visible_to(self.request.user)
        return Attendance.objects.filter(meeting__in=visible).order_by("id")
