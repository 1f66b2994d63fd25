"""App passwords as staff meet them: on My calendar (created and named, shown once, listed with
their last use, revoked) and from `manage.py app_password_create`; stored hashed."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from dav.models import AppPassword

from .helpers import Dav, basic

pytestmark = pytest.mark.django_db
PAGE = "/admin/my-calendar/"
ACTION = "/admin/my-calendar/app-passwords/"


def created_secret(response) -> str:
    html = response.content.decode()
    return re.search(r'id="app-password" type="text" readonly value="([^"]+)"', html).group(1)


@pytest.fixture
def signed_in(client, viewer):
    client.force_login(viewer)
    return client


def test_created_on_my_calendar_shown_once_and_stored_hashed(signed_in, viewer):
    page = signed_in.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Calendar apps (CalDAV)" in page
    assert "http://127.0.0.1:8000/dav/" in page and f"<code>{viewer.username}</code>" in page
    assert "You have no app passwords." in page

    response = signed_in.post(ACTION, {"name": "  My   iPhone "}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    secret = created_secret(response)
    assert re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){5}", secret)
    assert "shown only this once" in response.content.decode()
    stored = AppPassword.objects.get()
    assert stored.name == "My iPhone" and stored.user == viewer
    assert secret.replace("-", "") not in stored.secret_hash and len(stored.secret_hash) == 64

    # The password works for the app, and the page lists it (never the password again).
    assert Dav(signed_in.__class__(), viewer, secret).propfind("/dav/").status_code == 207
    listing = signed_in.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "My iPhone" in listing and secret not in listing
    assert "Not used yet." not in listing  # its use is shown


def test_names_are_required_and_unique(signed_in):
    assert signed_in.post(ACTION, {"name": "Thunderbird"}).status_code == 200
    again = signed_in.post(ACTION, {"name": "Thunderbird"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "You already have an app password with this name." in again.content.decode()
    blank = signed_in.post(ACTION, {"name": "   "}, HTTP_ACCEPT_LANGUAGE="en")
    assert blank.status_code == 200 and "This field is required." in blank.content.decode()
    assert AppPassword.objects.count() == 1


def test_revoked_on_my_calendar_the_app_is_refused(signed_in, viewer, client):
    secret = created_secret(signed_in.post(ACTION, {"name": "DAVx5"}))
    password = AppPassword.objects.get()
    response = signed_in.post(ACTION, {"action": "revoke", "id": password.pk})
    assert response.status_code == 302 and response["Location"] == PAGE
    assert not AppPassword.objects.exists()
    app = Dav(client.__class__(), viewer, secret)
    assert app.propfind("/dav/").status_code == 401


def test_nobody_revokes_anothers_app_password(signed_in, coordinator):
    Dav(signed_in.__class__(), coordinator)  # makes the coordinator's
    theirs = AppPassword.objects.get()
    for value in (theirs.pk, "x", "9" * 30, ""):
        assert signed_in.post(ACTION, {"action": "revoke", "id": value}).status_code == 302
    assert AppPassword.objects.filter(pk=theirs.pk).exists()


def test_only_staff_reach_the_page(client, partner):
    assert client.post(ACTION, {"name": "x"}).status_code == 302  # to the sign-in page
    client.force_login(partner)
    assert client.post(ACTION, {"name": "x"}).status_code == 302
    assert not AppPassword.objects.exists()


def test_the_command_prints_a_password_once(client, officer):
    out = io.StringIO()
    call_command("app_password_create", "officer", "--name", "Evolution", stdout=out)
    secret = out.getvalue().strip()
    assert AppPassword.objects.get().name == "Evolution"
    app = Dav(client, officer, secret)
    assert app.propfind("/dav/").status_code == 207
    assert app.propfind("/dav/", authorization=basic("officer", secret + "x")).status_code == 401
    with pytest.raises(CommandError):
        call_command("app_password_create", "officer", "--name", "Evolution", stdout=out)
    with pytest.raises(CommandError):
        call_command("app_password_create", "nobody", "--name", "x", stdout=out)
