"""Staff issue, replace and withdraw their own API token; coordinators see everyone's."""

import pytest
from rest_framework.authtoken.models import Token

from api.tests.clients import client_for

pytestmark = pytest.mark.django_db


def api_status(key):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/meetings/").status_code


def test_an_officer_issues_replaces_and_withdraws_their_token(client, officer):
    client.force_login(officer)
    page = client.get("/admin/my-token/").content.decode()
    assert "API 토큰이 없습니다" in page
    shown = client.post("/admin/my-token/", {"action": "issue"}).content.decode()
    first = Token.objects.get(user=officer).key
    assert first in shown  # once, in the answer to issuing it
    assert api_status(first) == 200
    client.post("/admin/my-token/", {"action": "issue"})
    second = Token.objects.get(user=officer).key
    assert second != first and api_status(first) == 401 and api_status(second) == 200
    client.post("/admin/my-token/", {"action": "revoke"})
    assert not Token.objects.filter(user=officer).exists() and api_status(second) == 401


def test_the_page_shows_only_ones_own_token(client, viewer, coordinator):
    client_for(coordinator)  # gives the coordinator a token
    client.force_login(viewer)
    page = client.get("/admin/my-token/").content.decode()
    assert Token.objects.get(user=coordinator).key not in page
    assert "/admin/accounts/apitoken/" not in page  # viewers don't manage others' tokens


def test_coordinators_list_and_withdraw_anyones_token(client, coordinator, officer):
    token = Token.objects.create(user=officer)
    client.force_login(coordinator)
    assert "/admin/accounts/apitoken/" in client.get("/admin/my-token/").content.decode()
    assert "officer" in client.get("/admin/accounts/apitoken/").content.decode()
    client.post(f"/admin/accounts/apitoken/{token.user_id}/delete/", {"post": "yes"})
    assert not Token.objects.exists()


def test_anonymous_users_sign_in_first(client):
    assert client.get("/admin/my-token/").status_code == 302
