import hashlib

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from pledges import charts
from stakeholders.models import Organization

from . import pages, selectors, timeline

MAX_AGE = 60


def etag_for(series, request) -> str:
    """The page's ETag: the series' version, the page's address (its search, its page of
    requests, the organization or pledge it follows) and the language."""
    basis = f"{series.pk}|{selectors.version(series)}|{get_language()}|{request.get_full_path()}"
    return f'W/"{hashlib.sha256(basis.encode()).hexdigest()[:40]}"'


def conditional(request, series):
    """(ETag, a 304 when the caller's copy is current, else None)."""
    etag = etag_for(series, request)
    not_modified = get_conditional_response(request, etag=etag)
    return etag, None if not_modified is None else cached(not_modified, etag)


def cached(response, etag):
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def series_or_404(request):
    """The series the page's `?series=` names, the relay series without one."""
    series = selectors.series_for(request.GET.get("series"))
    if series is None:
        raise Http404
    return series


@require_safe
def results(request):
    series = series_or_404(request)
    etag, not_modified = conditional(request, series)
    if not_modified is not None:
        return not_modified
    query = request.GET.get("q", "").strip()
    pledges = [
        (commitment, charts.progress_chart(commitment, commitment.progress_entries.all(), empty=""))
        for commitment in selectors.pledges(series)
    ]
    requests = selectors.requests_page(series, query, request.GET.get("page"))
    context = {
        "series": series,
        "pledges": pledges,
        "meetings": selectors.grouped(requests),
        "requests": requests,
        "pages": pages.links(request, requests, "#requests"),
        "query": query,
        "found": requests.paginator.count,
    }
    return cached(render(request, "results/results.html", context), etag)


@require_safe
def organization_timeline(request, pk):
    """What one organization asked at the series' public meetings and what became of it, in
    order; an organization with nothing public there is not found."""
    organization = get_object_or_404(Organization, pk=pk)
    series = series_or_404(request)
    etag, not_modified = conditional(request, series)
    if not_modified is not None:
        return not_modified
    if not timeline.has_public_timeline(organization, series):
        raise Http404
    entries = pages.page_of(
        timeline.organization_timeline(organization, series=series), request.GET.get("page")
    )
    context = {
        "series": series,
        "organization": organization,
        "entries": entries,
        "pages": pages.links(request, entries),
    }
    return cached(render(request, "results/organization.html", context), etag)


@require_safe
def pledge_timeline(request, pk):
    """A public pledge's course: where it was announced, the requests it answers, its
    progress."""
    commitment = timeline.pledge_for(pk)
    if commitment is None:
        raise Http404
    series = commitment.meeting.series
    etag, not_modified = conditional(request, series)
    if not_modified is not None:
        return not_modified
    entries = pages.page_of(timeline.pledge_timeline(commitment), request.GET.get("page"))
    context = {
        "series": series,
        "commitment": commitment,
        "chart": charts.progress_chart(commitment, commitment.progress_entries.all(), empty=""),
        "entries": entries,
        "pages": pages.links(request, entries),
    }
    return cached(render(request, "results/pledge.html", context), etag)
