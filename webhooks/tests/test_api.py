"""Subscriptions and the delivery log through the REST API (README, Webhooks)."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from api.tests.clients import client_for
from events.tests.factories import MeetingFactory
from webhooks import services
from webhooks.models import Delivery, Subscription

from .factories import subscription

pytestmark = pytest.mark.django_db
URL = "/api/v1/webhooks/"
NEW = {
    "url": "https://hooks.example.com/roundtable",
    "events": ["meeting.created", "meeting.changed", "meeting.deleted"],
    "description": "캘린더 동기화",
}


def test_the_secret_is_in_the_answer_that_creates_the_subscription_only(coordinator):
    api = client_for(coordinator)
    created = api.post(URL, NEW, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["secret"].startswith("whsec_")
    assert body["active"] is True and body["events"] == NEW["events"]
    assert body["last_success_at"] is None and body["last_failure_at"] is None
    assert Subscription.objects.get().secret == body["secret"]

    listed = api.get(URL).json()
    assert listed["count"] == 1 and "secret" not in listed["results"][0]
    one = api.get(f"{URL}{body['id']}/").json()
    assert "secret" not in one and body["secret"] not in str(one)
    changed = api.patch(f"{URL}{body['id']}/", {"description": "새 설명"}, format="json")
    assert changed.status_code == 200 and "secret" not in changed.json()


def test_a_rotation_answers_the_new_secret_once(coordinator):
    api = client_for(coordinator)
    sub = subscription(coordinator)
    rotated = api.post(f"{URL}{sub.pk}/rotate-secret/")
    assert rotated.status_code == 200
    sub.refresh_from_db()
    assert rotated.json() == {"secret": sub.secret}
    assert sub.signing_secrets() == [sub.secret, sub.previous_secret]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"events": []}, "events"),
        ({"events": ["meeting.exploded"]}, "events"),
        ({"events": "meeting.created"}, "events"),
        ({"url": "ftp://hooks.example.com/"}, "url"),
        ({"url": "https://127.0.0.1/hook"}, "url"),
        ({"url": "https://localhost/hook"}, "url"),
        ({"url": "https://[::1]/hook"}, "url"),
        ({"url": "http://hooks.example.com/"}, "url"),  # DEBUG is off
        ({"url": "https://user:pw@hooks.example.com/"}, "url"),
    ],
)
def test_bad_subscriptions_are_a_400_naming_the_field(coordinator, change, field):
    response = client_for(coordinator).post(URL, {**NEW, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_callers_see_and_change_only_their_own_subscriptions(coordinator, make_staff):
    colleague = make_staff("Coordinators", username="colleague")
    theirs = subscription(colleague)
    MeetingFactory()
    services.feed_fan_out()
    delivery = Delivery.objects.get(subscription=theirs)
    api = client_for(coordinator)
    assert api.get(URL).json()["count"] == 0
    for method, path in [
        ("get", f"{URL}{theirs.pk}/"),
        ("patch", f"{URL}{theirs.pk}/"),
        ("delete", f"{URL}{theirs.pk}/"),
        ("post", f"{URL}{theirs.pk}/rotate-secret/"),
        ("get", f"{URL}{theirs.pk}/deliveries/"),
        ("post", f"{URL}{theirs.pk}/deliveries/{delivery.pk}/retry/"),
    ]:
        assert getattr(api, method)(path, {}, format="json").status_code == 404, path


def test_who_may_manage_webhooks(viewer, officer, partner, coordinator):
    assert APIClient().get(URL).status_code == 401
    for user in (viewer, officer, partner):
        assert client_for(user).get(URL).status_code == 403
        assert client_for(user).post(URL, NEW, format="json").status_code == 403
    # A program's account given the permission to manage webhooks, and nothing about
    # meetings beyond reading them: it receives public meetings only.
    partner.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="webhooks", codename__endswith="subscription"
        )
    )
    assert client_for(partner).post(URL, NEW, format="json").status_code == 201
    assert client_for(coordinator).post(URL, NEW, format="json").status_code == 201


def test_the_delivery_log_and_sending_one_again(coordinator, django_assert_max_num_queries):
    sub = subscription(coordinator)
    for _ in range(3):
        MeetingFactory()
        services.feed_fan_out()
    first = Delivery.objects.filter(subscription=sub).earliest("id")
    Delivery.objects.filter(pk=first.pk).update(state="failed", attempts=8, last_status=500)
    api = client_for(coordinator)
    log = api.get(f"{URL}{sub.pk}/deliveries/").json()
    assert log["count"] == 3
    oldest = log["results"][-1]
    assert oldest["event"] == "meeting.created"
    assert (oldest["state"], oldest["attempts"], oldest["last_status"]) == ("failed", 8, 500)
    assert oldest["next_attempt"] is None
    assert log["results"][0]["next_attempt"] is not None
    assert api.get(f"{URL}{sub.pk}/deliveries/?state=failed").json()["count"] == 1
    assert api.get(f"{URL}{sub.pk}/deliveries/?state=lost").status_code == 400

    again = api.post(f"{URL}{sub.pk}/deliveries/{first.pk}/retry/")
    assert again.status_code == 202
    assert again.json()["state"] == "queued" and again.json()["webhook_id"] == first.webhook_id
    assert api.post(f"{URL}{sub.pk}/deliveries/999999/retry/").status_code == 404
    Delivery.objects.filter(pk=first.pk).update(state="sending")
    busy = api.post(f"{URL}{sub.pk}/deliveries/{first.pk}/retry/")
    assert busy.status_code == 409 and busy.json()["code"] == "conflict"


@pytest.mark.parametrize("deliveries", [1, 20])
def test_the_log_costs_the_same_queries_for_one_or_many(
    coordinator, deliveries, django_assert_num_queries
):
    sub = subscription(coordinator)
    for _ in range(deliveries):
        MeetingFactory()
        services.feed_fan_out()
    api = client_for(coordinator)
    api.get(f"{URL}{sub.pk}/deliveries/")
    with django_assert_num_queries(QUERIES_FOR_THE_LOG):
        assert api.get(f"{URL}{sub.pk}/deliveries/").status_code == 200


# The token and its user's permissions, the subscription, the count, the page: none per row.
QUERIES_FOR_THE_LOG = 6


def test_switching_a_subscription_off_and_on(coordinator):
    api = client_for(coordinator)
    sub = subscription(coordinator)
    off = api.patch(f"{URL}{sub.pk}/", {"active": False}, format="json").json()
    assert off["active"] is False and off["disabled_reason"] == "owner"
    on = api.patch(f"{URL}{sub.pk}/", {"active": True}, format="json").json()
    assert on["active"] is True and on["disabled_reason"] == ""
