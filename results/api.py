"""The public results in the API: what /results/ shows, as JSON, to anyone."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.schema import AutoSchema
from api.serializers import ErrorSerializer
from events.models import Meeting, Series
from followups.models import StakeholderRequest
from pledges.models import Commitment

from . import selectors


class PublicSeriesSerializer(serializers.ModelSerializer):
    class Meta:
        model = Series
        fields = ["slug", "name", "name_en"]


class PublicProgressSerializer(serializers.Serializer):
    date = serializers.DateField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4)


class PublicPledgeSerializer(serializers.ModelSerializer):
    baseline = serializers.DecimalField(
        source="baseline_value", max_digits=20, decimal_places=4, allow_null=True
    )
    target = serializers.DecimalField(
        source="target_value", max_digits=20, decimal_places=4, allow_null=True
    )
    latest = serializers.SerializerMethodField(help_text=_("The latest progress entry, if any."))

    class Meta:
        model = Commitment
        fields = ["id", "title", "title_en", "unit", "baseline", "target", "latest"]

    @extend_schema_field(PublicProgressSerializer(allow_null=True))
    def get_latest(self, commitment):
        entries = list(commitment.progress_entries.all())
        if not entries:
            return None
        latest = max(entries, key=lambda entry: (entry.date, entry.pk))
        return PublicProgressSerializer(latest).data


class PublicMeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = ["id", "title", "title_en"]


class PublicRequestSerializer(serializers.ModelSerializer):
    meeting = PublicMeetingSerializer()
    organization = serializers.CharField(source="organization.name")
    status = serializers.ChoiceField(
        source="status_for_company",
        choices=StakeholderRequest.Status.choices,
        help_text=_("The status as the public sees it: an unpublished answer is in progress."),
    )
    text = serializers.SerializerMethodField(help_text=_("The public summary, else the text."))
    answer = serializers.CharField(
        source="published_response", help_text=_("The published answer; empty until then.")
    )

    class Meta:
        model = StakeholderRequest
        fields = ["id", "meeting", "organization", "category", "status", "text", "answer"]

    def get_text(self, request) -> str:
        return request.public_summary or request.text


class PublicResultsSerializer(serializers.Serializer):
    series = PublicSeriesSerializer()
    pledges = PublicPledgeSerializer(many=True)
    requests_count = serializers.IntegerField(
        help_text=_("How many public requests there are (matching `q`), on every page.")
    )
    next = serializers.URLField(
        allow_null=True, help_text=_("The next page of requests; null on the last.")
    )
    previous = serializers.URLField(
        allow_null=True, help_text=_("The previous page of requests; null on the first.")
    )
    requests = PublicRequestSerializer(
        many=True, help_text=_("One page of the public requests, 100 at most.")
    )


class PublicSchema(AutoSchema):
    def get_tags(self):
        return [str(_("Public results"))]


class PublicResultsView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    schema = PublicSchema()

    @extend_schema(
        summary=_("Read a series' public results"),
        description=_(
            "The pledges announced at the series' public meetings with their baseline, target "
            "and latest progress, and the requests a coordinator marked public with their "
            "status and published answer. Open to anyone, without a token; nothing of an "
            "internal meeting, no unpublished answer and no person appears."
        ),
        parameters=[
            OpenApiParameter(
                "series", str, description=_("The series' slug; the relay series by default.")
            ),
            OpenApiParameter("q", str, description=_("Only the requests matching these words.")),
            OpenApiParameter(
                "page", int, description=_("The page of requests, from 1; 100 per page.")
            ),
        ],
        # An unknown series is a 404.
        responses={200: PublicResultsSerializer, 404: ErrorSerializer},
    )
    def get(self, request):
        series = selectors.series_for(request.query_params.get("series"))
        if series is None:
            raise NotFound
        query = request.query_params.get("q", "")
        page = selectors.requests_page(series, query, request.query_params.get("page"))
        data = {
            "series": series,
            "pledges": selectors.pledges(series),
            "requests_count": page.paginator.count,
            "next": self.page_url(request, page.next_page_number()) if page.has_next() else None,
            "previous": (
                self.page_url(request, page.previous_page_number()) if page.has_previous() else None
            ),
            "requests": page.object_list,
        }
        return Response(PublicResultsSerializer(data).data)

    @staticmethod
    def page_url(request, number) -> str:
        params = request.query_params.copy()
        params["page"] = number
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
