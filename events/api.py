import datetime
import hashlib

import django_filters
import orjson
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, DjangoModelPermissions
from rest_framework.response import Response
from rest_framework.views import APIView

from api.exceptions import Gone
from api.pagination import CountedBy
from api.serializers import ErrorSerializer, ModelCleanMixin, ValidationErrorSerializer

from . import rules, selectors, services, sync
from .models import Attendance, Meeting, Series


class OrganizationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SeriesSlugField(serializers.SlugRelatedField):
    def to_internal_value(self, data):
        # PostgreSQL text cannot hold NUL: the lookup would fail in the database.
        if "\x00" in str(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class MeetingSerializer(serializers.ModelSerializer):
    series = SeriesSlugField(slug_field="slug", queryset=Series.objects.all())
    organizations = serializers.SerializerMethodField()
    ics_url = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        # The fast read path (selectors.meeting_rows) renders the same fields in this order.
        fields = [
            "id",
            "series",
            *selectors.MEETING_VALUE_FIELDS[1:-2],
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
        return selectors.meeting_ics_url(meeting.pk)

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
        min_value=1,
        max_value=2**63 - 1,
    )

    class Meta:
        model = Meeting
        fields = ["series", "status", "visibility", "all_day", "date_from", "date_to"]

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(period_end__gt=_start_of(value))

    def filter_date_to(self, queryset, name, value):
        if value == datetime.date.max:  # the day after it cannot be written
            return queryset
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


class MeetingTombstoneSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    deleted = serializers.BooleanField(
        help_text="Always true: the meeting was deleted or the caller may no longer see it."
    )


class MeetingSyncSerializer(serializers.Serializer):
    results = PolymorphicProxySerializer(
        component_name="MeetingSyncItem",
        serializers=[MeetingSerializer, MeetingTombstoneSerializer],
        resource_type_field_name=None,
        many=True,
    )
    next_page_token = serializers.CharField(allow_null=True)
    next_sync_token = serializers.CharField(allow_null=True)


class MeetingSyncQuerySerializer(serializers.Serializer):
    sync_token = serializers.CharField(
        required=False, help_text="From the last page of the previous sync; omit for a full sync."
    )
    page_token = serializers.CharField(
        required=False, help_text="From the previous page of this sync."
    )
    page_size = serializers.IntegerField(required=False, default=100, min_value=1, max_value=1000)


class SyncTokenInvalid(Gone):
    default_detail = _("The sync token is no longer valid: start again with a full sync.")
    default_code = "sync_token_invalid"


class MeetingViewSet(viewsets.ModelViewSet):
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    ordering_fields = ["period_start", "relay_number", "updated_at", "title"]

    def list(self, request, *args, **kwargs):
        # Rows, not instances: the same representation for a fraction of the cost.
        meetings = self.filter_queryset(self.get_queryset()).prefetch_related(None)
        values = selectors.meeting_values(meetings)
        page = self.paginate_queryset(CountedBy(values, counted=meetings))
        return self.get_paginated_response(selectors.meeting_rows(page))

    @extend_schema(
        summary=_("Sync meetings to a calendar"),
        parameters=[MeetingSyncQuerySerializer],
        responses={
            200: MeetingSyncSerializer,
            304: None,
            400: ValidationErrorSerializer,
            410: ErrorSerializer,
        },
        filters=False,
    )
    @action(detail=False, url_path="sync", filter_backends=[], pagination_class=None)
    def sync(self, request):
        """Full and incremental calendar sync: never misses a change, even one committed late."""
        query = MeetingSyncQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            page = sync.sync_page(user=request.user, **query.validated_data)
        except sync.SyncTokenInvalid:
            raise SyncTokenInvalid from None
        # Weak: the tokens in a repeated answer differ, but the cached ones stay valid.
        digest = hashlib.sha256(orjson.dumps([page.results, page.next_page_token is None]))
        etag = f'W/"{digest.hexdigest()[:40]}"'
        not_modified = get_conditional_response(request._request, etag=etag)
        if not_modified is not None:
            not_modified["ETag"] = etag
            return not_modified
        body = {
            "results": page.results,
            "next_page_token": page.next_page_token,
            "next_sync_token": page.next_sync_token,
        }
        return Response(body, headers={"ETag": etag})

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
    lookup_value_regex = "[-a-zA-Z0-9_]+"


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
        if not rules.may_see_meeting(self.context["request"].user, meeting):
            raise serializers.ValidationError("Invalid pk - object does not exist.")
        return meeting


class AttendanceViewSet(viewsets.ModelViewSet):
    serializer_class = AttendanceSerializer
    filterset_fields = ["meeting", "organization", "person", "role", "status"]
    ordering_fields = ["id", "updated_at"]

    def get_queryset(self):
        visible = Meeting.objects.visible_to(self.request.user)
        return Attendance.objects.filter(meeting__in=visible).order_by("id")


class InvitedCountSerializer(serializers.Serializer):
    invited = serializers.IntegerField(help_text=_("How many emails this call queued."))


class MeetingEmailsView(APIView):
    """Base of the calls that email a meeting's people: 202 with how many were queued."""

    permission_classes = [DjangoModelPermissions]

    def queue(self, meeting) -> int:
        raise NotImplementedError

    @extend_schema(
        request=None,
        responses={
            202: InvitedCountSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
    )
    def post(self, request, pk):
        meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
        return Response({"invited": self.queue(meeting)}, status=status.HTTP_202_ACCEPTED)


class MaySendInvitations(BasePermission):
    """events.rules.may_send_invitations, as the admin's action asks it."""

    def has_permission(self, request, view):
        return bool(request.user and rules.may_send_invitations(request.user))


@extend_schema(summary=_("Send the invitations"))
class MeetingInvitationsView(MeetingEmailsView):
    """Emails each invited attendee the invitation with the .ics file and a personal link to
    confirm, decline or name a substitute. Sending again emails nobody twice for the same
    start."""

    permission_classes = [MaySendInvitations]

    def queue(self, meeting) -> int:
        return services.invitations_send(meeting=meeting)
