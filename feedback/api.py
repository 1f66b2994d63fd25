from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import DjangoModelPermissions
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import ErrorSerializer
from events.models import Meeting

from . import services
from .models import FeedbackInvitation


class FeedbackRequestView(APIView):
    """Invites the meeting's company contacts to give feedback (CONTRACT §7)."""

    # Asking is for those who may manage invitations: coordinators.
    permission_classes = [DjangoModelPermissions]
    queryset = FeedbackInvitation.objects.none()

    @extend_schema(
        request=None,
        responses={
            202: inline_serializer(
                "FeedbackRequestResult", {"invited": serializers.IntegerField()}
            ),
            401: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
    )
    def post(self, request, pk):
        meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
        invited = services.feedback_request(meeting=meeting)
        return Response({"invited": invited}, status=status.HTTP_202_ACCEPTED)
