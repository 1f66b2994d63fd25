"""Unsubscribe links: a GET shows what would change and changes nothing; a POST (the form, or
a mail client's RFC 8058 one-click POST) unsubscribes."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import registry, services


@csrf_exempt  # a one-click POST from a mail client carries no CSRF token; the link is signed
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    found = services.unsubscription_parse(token=token)
    if found is None:
        raise Http404
    email, kind = found
    spec = registry.get(kind)
    done = request.method == "POST"
    if done:
        services.unsubscription_create(email=email, kind=kind)
    return render(
        request,
        "notifications/unsubscribe.html",
        {"email": email, "kind": spec.label if spec else kind, "done": done},
    )
