"""The admin: the secret shown once, after adding or rotating one's own subscription."""

import pytest
from django.urls import reverse

from events.tests.factories import MeetingFactory
from webhooks import services
from webhooks.models import Delivery, Subscription

from .factories import subscription

pytestmark = pytest.mark.django_db
EN = {"Accept-Language": "en"}


def test_a_new_subscription_shows_its_secret_once(client, coordinator):
    client.force_login(coordinator)
    added = client.post(
        reverse("admin:webhooks_subscription_add"),
        {"url": "https://hooks.example.com/a", "events": ["meeting.changed"], "active": "on"},
        follow=True,
        headers=EN,
    )
    sub = Subscription.objects.get()
    assert sub.owner == coordinator and sub.events == ["meeting.changed"]
    assert sub.secret in added.content.decode()
    page = client.get(reverse("admin:webhooks_subscription_change", args=[sub.pk]), headers=EN)
    assert (
        page.status_code == 200 and sub.secret.removeprefix("whsec_") not in page.content.decode()
    )


def test_a_private_url_is_a_form_error(client, coordinator):
    client.force_login(coordinator)
    refused = client.post(
        reverse("admin:webhooks_subscription_add"),
        {"url": "https://10.0.0.5/hook", "events": ["meeting.changed"]},
        headers=EN,
    )
    assert refused.status_code == 200
    assert "This URL cannot receive webhooks: a private address." in refused.content.decode()
    assert not Subscription.objects.exists()


def test_only_ones_own_secret_is_rotated(client, coordinator, make_staff):
    colleague = make_staff("Coordinators", username="colleague")
    theirs = subscription(colleague)
    client.force_login(coordinator)
    url = reverse("admin:webhooks_subscription_changelist")
    answer = client.post(
        url, {"action": "rotate_secret", "_selected_action": [theirs.pk]}, follow=True, headers=EN
    )
    assert "Choose one subscription of your own" in answer.content.decode()
    assert Subscription.objects.get(pk=theirs.pk).secret == theirs.secret

    mine = subscription(coordinator)
    answer = client.post(
        url, {"action": "rotate_secret", "_selected_action": [mine.pk]}, follow=True, headers=EN
    )
    mine.refresh_from_db()
    assert mine.secret in answer.content.decode() and mine.previous_secret


def test_send_again_and_switch_on_again(client, coordinator):
    sub = subscription(coordinator)
    MeetingFactory()
    services.feed_fan_out()
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(state="failed", attempts=8)
    Subscription.objects.filter(pk=sub.pk).update(active=False, disabled_reason="gone")
    client.force_login(coordinator)
    client.post(
        reverse("admin:webhooks_delivery_changelist"),
        {"action": "retry", "_selected_action": [delivery.pk]},
    )
    client.post(
        reverse("admin:webhooks_subscription_changelist"),
        {"action": "enable", "_selected_action": [sub.pk]},
    )
    delivery.refresh_from_db()
    sub.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.webhook_id) == (
        "queued",
        0,
        delivery.webhook_id,
    )
    assert sub.active and sub.disabled_reason == ""
