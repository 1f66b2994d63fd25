"""Public pages: the meeting list and a page per meeting (internal ones for those allowed)."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .models import Attendance, Meeting, Presentation


@require_safe
def meeting_list(request):
    meetings = list(
        Meeting.objects.visible_to(request.user)
        .select_related("series")
        .order_by("period_start", "relay_number", "id")
    )
    now = timezone.now()
    return render(
        request,
        "events/meeting_list.html",
        {
            "upcoming": [m for m in meetings if m.period_end >= now],
            "past": [m for m in meetings if m.period_end < now][::-1],
        },
    )


@require_safe
def meeting_detail(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user)
        .select_related("series")
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("organization").order_by(
                    "role", "organization__name", "id"
                ),
            ),
            Prefetch(
                "presentations",
                queryset=Presentation.objects.select_related("organization", "presenter"),
            ),
            # Announced pledges are public; companies' requests are not shown here.
            "commitments",
        ),
        pk=pk,
    )
    organizations = {}
    for attendance in meeting.attendances.all():
        organizations.setdefault(attendance.organization_id, attendance)
    return render(
        request,
        "events/meeting_detail.html",
        {"meeting": meeting, "attendances": list(organizations.values())},
    )
