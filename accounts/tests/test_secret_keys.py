"""Keys are secrets, even from coordinators: API keys, private calendar addresses,
authenticator seeds and backup codes, password hashes. A key is shown once, to its owner."""

import datetime
from base64 import b32encode
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts import services as accounts
from accounts.models import TokenUse
from accounts.tests.test_admin_role_matrix import every_page
from accounts.tests.test_admin_role_matrix import rows as matrix_rows  # noqa: F401 (a fixture)
from events import services as events
from webhooks import services as webhooks

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}


def api(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def api_status(key):
    return api(key).get("/api/v1/meetings/").status_code


@pytest.fixture
def secrets_of(officer):
    """The officer's every secret, as the texts that would give it away."""
    token = Token.objects.create(user=officer)
    feed = events.personal_feed_for(user=officer)
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    codes = accounts.backup_codes_renew(user=officer)
    webhook = webhooks.subscription_create(
        owner=officer, url="https://hooks.example.com/", events=["request.changed"]
    )
    previous = webhook.secret
    webhooks.subscription_rotate_secret(subscription=webhook)
    webhook.refresh_from_db()
    return {
        "webhook signing secret": webhook.secret.removeprefix("whsec_"),
        "previous webhook signing secret": previous.removeprefix("whsec_"),
        "API key": token.key,
        "calendar key": feed.key,
        "authenticator seed (hex)": device.key,
        "authenticator seed (base32)": b32encode(device.bin_key).decode().rstrip("="),
        "password hash": officer.password.rsplit("$", 1)[1],
        **{f"backup code {i}": code for i, code in enumerate(codes)},
    }


def leaks(content: bytes, secrets: dict) -> list[str]:
    return [name for name, secret in secrets.items() if secret.encode() in content]


def test_no_admin_page_shows_a_coordinator_anothers_secrets(coordinator, secrets_of, request):
    """Every admin page the resolver lists (lists, change, delete and history pages, past
    versions, exports' forms, the site's own pages), as a coordinator sees it: the role
    matrix's pages, with a row of every model; and the officer's own pages."""
    rows = request.getfixturevalue("matrix_rows")
    client = Client(raise_request_exception=False)
    client.force_login(coordinator)
    officer = Token.objects.get(key=secrets_of["API key"]).user
    urls = [page.url for page in every_page(rows)]
    assert len(urls) > 150
    urls += [
        f"/admin/auth/user/{officer.pk}/change/",
        f"/admin/auth/user/{officer.pk}/history/",
        f"/admin/accounts/apitoken/{officer.pk}/change/",
        f"/admin/accounts/authenticator/{TOTPDevice.objects.get(user=officer).pk}/change/",
    ]
    found = {}
    for url in urls:
        response = client.get(url, headers=EN)
        if response.streaming:  # downloads: the attachments and documents themselves
            continue
        if problems := leaks(response.content, secrets_of):
            found[url] = problems
    assert found == {}


def test_the_token_list_names_owners_never_keys(client, coordinator, officer, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 2, 10, 0, tzinfo=datetime.UTC), tick=False)
    key = Token.objects.create(user=officer).key
    assert api_status(key) == 200  # recorded as its last use
    client.force_login(coordinator)
    listing = client.get("/admin/accounts/apitoken/", headers=EN).content.decode()
    assert "officer" in listing and f"{key[:4]}…" in listing and key not in listing
    assert "Dec. 2, 2026, 7 p.m." in listing  # the last use, in Seoul
    for page in ("change", "history", "delete"):
        response = client.get(f"/admin/accounts/apitoken/{officer.pk}/{page}/", headers=EN)
        assert response.status_code == 200 and key not in response.content.decode()
        assert "API token of officer" in response.content.decode()
    # The old pages, which listed every key, are gone.
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404


def test_a_coordinator_withdraws_a_token_and_no_key_is_left_behind(client, coordinator, officer):
    key = Token.objects.create(user=officer).key
    client.force_login(coordinator)
    response = client.post(
        f"/admin/accounts/apitoken/{officer.pk}/delete/", {"post": "yes"}, headers=EN, follow=True
    )
    assert response.status_code == 200 and "API token of officer" in response.content.decode()
    assert key not in response.content.decode()
    assert api_status(key) == 401 and not Token.objects.filter(user=officer).exists()
    # The admin's record of it (its home page lists one's recent actions) names no key.
    assert key not in client.get("/admin/", headers=EN).content.decode()


def test_nobody_creates_a_key_for_another_user(client, coordinator, officer):
    client.force_login(coordinator)
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    assert client.post("/admin/accounts/apitoken/add/", {"user": officer.pk}).status_code == 403
    assert client.post("/admin/authtoken/tokenproxy/add/", {"user": officer.pk}).status_code == 404
    # Their own page issues their own token, whatever else the form says.
    client.post("/admin/my-token/", {"action": "issue", "user": officer.pk})
    assert list(Token.objects.values_list("user", flat=True)) == [coordinator.pk]
    # Nor does the API, signed in as the coordinator, issue one.
    client_api = api(Token.objects.get(user=coordinator).key)
    schema = client_api.get("/api/schema/", {"format": "json"}).json()
    assert not [path for path in schema["paths"] if "token" in path.lower()]
    for path in ("/api/v1/tokens/", "/api-token-auth/", "/api/v1/auth/token/"):
        assert client_api.post(path, {"user": officer.pk}).status_code in (404, 405)
    assert not Token.objects.filter(user=officer).exists()


def test_a_key_is_shown_once_to_its_owner(client, officer):
    client.force_login(officer)
    issued = client.post("/admin/my-token/", {"action": "issue"}, headers=EN)
    key = Token.objects.get(user=officer).key
    assert issued.status_code == 200 and key in issued.content.decode()
    assert "shown only this once" in issued.content.decode()
    later = client.get("/admin/my-token/", headers=EN).content.decode()
    assert key not in later and f"{key[:4]}…" in later and "Not used yet." in later
    assert api_status(key) == 200
    assert "Last used" in client.get("/admin/my-token/", headers=EN).content.decode()
    replaced = client.post("/admin/my-token/", {"action": "issue"}, headers=EN).content.decode()
    new_key = Token.objects.get(user=officer).key
    assert new_key in replaced and key not in replaced


def test_pages_with_secrets_are_never_cached(client, officer):
    client.force_login(officer)
    for path in ("/admin/my-token/", "/admin/my-calendar/", "/admin/two-factor/"):
        assert "no-store" in client.get(path)["Cache-Control"], path
    assert "no-store" in client.post("/admin/my-token/", {"action": "issue"})["Cache-Control"]


def test_last_use_is_written_at_most_once_a_minute(officer, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 2, 10, 0, tzinfo=datetime.UTC), tick=False)
    key = Token.objects.create(user=officer).key

    def writes_of_uses():
        with CaptureQueriesContext(connection) as queries:
            assert api_status(key) == 200
        sql = [q["sql"] for q in queries]
        return [q for q in sql if q.startswith(("INSERT", "UPDATE")) and "accounts_tokenuse" in q]

    assert len(writes_of_uses()) == 1
    first = TokenUse.objects.get(token_id=key).last_used_at
    time_machine.shift(datetime.timedelta(seconds=30))
    assert writes_of_uses() == []
    time_machine.shift(datetime.timedelta(seconds=31))
    assert len(writes_of_uses()) == 1
    assert TokenUse.objects.get(token_id=key).last_used_at - first == datetime.timedelta(seconds=61)


def test_the_private_calendar_address_is_on_a_users_page_for_superusers_only(
    client, coordinator, officer, admin_user
):
    feed = events.personal_feed_for(user=officer)
    page = f"/admin/auth/user/{officer.pk}/change/"
    client.force_login(coordinator)
    seen_by_coordinator = client.get(page, headers=EN)
    assert seen_by_coordinator.status_code == 200
    assert feed.key not in seen_by_coordinator.content.decode()
    assert "private calendar address" not in seen_by_coordinator.content.decode()
    client.force_login(admin_user)
    assert feed.url in client.get(page, headers=EN).content.decode()


def test_the_admin_log_forgets_the_keys_it_named(client, coordinator, officer):
    """DRF's token admin logged each token it added, changed or deleted under its key (and an
    older one addressed tokens by it): the upgrade replaces those names."""
    key = Token.objects.create(user=officer).key
    for model, object_id, flag in (("tokenproxy", officer.pk, ADDITION), ("token", key, DELETION)):
        LogEntry.objects.create(
            user=coordinator,
            content_type=ContentType.objects.get(app_label="authtoken", model=model),
            object_id=object_id,
            object_repr=key,
            action_flag=flag,
        )
    migration = import_module("accounts.migrations.0008_api_tokens_by_owner")
    migration.forget_keys_in_the_admin_log(apps, None)
    assert not LogEntry.objects.filter(object_repr__contains=key).exists()
    assert not LogEntry.objects.filter(object_id=key).exists()
    client.force_login(coordinator)
    assert key not in client.get("/admin/").content.decode()  # its recent actions
