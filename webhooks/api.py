"""Webhook subscriptions and their delivery log in the REST API (README, Webhooks).

A caller sees and changes only their own subscriptions (another's answers 404); creating one
is for coordinators and anyone given the permission to add webhook subscriptions. The signing
secret is in the answer to the POST that creates it, and to a rotation, and nowhere else."""

import django_filters
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.exceptions import Conflict
from api.serializers import ErrorSerializer, ModelCleanMixin

from . import services
from .models import Delivery, EventType, Subscription

ERRORS = {401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


class SubscriptionSerializer(ModelCleanMixin, serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices),
        allow_empty=False,
        max_length=len(EventType.choices),
        help_text=_("The event types this URL receives."),
    )
    disabled_reason = serializers.ChoiceField(
        choices=Subscription.Disabled.choices,
        allow_blank=True,
        read_only=True,
        help_text=_("Why it is off (empty while it is on)."),
    )

    class Meta:
        model = Subscription
        fields = [
            "id",
            "url",
            "events",
            "description",
            "active",
            "disabled_reason",
            "created_at",
            "last_success_at",
            "last_failure_at",
        ]
        read_only_fields = ["disabled_reason", "created_at", "last_success_at", "last_failure_at"]

    def _unsaved_copy(self):
        copy = super()._unsaved_copy()
        copy.owner = self.context["request"].user
        return copy

    def create(self, validated_data):
        return services.subscription_create(owner=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return services.subscription_update(subscription=instance, **validated_data)


class NewSubscriptionSerializer(SubscriptionSerializer):
    secret = serializers.CharField(
        read_only=True, help_text=_("The signing secret (whsec_…): shown in this answer only.")
    )

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]


class DeliverySerializer(serializers.ModelSerializer):
    event = serializers.CharField(source="event_type")
    next_attempt = serializers.SerializerMethodField()

    class Meta:
        model = Delivery
        fields = [
            "id",
            "event",
            "webhook_id",
            "state",
            "attempts",
            "last_status",
            "last_response",
            "last_error",
            "last_attempt_at",
            "next_attempt",
            "delivered_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_next_attempt(self, delivery) -> str | None:
        """When the next attempt is due (queued ones only)."""
        if delivery.state != Delivery.State.QUEUED:
            return None
        return serializers.DateTimeField().to_representation(delivery.next_try_at)


class DeliveryFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=Delivery.State.choices)

    class Meta:
        model = Delivery
        fields = ["state"]


SECRET = inline_serializer("WebhookSecret", {"secret": serializers.CharField()})


class SubscriptionViewSet(viewsets.ModelViewSet):
    serializer_class = SubscriptionSerializer
    ordering_fields = ["created_at", "id"]

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False) or not user.is_authenticated:
            return Subscription.objects.none()
        return Subscription.objects.filter(owner=user).order_by("-created_at", "-id")

    @extend_schema(responses={201: NewSubscriptionSerializer, 400: ErrorSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subscription = serializer.save()
        return Response(
            NewSubscriptionSerializer(subscription, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={200: SECRET, **ERRORS})
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        """A new signing secret, shown in this answer only; for 24 hours deliveries carry the
        old secret's signature too (space-separated in webhook-signature)."""
        secret = services.subscription_rotate_secret(subscription=self.get_object())
        return Response({"secret": secret})

    @extend_schema(
        responses={200: DeliverySerializer(many=True), **ERRORS},
        parameters=[OpenApiParameter("state", enum=Delivery.State.values)],
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        """The subscription's delivery log (kept 30 days), newest first."""
        subscription = self.get_object()
        found = DeliveryFilter(
            request.query_params, queryset=subscription.deliveries.order_by("-id")
        )
        if not found.is_valid():
            raise serializers.ValidationError(found.errors)
        page = self.paginate_queryset(found.qs)
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)

    @extend_schema(
        request=None,
        responses={202: DeliverySerializer, 409: ErrorSerializer, **ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"deliveries/(?P<delivery_id>[0-9]{1,18})/retry",
    )
    def retry(self, request, pk=None, delivery_id=None):
        """Sends the delivery again, with the same webhook-id and body."""
        subscription = self.get_object()
        delivery = get_object_or_404(subscription.deliveries, pk=delivery_id)
        if not services.delivery_retry(deliveries=subscription.deliveries.filter(pk=delivery.pk)):
            raise Conflict(_("This delivery is being sent right now."))
        delivery.refresh_from_db()
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
