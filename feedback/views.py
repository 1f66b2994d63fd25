"""The company's feedback form, opened from a personal link; no account needed."""

import functools

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from files import checks
from followups.models import RequestAttachment
from notifications import links

from . import services, tokens
from .forms import FeedbackForm, RequestFormSet, is_id, too_many_files
from .models import Feedback, FeedbackInvitation, feedback_deadline


def personal_link(view):
    """Opens the invitation behind the link, or answers 429 (too many guesses), 404 (unknown)
    or 410 (revoked, or past the feedback deadline) with a page that says so."""

    @functools.wraps(view)
    def wrapped(request, token, **kwargs):
        invitation, refused = links.opened(
            request, tokens.invitations(), token, "feedback/unknown.html"
        )
        if refused:
            return refused
        deadline = feedback_deadline(invitation.meeting)
        if invitation.revoked_at or timezone.now() > deadline:
            return render(
                request,
                "feedback/closed.html",
                {"invitation": invitation, "deadline": deadline},
                status=410,
            )
        return view(request, invitation, deadline, token=token, **kwargs)

    return wrapped


@require_http_methods(["GET", "HEAD", "POST"])
@personal_link
def feedback_form(request, invitation, deadline, token):
    FeedbackInvitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
        opened_at=timezone.now()
    )
    existing = list(services.organization_requests(invitation.meeting, invitation.organization))
    editable = {r.pk: r for r in existing if r.status == r.Status.NEW}
    files = _attachments_by_request(existing)
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        formset = RequestFormSet(request.POST, request.FILES, prefix="requests")
        if "add" in request.POST:
            form, formset = _typed(request.POST)
        elif form.is_valid() and formset.is_valid() and _files_fit(formset, files):
            items, removed = _requests_from(formset, editable)
            services.feedback_submit(
                invitation=invitation,
                comments=form.cleaned_data["comments"],
                name=form.cleaned_data["name"],
                position=form.cleaned_data["position"],
                items=items,
                removed=removed,
            )
            return redirect(f"{request.path}?saved=1")
    else:
        feedback = Feedback.objects.filter(
            meeting=invitation.meeting, organization=invitation.organization
        ).first()
        person = invitation.person
        form = FeedbackForm(
            initial={
                "name": feedback.submitter_name if feedback else person.name,
                "position": feedback.submitter_position if feedback else person.position,
                "comments": feedback.comments if feedback else "",
            }
        )
        initial = [
            {
                "request_id": r.pk,
                "category": r.category,
                "text": r.text,
                "ministry": r.ministry_id,
            }
            for r in editable.values()
        ]
        formset = RequestFormSet(prefix="requests", initial=initial)
    for request_form in formset.forms:
        request_id = request_form["request_id"].value()
        request_form.attachments = files.get(int(request_id), []) if is_id(request_id) else []
    return render(
        request,
        "feedback/form.html",
        {
            "invitation": invitation,
            "meeting": invitation.meeting,
            "deadline": deadline,
            "form": form,
            "formset": formset,
            "token": token,
            "in_progress": [(r, files.get(r.pk, [])) for r in existing if r.status != r.Status.NEW],
            "saved": request.GET.get("saved") == "1" and request.method != "POST",
        },
    )


@require_http_methods(["GET", "HEAD"])
@personal_link
def feedback_attachment(request, invitation, deadline, token, pk):
    """A file the organization attached to one of its requests for this meeting."""
    attachment = get_object_or_404(
        RequestAttachment,
        pk=pk,
        request__in=services.organization_requests(invitation.meeting, invitation.organization),
    )
    return checks.download(attachment)


def _files_fit(formset, files) -> bool:
    """Each request keeps at most MAX_FILES_PER_REQUEST files, counting those it already
    has; an error goes next to the field of each request over the limit."""
    fit = True
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        has = [a for a in files.get(data.get("request_id"), []) if a.pk not in data["remove_files"]]
        if len(has) + len(data["files"]) > RequestAttachment.MAX_PER_REQUEST:
            form.add_error("files", too_many_files())
            fit = False
    return fit


def _attachments_by_request(requests) -> dict:
    found = {}
    for attachment in RequestAttachment.objects.filter(request__in=[r.pk for r in requests]):
        found.setdefault(attachment.request_id, []).append(attachment)
    return found


def _typed(data):
    """The page again with what was typed and one blank request more; nothing is validated
    or saved, so nothing typed is lost."""
    try:
        total = min(int(data.get("requests-TOTAL_FORMS", 0)), RequestFormSet.max_num)
    except ValueError:
        total = 0
    names = ("request_id", "category", "text", "ministry", "DELETE")
    rows = [
        {name: data[f"requests-{i}-{name}"] for name in names if f"requests-{i}-{name}" in data}
        for i in range(total)
    ]
    form = FeedbackForm(initial={name: data.get(name, "") for name in FeedbackForm.base_fields})
    return form, RequestFormSet(prefix="requests", initial=[row for row in rows if row])


def _requests_from(formset, editable):
    items, removed = [], []
    for form in formset.forms:
        data = form.cleaned_data
        if not data:
            continue
        request = editable.get(data.get("request_id"))
        if data.get("DELETE"):
            if request is not None:
                removed.append(request)
            continue
        items.append({**data, "request": request})
    return items, removed
