"""Liveness and readiness for load balancers and compose health checks.

Answered by a middleware placed first, so that a probe needs no session, no allowed host (it
comes from inside, as 127.0.0.1) and no HTTPS redirect."""

import json

from django.conf import settings
from django.db import connections
from django.http import HttpResponse
from kombu import Connection

PROBE_TIMEOUT_SECONDS = 3


def database_ready() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")


def broker_ready() -> None:
    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=PROBE_TIMEOUT_SECONDS,
        transport_options=getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
    ) as connection:
        connection.ensure_connection(max_retries=1, timeout=PROBE_TIMEOUT_SECONDS)


CHECKS = {"database": database_ready, "broker": broker_ready}


def readiness() -> tuple[bool, dict]:
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception as error:  # any failure means not ready; say which and why
            results[name] = f"error: {type(error).__name__}"
    return all(result == "ok" for result in results.values()), results


def answer(status: int, body: dict) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            if request.path == "/healthz":
                return answer(200, {"status": "ok"})
            if request.path == "/readyz":
                ready, checks = readiness()
                body = {"status": "ok" if ready else "unavailable", "checks": checks}
                return answer(200 if ready else 503, body)
        return self.get_response(request)
