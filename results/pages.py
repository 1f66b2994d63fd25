"""Pages of a long list on the public results and the timelines: which page was asked for,
and the addresses of the pages around it, the rest of the query kept."""

from django.core.paginator import Paginator

# Requests per page of /results/ and of the public API; entries per page of a timeline.
PAGE_SIZE = 100


def page_of(rows, number, size=PAGE_SIZE):
    """Page `number` of `rows`; a wrong number gives the first page, one past the end the
    last."""
    return Paginator(rows, size).get_page(number)


def address(request, number, anchor="") -> str:
    params = request.GET.copy()
    params["page"] = number
    return f"?{params.urlencode()}{anchor}"


def links(request, page, anchor="") -> dict:
    """{"previous": address or None, "next": address or None}."""
    return {
        "previous": address(request, page.previous_page_number(), anchor)
        if page.has_previous()
        else None,
        "next": address(request, page.next_page_number(), anchor) if page.has_next() else None,
    }
