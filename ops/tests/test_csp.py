"""A Content-Security-Policy on every page, and no page that breaks it: each is opened in a
real browser, which reports every script, style, image or font the policy refused."""

import datetime
import io

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from events.models import Meeting
from feedback import services as feedback
from feedback import tokens
from notifications.tests.processes import OTHER_PROCESSES
from stakeholders.tests.factories import PersonFactory

pytestmark = OTHER_PROCESSES


def test_no_page_breaks_the_policy(live_server, browser, coordinator):
    call_command("seed_relay", stdout=io.StringIO())
    factory = Meeting.objects.get(relay_number=2)
    factory.feedback_deadline = timezone.now() + datetime.timedelta(days=14)
    factory.save()
    contact = PersonFactory(
        organization=factory.attendances.get(organization__name="포스코").organization,
        email="kim@posco.example",
    )
    invitation = feedback.invitation_for(meeting=factory, person=contact)
    pages = [
        "/",
        f"/meetings/{factory.pk}/",
        tokens.url_for(invitation).removeprefix("http://127.0.0.1:8000"),
        "/api/docs/",
        "/admin/",
        "/admin/events/meeting/",
        f"/admin/events/meeting/{factory.pk}/change/",
        "/admin/followups/stakeholderrequest/",
        "/admin/pledges/commitment/",
        "/admin/dashboard/",
        "/admin/events/attendance/import/",
        "/admin/followups/stakeholderrequest/export/",
        "/admin/my-token/",
        "/admin/two-factor/",
        "/admin/status/",
    ]
    signed_in = Client()
    signed_in.force_login(coordinator)
    context = browser.new_context()
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": signed_in.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append((page.url, message.text))
            if "Content Security Policy" in message.text
            else None
        ),
    )
    for path in pages:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        policy = response.headers["content-security-policy"]
        assert (
            "default-src 'self'" in policy
            and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        )
        page.wait_for_load_state("networkidle")
    assert refused == [], "\n".join(f"{url}: {text[:160]}" for url, text in refused)
