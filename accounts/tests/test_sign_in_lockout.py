"""Guessing a staff password locks the account out for that address; coordinators see the
lock-out and can lift it."""

import pytest
from axes.models import AccessAttempt

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/?next=/admin/"


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def officer_with_password(officer):
    officer.set_password("올바른-비밀번호-2025")
    officer.save()
    return officer


def test_repeated_failures_lock_the_account_for_that_address(
    client, officer_with_password, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "officer", "틀린-비밀번호").status_code == 200  # the form again
    assert sign_in(client, "officer", "틀린-비밀번호").status_code == 429  # the last allowed
    locked = sign_in(client, "officer", "올바른-비밀번호-2025")  # even the right one
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "잠겼습니다" in html and "30분 뒤" in html
    # The same account from another address still signs in (a guesser cannot lock staff out).
    assert sign_in(client, "officer", "올바른-비밀번호-2025", "198.51.100.4").status_code == 302


def test_a_coordinator_sees_the_lockout_and_lifts_it(
    client, officer_with_password, coordinator, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "officer", "틀린-비밀번호")
    attempt = AccessAttempt.objects.get(username="officer")
    staff = client.__class__()
    staff.force_login(coordinator)
    listing = staff.get("/admin/axes/accessattempt/").content.decode()
    assert "officer" in listing and "203.0.113.7" in listing and "실패 횟수" in listing
    staff.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert not AccessAttempt.objects.exists()
    assert sign_in(client, "officer", "올바른-비밀번호-2025").status_code == 302


def test_viewers_and_officers_cannot_lift_lockouts(client, viewer, officer):
    for user in (viewer, officer):
        client.force_login(user)
        assert client.get("/admin/axes/accessattempt/").status_code == 403
