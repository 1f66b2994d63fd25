"""/healthz says the process answers; /readyz says the database and the broker do too."""

import pytest

pytestmark = pytest.mark.django_db


def test_liveness_answers_without_an_allowed_host_or_https(client, settings):
    settings.ALLOWED_HOSTS = ["roundtable.example.go.kr"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_ready_when_database_and_broker_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def test_not_ready_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("error")
    assert response["Cache-Control"] == "no-store"
