"""The company's feedback form, opened from a personal link; no account needed."""

import functools

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from files import checks
from followups.models import RequestAttachment, StakeholderRequest
from links import pages

from . import services
from .forms import (
    FeedbackForm,
    RequestFormSet,
    form_key_nonce,
    is_id,
    new_form_key,
    too_many_files,
)
from .models import Feedback, FeedbackInvitation, feedback_deadline


def personal_link(view):
    """`view(request, invitation, deadline, token, …)` behind a working feedback link; other
    links are answered by links.pages (429, 404, 410)."""

    @pages.personal_link(FeedbackInvitation.LINK_KIND)
    @functools.wraps(view)
    def wrapped(request, invitation, token, **kwargs):
        deadline = feedback_deadline(invitation.meeting)
        return view(request, invitation, deadline, token=token, **kwargs)

    return wrapped


@require_http_methods(["GET", "HEAD", "POST"])
@personal_link
def feedback_form(request, invitation, deadline, token):
    FeedbackInvitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
        opened_at=timezone.now()
    )
    state = _State.read(invitation)
    context = {}
    if request.method != "POST":
        form, formset = state.form(), state.formset()
    elif "add" in request.POST:
        # Without scripts, "add another request" comes here: see static/feedback/form.js.
        form, formset, context["not_kept"] = _typed(request, invitation)
    else:
        form = FeedbackForm(request.POST, invitation=invitation)
        formset = RequestFormSet(request.POST, request.FILES, prefix="requests")
        if form.is_valid() and formset.is_valid() and _files_fit(formset, state.files):
            items, removed = _requests_from(formset)
            try:
                services.feedback_submit(
                    invitation=invitation,
                    comments=form.cleaned_data["comments"],
                    name=form.cleaned_data["name"],
                    position=form.cleaned_data["position"],
                    items=items,
                    removed=removed,
                    key=form.cleaned_data["key"],
                    seen_version=form.cleaned_data["version"],
                )
            except services.AlreadySubmitted:
                pass  # the first of two sends of this page stored it: show what was saved
            except services.Stale:
                # Nothing was saved: the page shows what is saved now, with what this
                # submitter wrote beside it (and the requests they added in the form again).
                state = _State.read(invitation)
                context["stale"], context["stale_feedback"] = True, state.feedback
                context["unsaved"], added = _unsaved(form, formset, state)
                form = state.form(
                    name=form.cleaned_data["name"], position=form.cleaned_data["position"]
                )
                formset = state.formset(added=added)
            if not context.get("stale"):
                return redirect(f"{request.path}?saved=1")
        else:
            _renew_what_was_refused(form, state)
    for request_form in formset.forms:
        request_id = request_form["request_id"].value()
        request_form.attachments = state.files.get(int(request_id), []) if is_id(request_id) else []
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
            **state.handled(),
            "saved": request.GET.get("saved") == "1" and request.method != "POST",
            **context,
        },
    )


class _State:
    """What the organization has stored for the meeting, as the form shows it."""

    def __init__(self, invitation, feedback, requests, files):
        self.invitation = invitation
        self.feedback = feedback
        self.requests = requests
        self.files = files
        self.editable = {r.pk: r for r in requests if r.status == r.Status.NEW}

    @classmethod
    def read(cls, invitation):
        meeting, organization = invitation.meeting, invitation.organization
        requests = list(
            services.organization_requests(meeting, organization).select_related("ministry")
        )
        feedback = Feedback.objects.filter(meeting=meeting, organization=organization).first()
        return cls(invitation, feedback, requests, _attachments_by_request(requests))

    @property
    def version(self) -> int:
        return self.feedback.version if self.feedback else 0

    def form(self, *, name=None, position=None):
        """The form as stored, with a new one-time key and the version it shows."""
        feedback, person = self.feedback, self.invitation.person
        if name is None:
            name = feedback.submitter_name if feedback else person.name
        if position is None:
            position = feedback.submitter_position if feedback else person.position
        return FeedbackForm(
            invitation=self.invitation,
            initial={
                "name": name,
                "position": position,
                "comments": feedback.comments if feedback else "",
                "key": new_form_key(self.invitation),
                "version": self.version,
            },
        )

    def formset(self, *, added=()):
        initial = [
            {"request_id": r.pk, "category": r.category, "text": r.text}
            for r in self.editable.values()
        ]
        formset = RequestFormSet(prefix="requests", initial=[*initial, *added])
        # A blank request to fill in only while nothing is stored: after a save the page shows
        # what was sent, and "add another request" adds a row.
        formset.extra = 0 if self.requests or self.feedback else 1
        return formset

    def handled(self) -> dict:
        """The requests a ministry has taken up, read only: those answered (or declined,
        closed) with a published answer, and those still in its hands (an answer held for
        publication among them: the company reads it once it is published); each with its
        files."""
        answered, in_hand = [], []
        for request in self.requests:
            if request.status == request.Status.NEW:
                continue
            done = request.answer_published
            (answered if done else in_hand).append((request, self.files.get(request.pk, [])))
        return {"answered": answered, "in_hand": in_hand}


def _renew_what_was_refused(form, state) -> None:
    """A form sent without a valid key or version is shown again with a new key (and the
    version now stored), so that sending it again works; a valid pair is kept as it was."""
    if form_key_nonce(form.invitation, form.data.get("key")) and is_id(form.data.get("version")):
        return
    form.data = form.data.copy()
    form.data["key"] = new_form_key(form.invitation)
    if not is_id(form.data.get("version")):
        form.data["version"] = str(state.version)


def _unsaved(form, formset, state):
    """What a refused (stale) form asked for that the stored feedback does not hold: a list
    to show beside the form, and the requests it added, to put in the form again."""
    unsaved, added = [], []
    comments = form.cleaned_data["comments"]
    if comments.strip() != (state.feedback.comments if state.feedback else "").strip():
        unsaved.append({"kind": "comments", "text": comments})
    labels = dict(StakeholderRequest.Category.choices)
    for request_form in formset.forms:
        data = request_form.cleaned_data
        if not data:
            continue
        stored = state.editable.get(data.get("request_id"))
        files = [upload.name for upload in data.get("files", ())]
        if data.get("DELETE"):
            if stored is not None:
                unsaved.append(
                    {
                        "kind": "remove",
                        "category": stored.get_category_display(),
                        "text": stored.text,
                    }
                )
            continue
        row = {"category": labels.get(data["category"], ""), "text": data["text"], "files": files}
        if data.get("request_id") is None:
            added.append({"category": data["category"], "text": data["text"]})
            if files:
                unsaved.append({"kind": "added_files", **row})
        elif stored is None:
            unsaved.append({"kind": "gone", **row})
        else:
            removing = [
                a.name for a in state.files.get(stored.pk, []) if a.pk in data["remove_files"]
            ]
            if (stored.category, stored.text) != (data["category"], data["text"]) or (
                files or removing
            ):
                unsaved.append({"kind": "edit", **row, "removing": removing})
    return unsaved, added


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


def _typed(request, invitation):
    """The page again with what was typed and one blank request more; nothing is validated
    or saved, so nothing typed is lost (files cannot be chosen for the browser again: their
    names are returned, to say so). The key and version the page was rendered with stay."""
    data = request.POST
    try:
        total = min(int(data.get("requests-TOTAL_FORMS", 0)), RequestFormSet.max_num)
    except ValueError:
        total = 0
    names = ("request_id", "category", "text", "DELETE")
    rows = [
        {name: data[f"requests-{i}-{name}"] for name in names if f"requests-{i}-{name}" in data}
        for i in range(total)
    ]
    form = FeedbackForm(
        invitation=invitation,
        initial={name: data.get(name, "") for name in FeedbackForm.base_fields},
    )
    not_kept = [upload.name for uploads in request.FILES.lists() for upload in uploads[1]]
    return form, RequestFormSet(prefix="requests", initial=[row for row in rows if row]), not_kept


def _requests_from(formset):
    """The requests to store (new ones without `request_id`) and the ids of those to delete."""
    items, removed = [], []
    for form in formset.forms:
        data = form.cleaned_data
        if not data:
            continue
        if data.get("DELETE"):
            if data.get("request_id") is not None:
                removed.append(data["request_id"])
            continue
        items.append(
            {
                "request_id": data.get("request_id"),
                "category": data["category"],
                "text": data["text"],
                "files": data["files"],
                "remove_files": data["remove_files"],
            }
        )
    return items, removed
