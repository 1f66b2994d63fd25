"""The coordinators' morning page, and the timelines of an organization and of a pledge
across the series."""

import datetime

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from followups import selectors as request_selectors
from followups.models import StakeholderRequest
from pledges import charts as pledge_charts
from pledges import formatting
from pledges import selectors as pledge_selectors
from results import pages, timeline
from results import selectors as result_selectors
from stakeholders.models import Organization

from . import charts, selectors


def _allowed(request):
    if not request.user.has_perm("followups.view_stakeholderrequest"):
        raise PermissionDenied


def changelist(model: str, **filters) -> str:
    """The admin list of `model` ("app_model") narrowed by `filters`, as its filters write them."""
    return f"{reverse(f'admin:{model}_changelist')}?{urlencode(filters)}"


def _requests(**filters) -> str:
    return changelist("followups_stakeholderrequest", **filters)


def _statuses(statuses) -> str:
    return ",".join(statuses)


def index(request):
    _allowed(request)
    today = selectors.today()
    meetings = selectors.meeting_rows(request.user)
    widest = max((row.requests for row in meetings.rows), default=0)
    for row in meetings.rows:
        row.chart = charts.status_bar(row.by_status, widest)
        row.attendees_url = changelist("events_attendance", meeting__id__exact=row.meeting.pk)
        row.counts = [
            (
                row.by_status[status],
                _requests(meeting__id__exact=row.meeting.pk, status__exact=status),
            )
            for status in charts.STATUS_COLOURS
        ]
    ministries = selectors.ministry_rows(today, request.user)
    for row in ministries:
        row.open_url = _requests(
            ministry=row.ministry.pk, status__in=_statuses(StakeholderRequest.OPEN_STATUSES)
        )
        row.overdue_url = _requests(
            ministry=row.ministry.pk,
            status__in=_statuses(StakeholderRequest.OPEN_STATUSES),
            due_date__lt=today.isoformat(),
        )
        row.answered_url = _requests(
            ministry=row.ministry.pk, status__in=_statuses(StakeholderRequest.DONE_STATUSES)
        )
    # The next 30 days by default; ?due=90 lists the next 90.
    window = 90 if request.GET.get("due") == "90" else 30
    # The soonest DUE_SHOWN; one more read tells whether the list goes on.
    due_soon = list(
        request_selectors.requests_visible_to(request.user, selectors.due_within(today, window))[
            : selectors.DUE_SHOWN + 1
        ]
    )
    due_more = len(due_soon) > selectors.DUE_SHOWN
    due_url = _requests(
        status__in=_statuses(StakeholderRequest.OPEN_STATUSES),
        due_date__gte=today.isoformat(),
        due_date__lte=(today + datetime.timedelta(days=window)).isoformat(),
    )
    due_later = request_selectors.requests_visible_to(
        request.user, selectors.due_within(today, 90)
    ).count()
    pledges = [
        (
            pledge,
            pledge_charts.progress_bar(pledge_selectors.progress_of(pledge)),
            formatting.format_change(pledge),
            pledge_charts.progress_chart(pledge, pledge.progress_entries.all(), empty=""),
        )
        for pledge in selectors.pledges()
    ]
    return TemplateResponse(
        request,
        "dashboard/index.html",
        {
            **admin.site.each_context(request),
            "title": _("Dashboard"),
            "today": today,
            "meetings": meetings.rows,
            "meetings_total": meetings.total,
            "meetings_each_way": selectors.MEETINGS_EACH_WAY,
            "legend": charts.legend(),
            "statuses": [status.label for status in charts.STATUS_COLOURS],
            "ministries": ministries,
            "due_soon": due_soon[: selectors.DUE_SHOWN],
            "due_more": due_more,
            "due_shown": selectors.DUE_SHOWN,
            "due_url": due_url,
            "due_window": window,
            "due_within_90": due_later,
            "pledges": pledges,
            "asking": selectors.asking_organizations(request.user),
        },
    )


def _timeline_page(request, entries) -> dict:
    page = pages.page_of(entries, request.GET.get("page"))
    return {"entries": page, "pages": pages.links(request, page)}


def organization(request, pk):
    _allowed(request)
    organization = get_object_or_404(Organization, pk=pk)
    return TemplateResponse(
        request,
        "dashboard/organization.html",
        {
            **admin.site.each_context(request),
            "title": _("What %(organization)s asked across the series")
            % {"organization": organization},
            "organization": organization,
            **_timeline_page(request, timeline.organization_timeline(organization, request.user)),
            "public": timeline.has_public_timeline(organization, result_selectors.series_for(None)),
        },
    )


def pledge(request, pk):
    if not request.user.has_perm("pledges.view_commitment"):
        raise PermissionDenied
    commitment = timeline.pledge_for(pk, request.user)
    if commitment is None:
        raise Http404
    return TemplateResponse(
        request,
        "dashboard/pledge.html",
        {
            **admin.site.each_context(request),
            "title": _("The course of “%(pledge)s”") % {"pledge": commitment.title},
            "commitment": commitment,
            **_timeline_page(request, timeline.pledge_timeline(commitment, request.user)),
        },
    )
