"""The coordinators' morning page, and one page per organization across the series."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from followups import selectors as request_selectors
from pledges import charts as pledge_charts
from pledges import selectors as pledge_selectors
from stakeholders.models import Organization

from . import charts, selectors


def _allowed(request):
    if not request.user.has_perm("followups.view_stakeholderrequest"):
        raise PermissionDenied


def index(request):
    _allowed(request)
    today = selectors.today()
    meetings = selectors.meeting_rows()
    widest = max((row.requests for row in meetings), default=0)
    for row in meetings:
        row.chart = charts.status_bar(row.by_status, widest)
        row.counts = [row.by_status[status] for status in charts.STATUS_COLOURS]
    # The next 30 days by default; ?due=90 lists the next 90.
    window = 90 if request.GET.get("due") == "90" else 30
    due_soon = list(
        request_selectors.requests_visible_to(request.user, selectors.due_within(today, window))
    )
    due_later = request_selectors.requests_visible_to(
        request.user, selectors.due_within(today, 90)
    ).count()
    pledges = [
        (pledge, pledge_charts.progress_bar(pledge_selectors.progress_of(pledge)))
        for pledge in selectors.pledges()
    ]
    return TemplateResponse(
        request,
        "dashboard/index.html",
        {
            **admin.site.each_context(request),
            "title": _("Dashboard"),
            "today": today,
            "meetings": meetings,
            "legend": charts.legend(),
            "statuses": [status.label for status in charts.STATUS_COLOURS],
            "ministries": selectors.ministry_rows(today),
            "due_soon": due_soon,
            "due_window": window,
            "due_within_90": due_later,
            "pledges": pledges,
        },
    )


def organization(request, pk):
    _allowed(request)
    organization = get_object_or_404(Organization, pk=pk)
    requests, attended = selectors.organization_history(organization, request.user)
    return TemplateResponse(
        request,
        "dashboard/organization.html",
        {
            **admin.site.each_context(request),
            "title": _("What %(organization)s asked across the series")
            % {"organization": organization},
            "organization": organization,
            "requests": requests,
            "attended": attended,
        },
    )
