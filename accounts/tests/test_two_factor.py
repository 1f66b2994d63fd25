"""Two-factor sign-in: staff set up an authenticator app and give its code at each sign-in;
with DJANGO_REQUIRE_2FA coordinators cannot work until they have one."""

import datetime
import re
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from api.tests.clients import client_for

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-only"
LOGIN = "/admin/login/?next=/admin/"
PAGE = "/admin/two-factor/"


def app_code(device, steps_ahead=0):
    """What the phone shows now (or a step later: a code is accepted once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def sign_in(client, user, code=""):
    data = {"username": user.username, "password": PASSWORD, "otp_token": code}
    return client.post(LOGIN, data)


def set_up(client, user):
    """Signs in by password, sets up the app from the page; returns (device, backup codes)."""
    assert sign_in(client, user).status_code == 302
    page = client.get(PAGE).content.decode()
    assert "<svg" in page  # the QR code, drawn in the page
    device = TOTPDevice.objects.get(user=user)
    done = client.post(PAGE, {"action": "confirm", "code": app_code(device)})
    return device, re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())


def test_without_an_app_staff_sign_in_with_their_password(client, coordinator):
    assert sign_in(client, coordinator).status_code == 302
    assert client.get("/admin/").status_code == 200


# The throttle counts seconds between attempts: on a stopped clock a slow machine cannot
# outwait it between two sign-ins.
@pytest.mark.time_machine(datetime.datetime(2026, 12, 3, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_once_set_up_every_sign_in_asks_for_the_code(client, coordinator):
    device, backup_codes = set_up(client, coordinator)
    assert len(backup_codes) == 10
    client.post("/admin/logout/")

    refused = sign_in(client, coordinator)
    assert refused.status_code == 200
    assert "인증 앱에 표시된 코드를 입력하세요" in refused.content.decode()
    wrong = sign_in(client, coordinator, "000000" if app_code(device, 1) != "000000" else "111111")
    assert "코드가 맞지 않습니다" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302  # still signed out
    # Guessing is slowed down: right after a wrong code even the right one waits.
    slowed = sign_in(client, coordinator, app_code(device, 1)).content.decode()
    assert "잠시 기다린 뒤 다시 시도하세요" in slowed

    device.refresh_from_db()
    device.throttle_reset()
    assert sign_in(client, coordinator, app_code(device, 1)).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_backup_code_works_once(client, viewer):
    _, backup_codes = set_up(client, viewer)
    client.post("/admin/logout/")
    assert sign_in(client, viewer, backup_codes[0]).status_code == 302
    client.post("/admin/logout/")
    assert sign_in(client, viewer, backup_codes[0]).status_code == 200  # used up


def test_a_wrong_code_while_setting_up_leaves_it_off(client, viewer):
    sign_in(client, viewer)
    client.get(PAGE)
    device = TOTPDevice.objects.get(user=viewer)
    wrong = "123456" if app_code(device) != "123456" else "654321"
    page = client.post(PAGE, {"action": "confirm", "code": wrong}).content.decode()
    assert "코드가 맞지 않습니다" in page
    assert not TOTPDevice.objects.filter(user=viewer, confirmed=True).exists()
    # The page keeps the QR code (the secret) the app already scanned.
    assert client.get(PAGE).status_code == 200
    assert TOTPDevice.objects.get(user=viewer).key == device.key


def test_required_coordinators_set_up_an_app_before_anything_else(client, coordinator, settings):
    settings.REQUIRE_TWO_FACTOR = True
    assert sign_in(client, coordinator).status_code == 302
    blocked = client.get("/admin/events/meeting/")
    assert blocked.status_code == 302
    assert blocked["Location"] == f"{PAGE}?next=%2Fadmin%2Fevents%2Fmeeting%2F"
    page = client.get(PAGE).content.decode()
    assert "2단계 인증을 사용해야 합니다" in page
    device = TOTPDevice.objects.get(user=coordinator)
    client.post(PAGE, {"action": "confirm", "code": app_code(device)})
    assert client.get("/admin/events/meeting/").status_code == 200


def test_requirement_leaves_other_roles_free_to_choose(client, viewer, officer, settings):
    settings.REQUIRE_TWO_FACTOR = True
    for user in (viewer, officer):
        sign_in(client, user)
        assert client.get("/admin/events/meeting/").status_code == 200
        client.post("/admin/logout/")


def test_a_coordinator_resets_a_colleagues_app(client, viewer, coordinator):
    set_up(client, viewer)
    client.post("/admin/logout/")
    assert sign_in(client, coordinator).status_code == 302
    listed = client.get("/admin/accounts/authenticator/").content.decode()
    assert viewer.username in listed
    device = TOTPDevice.objects.get(user=viewer)
    client.post(
        "/admin/accounts/authenticator/",
        {"action": "reset", "_selected_action": [device.pk]},
    )
    client.post("/admin/logout/")
    assert sign_in(client, viewer).status_code == 302  # the password alone again
    assert not viewer.staticdevice_set.exists()


def test_staff_turn_their_own_app_off(client, viewer):
    set_up(client, viewer)
    page = client.post(PAGE, {"action": "remove"}, follow=True).content.decode()
    assert "2단계 인증을 껐습니다" in page
    assert not TOTPDevice.objects.filter(user=viewer, confirmed=True).exists()
    assert not viewer.staticdevice_set.exists()


def test_others_cannot_reset_apps(client, viewer):
    sign_in(client, viewer)
    assert client.get("/admin/accounts/authenticator/").status_code == 403


def test_a_session_opened_by_password_alone_is_held_once_an_app_is_set_up(client, viewer):
    from django.test import Client

    earlier = Client()
    sign_in(earlier, viewer)  # before the app: password alone
    set_up(client, viewer)
    blocked = earlier.get("/admin/events/meeting/")
    assert blocked.status_code == 302 and blocked["Location"].startswith(PAGE)
    page = earlier.post(PAGE, {"action": "backup_codes"}).content.decode()
    assert "<code>" not in page  # no new backup codes for it
    assert "로그아웃한 뒤 앱의 코드로 다시 로그인하세요" in page


def test_wrong_codes_while_setting_up_are_slowed_down(client, viewer):
    sign_in(client, viewer)
    client.get(PAGE)
    device = TOTPDevice.objects.get(user=viewer)
    wrong = "123456" if app_code(device) != "123456" else "654321"
    client.post(PAGE, {"action": "confirm", "code": wrong})
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_a_token_does_not_get_round_the_requirement(client, coordinator, settings):
    api = client_for(coordinator)  # a token issued before the rule was switched on
    settings.REQUIRE_TWO_FACTOR = True
    refused = api.get("/api/v1/meetings/")
    assert refused.status_code == 403
    assert "2단계 인증" in refused.json()["detail"]
    set_up(client, coordinator)
    assert api.get("/api/v1/meetings/").status_code == 200


def test_coordinators_cannot_reset_a_superusers_app(client, coordinator, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", password=PASSWORD)
    set_up(client, boss)
    client.post("/admin/logout/")
    sign_in(client, coordinator)
    assert "boss" not in client.get("/admin/accounts/authenticator/").content.decode()
