"""The product's URLs and the load bench's floor: the least a Django view can answer through
the same middleware and the same gunicorn."""

from django.http import HttpResponse
from django.urls import path

from roundtable.urls import urlpatterns as product_urlpatterns


def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor), *product_urlpatterns]
