"""The product's URLs and the load bench's floor: the least a Django view can answer through
the same middleware and the same gunicorn, with a body of `?bytes=` bytes if asked (to set a
large answer against the same bytes written by nothing else)."""

import functools

from django.http import HttpResponse
from django.urls import path

from roundtable.urls import urlpatterns as product_urlpatterns

MAX_BYTES = 16_000_000
# Made once, as the feed's body is kept by the process: the floor writes it, never builds it.
_zeros = functools.lru_cache(maxsize=4)(bytes)


def floor(request):
    size = request.GET.get("bytes", "")
    if not size.isdigit() or int(size) > MAX_BYTES:
        return HttpResponse(b"ok", content_type="text/plain")
    return HttpResponse(_zeros(int(size)), content_type="application/octet-stream")


urlpatterns = [path("bench/floor/", floor), *product_urlpatterns]
