import hashlib

from django.http import Http404
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from pledges import charts

from . import selectors

MAX_AGE = 60


def etag_for(series, request) -> str:
    """The page's ETag: the series' version, the language and the search."""
    basis = f"{series.pk}|{selectors.version(series)}|{get_language()}|{request.GET.get('q', '')}"
    return f'W/"{hashlib.sha256(basis.encode()).hexdigest()[:40]}"'


def cached(response, etag):
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


@require_safe
def results(request):
    series = selectors.series_for(request.GET.get("series"))
    if series is None:
        raise Http404
    etag = etag_for(series, request)
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return cached(not_modified, etag)
    query = request.GET.get("q", "").strip()
    pledges = [
        (commitment, charts.progress_chart(commitment, commitment.progress_entries.all(), empty=""))
        for commitment in selectors.pledges(series)
    ]
    requests = list(selectors.public_requests(series, query))
    context = {
        "series": series,
        "pledges": pledges,
        "meetings": selectors.grouped(requests),
        "query": query,
        "found": len(requests),
    }
    return cached(render(request, "results/results.html", context), etag)
