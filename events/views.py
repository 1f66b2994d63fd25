"""Public pages: the meeting list and a page per meeting (internal ones for those allowed),
and the page where invited people answer from their personal link."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from files import checks
from links import pages

from . import home, ics, selectors, services
from .forms import ReplyForm
from .models import Attendance, AttendanceReply, Meeting, Presentation


@require_safe
def meeting_list(request):
    return HttpResponse(home.page(request))


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
            # Announced pledges are public, with their progress; companies' requests are not
            # shown here.
            "commitments__progress_entries",
            Prefetch("documents", queryset=selectors.documents_visible_to(request.user)),
        ),
        pk=pk,
    )
    held = meeting.ends < timezone.now()
    organizations = {}
    for attendance in meeting.attendances.all():
        # Once held, the organizations that came; before, every one invited.
        if held and attendance.status == Attendance.Status.ABSENT:
            continue
        organizations.setdefault(attendance.organization_id, attendance)
    return render(
        request,
        "events/meeting_detail.html",
        {
            "meeting": meeting,
            "attendances": list(organizations.values()),
            "held": held,
            "google_url": ics.google_event_url(meeting),
        },
    )


@require_safe
def document_download(request, pk, document_id):
    """A document of a meeting the caller may see: public ones for anyone, internal ones for
    staff; a document the caller may not see does not exist for them (404)."""
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    document = get_object_or_404(
        selectors.documents_visible_to(request.user).filter(meeting=meeting), pk=document_id
    )
    public = document.is_public and meeting.is_public
    return checks.download(document, cache="public, max-age=300" if public else "private, no-store")


@require_http_methods(["GET", "HEAD", "POST"])
@pages.personal_link(AttendanceReply.LINK_KIND)
def attendance_reply(request, reply, token):
    """An invited person confirms, declines or names a substitute from their personal link."""
    meeting = reply.attendance.meeting
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                services.attendance_reply(
                    reply=reply, answer=form.cleaned_data["answer"], substitute=form.substitute()
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                return redirect(f"{request.path}?saved=1")
    else:
        form = ReplyForm(
            initial={
                "answer": reply.answer,
                "substitute_name": reply.substitute.name if reply.substitute else "",
                "substitute_email": reply.substitute.email if reply.substitute else "",
                "substitute_position": reply.substitute.position if reply.substitute else "",
            },
        )
    return render(
        request,
        "events/reply.html",
        {
            "reply": reply,
            "meeting": meeting,
            "form": form,
            "saved": request.GET.get("saved") == "1" and request.method != "POST",
        },
    )
