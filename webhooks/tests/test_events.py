"""Events are queued with their cause, once per subscription, as its owner may see them."""

import json

import pytest
from django.db import connection
from django.utils import timezone

from events.models import Meeting
from events.tests.factories import AttendanceFactory, MeetingFactory
from followups import services as requests
from stakeholders.tests.factories import OrganizationFactory
from webhooks import services
from webhooks.models import Delivery, MeetingFeed

from .factories import subscription

pytestmark = pytest.mark.django_db


def events_for(sub):
    services.feed_fan_out()
    return [
        (json.loads(d.body)["type"], json.loads(d.body)["data"])
        for d in Delivery.objects.filter(subscription=sub).order_by("id")
    ]


def test_a_meeting_written_any_way_is_an_event(coordinator):
    sub = subscription(coordinator, events=["meeting.created", "meeting.changed"])
    meeting = MeetingFactory()
    assert events_for(sub) == [("meeting.created", {"id": str(meeting.pk), "version": 1})]
    # A queryset update and raw SQL pass no save(): the change log's trigger sees them.
    Meeting.objects.filter(pk=meeting.pk).update(venue="판교")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE events_meeting SET title = %s WHERE id = %s",
            ["새 제목", meeting.pk.hex if connection.vendor == "sqlite" else meeting.pk],
        )
    AttendanceFactory(meeting=meeting)
    meeting.refresh_from_db()
    found = events_for(sub)
    assert found[0][0] == "meeting.created"
    # The three writes were read in one batch: one event with the last version.
    assert found[1:] == [("meeting.changed", {"id": str(meeting.pk), "version": meeting.version})]


def test_each_write_read_in_its_own_batch_is_its_own_event(coordinator):
    sub = subscription(coordinator)
    meeting = MeetingFactory()
    services.feed_fan_out()
    meeting.venue = "판교"
    meeting.save()
    services.feed_fan_out()
    pk = str(meeting.pk)
    meeting.delete()
    assert events_for(sub) == [
        ("meeting.created", {"id": pk, "version": 1}),
        ("meeting.changed", {"id": pk, "version": 2}),
        ("meeting.deleted", {"id": pk, "version": 2}),
    ]


def test_an_internal_meeting_reaches_only_those_who_see_it(coordinator, partner):
    insider = subscription(coordinator)
    outsider = subscription(partner)
    meeting = MeetingFactory(visibility="internal")
    services.feed_fan_out()
    assert [t for t, _ in events_for(insider)] == ["meeting.created"]
    assert events_for(outsider) == []

    meeting.visibility = "public"
    meeting.save()
    services.feed_fan_out()
    assert [t for t, _ in events_for(outsider)] == ["meeting.created"]

    # Made internal again: gone from the partner's sight, changed for the coordinator.
    meeting.visibility = "internal"
    meeting.save()
    assert [t for t, _ in events_for(outsider)] == ["meeting.created", "meeting.deleted"]
    assert [t for t, _ in events_for(insider)] == [
        "meeting.created",
        "meeting.changed",
        "meeting.changed",
    ]


def test_a_subscription_gets_only_the_events_it_chose(coordinator):
    sub = subscription(coordinator, events=["meeting.deleted"])
    meeting = MeetingFactory()
    meeting.save()
    services.feed_fan_out()
    assert events_for(sub) == []
    pk = str(meeting.pk)
    meeting.delete()
    assert [(t, d["id"]) for t, d in events_for(sub)] == [("meeting.deleted", pk)]


def test_nothing_is_kept_for_webhooks_while_no_subscription_is_active(coordinator):
    sub = subscription(coordinator, active=False)
    MeetingFactory()
    assert not MeetingFeed.objects.exists()
    services.subscription_update(subscription=sub, active=True)
    MeetingFactory()
    assert MeetingFeed.objects.count() == 1


def test_a_cause_read_twice_queues_once(coordinator):
    sub = subscription(coordinator)
    MeetingFactory()
    rows = list(MeetingFeed.objects.all())
    deliveries = services._meeting_deliveries(rows)
    services._queue(deliveries)
    services._queue(services._meeting_deliveries(rows))
    assert Delivery.objects.filter(subscription=sub).count() == 1


def test_request_steps_are_events_for_those_who_may_see_the_request(coordinator, officer, ministry):
    everyone = subscription(coordinator, events=["request.created", "request.changed"])
    own = subscription(officer, events=["request.created", "request.changed"])
    other = OrganizationFactory(kind="ministry", name="산업통상자원부")
    meeting = MeetingFactory()
    company = OrganizationFactory()
    mine = requests.request_create(
        meeting=meeting, organization=company, category="finance", text="정책 자금"
    )
    theirs = requests.request_create(
        meeting=meeting, organization=company, category="data", text="데이터 개방"
    )
    requests.request_assign(request=mine, by=coordinator, ministry=ministry)
    requests.request_assign(request=theirs, by=coordinator, ministry=other)
    requests.request_answer(request=mine, by=officer, response="검토하겠습니다.")

    assert events_for(everyone) == [
        ("request.created", {"id": mine.pk, "status": "new"}),
        ("request.created", {"id": theirs.pk, "status": "new"}),
        ("request.changed", {"id": mine.pk, "status": "assigned"}),
        ("request.changed", {"id": theirs.pk, "status": "assigned"}),
        ("request.changed", {"id": mine.pk, "status": "answered"}),
    ]
    # The officer sees their own ministry's requests only (a new one names no ministry yet).
    assert events_for(own) == [
        ("request.changed", {"id": mine.pk, "status": "assigned"}),
        ("request.changed", {"id": mine.pk, "status": "answered"}),
    ]


def test_a_request_of_an_internal_meeting_reaches_only_those_who_see_it(coordinator, partner):
    from django.contrib.auth.models import Permission

    partner.user_permissions.add(Permission.objects.get(codename="view_stakeholderrequest"))
    outsider = subscription(partner, events=["request.created"])
    insider = subscription(coordinator, events=["request.created"])
    meeting = MeetingFactory(visibility="internal")
    requests.request_create(
        meeting=meeting, organization=OrganizationFactory(), category="tax", text="세제 지원"
    )
    assert events_for(outsider) == []
    assert len(events_for(insider)) == 1


def test_an_event_is_dated_and_thin(coordinator):
    sub = subscription(coordinator, events=["meeting.created"])
    before = timezone.now()
    MeetingFactory(title="비공개 제목")
    services.feed_fan_out()
    body = json.loads(Delivery.objects.get(subscription=sub).body)
    assert set(body) == {"type", "timestamp", "data"}
    assert set(body["data"]) == {"id", "version"}
    assert "비공개 제목" not in Delivery.objects.get(subscription=sub).body
    assert timezone.datetime.fromisoformat(body["timestamp"]) >= before.replace(microsecond=0)
