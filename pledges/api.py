import django_filters
from rest_framework import serializers, viewsets

from api.serializers import ModelCleanMixin, SavedByService

from . import services
from .models import Commitment, ProgressEntry


class ProgressEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressEntry
        fields = ["id", "date", "value", "note", "source"]


class CommitmentSerializer(SavedByService, ModelCleanMixin, serializers.ModelSerializer):
    progress_entries = ProgressEntrySerializer(many=True, read_only=True)
    progress_percent = serializers.SerializerMethodField()

    class Meta:
        model = Commitment
        fields = [
            "id",
            "title",
            "title_en",
            "kind",
            "description",
            "meeting",
            "ministry",
            "unit",
            "baseline_value",
            "baseline_qualifier",
            "baseline_year",
            "target_value",
            "target_year",
            "amount_krw",
            "amount_qualifier",
            "source",
            "progress_entries",
            "progress_percent",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]

    def get_progress_percent(self, commitment) -> float | None:
        entries = list(commitment.progress_entries.all())
        latest = max(entries, key=lambda e: (e.date, e.id)) if entries else None
        if latest is None:
            return None
        percent = commitment.progress_percent(latest.value)
        return None if percent is None else float(round(percent, 1))

    def save_instance(self, commitment):
        return services.commitment_save(commitment=commitment)


class CommitmentFilter(django_filters.FilterSet):
    class Meta:
        model = Commitment
        fields = ["kind", "meeting", "ministry"]


class CommitmentViewSet(viewsets.ModelViewSet):
    queryset = Commitment.objects.prefetch_related("progress_entries").order_by("id")
    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilter
    ordering_fields = ["id", "amount_krw", "target_year", "updated_at"]
