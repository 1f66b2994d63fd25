"""The requests on a meeting's admin page and list (see events/admin_parts.py)."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from events import admin_parts

from . import selectors, services
from .admin import form_changes, warn_if_nobody_emailed
from .models import StakeholderRequest


class RequestInline(admin_parts.MeetingInline, admin.TabularInline):
    """What was asked at a meeting, on the meeting's page, one line each; each row is saved as
    its own page saves it (save_requests), so a row's step emails whom the request's page
    would. The officer and the answer are set on the request's own page."""

    model = StakeholderRequest
    fields = [
        "organization",
        "person",
        "category",
        "source",
        "text",
        "status",
        "ministry",
        "due_date",
    ]
    autocomplete_fields = ["organization", "person", "ministry"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}
    extra = 0
    show_change_link = True
    verbose_name_plural = _("requests raised at this meeting")

    def get_queryset(self, request):
        return selectors.requests_visible_to(
            request.user, super().get_queryset(request)
        ).select_related("organization", "person__organization", "ministry")


def save_requests(request, formset):
    """Each row through the request services: a new row is created, a changed one takes the
    step its new values mean (assigning emails the officer), a removed one is deleted."""
    formset.save(commit=False)  # what changed, for the meeting's history; nothing is written
    for row in formset.deleted_objects:
        services.request_delete(request=row, by=request.user)
    for row in formset.new_objects:
        services.request_create(request=row, by=request.user)
    changed = {id(row) for row, _names in formset.changed_objects}
    for form in formset.initial_forms:
        if id(form.instance) in changed:
            changes = form_changes(form)
            services.request_edit(request=form.instance, by=request.user, changes=changes)
            if {"status", "ministry"} & set(changes):
                warn_if_nobody_emailed(request, form.instance)


def request_figures(meeting):
    """The meeting's requests, and how many are at each step, in one query."""
    Status = StakeholderRequest.Status
    counts = StakeholderRequest.objects.filter(meeting=meeting).aggregate(
        total=Count("id"),
        **{value: Count("id", filter=Q(status=value)) for value in Status.values},
    )
    by_status = ", ".join(
        f"{label} {counts[value]}" for value, label in Status.choices if counts[value]
    )
    return [(_("Requests"), f"{counts['total']} ({by_status})" if by_status else 0)]


@admin.display(description=_("requests"), ordering="request_count")
def request_total(meeting):
    return meeting.request_count


admin_parts.register(admin_parts.Inline(RequestInline, order=10, save=save_requests))
admin_parts.register(admin_parts.Figures(request_figures, order=10))
admin_parts.register(
    admin_parts.Annotation("request_count", admin_parts.rows_of(StakeholderRequest.objects))
)
admin_parts.register(admin_parts.Column(request_total))
