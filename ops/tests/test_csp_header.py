"""Every kind of page carries the site's Content-Security-Policy, signed in or not, found or
not (the browser test, on PostgreSQL, checks that no page breaks it)."""

import pytest

pytestmark = pytest.mark.django_db
POLICY_PARTS = ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/privacy/",
        "/api/docs/",
        "/admin/login/",
        "/feedback/not-a-link/",
        "/rsvp/not-a-link/",
        "/calendar/public.ics",
    ],
)
def test_anonymous_pages_carry_the_policy(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404), response.status_code
    policy = response["Content-Security-Policy"]
    assert all(part in policy for part in POLICY_PARTS), policy


@pytest.mark.parametrize("path", ["/admin/", "/admin/two-factor/", "/admin/status/"])
def test_staff_pages_carry_the_policy(client, coordinator, path):
    client.force_login(coordinator)
    response = client.get(path)
    assert response.status_code == 200
    assert all(part in response["Content-Security-Policy"] for part in POLICY_PARTS)
