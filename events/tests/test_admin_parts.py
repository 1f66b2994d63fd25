"""The meeting admin's extension points: what the apps above events register shows on the
meeting's page and list, and no inline of theirs writes around their services."""

import pytest
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.db.models import Count, Value
from django.test import RequestFactory
from django.utils.html import format_html

from events import admin_parts
from events.models import Meeting
from events.tests.factories import AttendanceFactory, MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def parts(monkeypatch):
    """The registry as the apps filled it, given back as it was after the test."""
    monkeypatch.setattr(admin_parts, "_parts", {k: dict(v) for k, v in admin_parts._parts.items()})
    return admin_parts


def test_every_inline_of_another_app_saves_through_its_services_or_is_read_only(coordinator):
    request = RequestFactory().get("/")
    request.user = coordinator
    assert admin_parts.inlines(), "the apps above events register their inlines"
    for part in admin_parts.inlines():
        if part.save is not None:
            continue
        inline = part.inline(Meeting, admin.site)
        fields = flatten_fieldsets(inline.get_fieldsets(request))
        assert not inline.has_add_permission(request, None), part
        assert not inline.has_delete_permission(request, None) or not inline.can_delete, part
        assert set(fields) <= set(inline.get_readonly_fields(request)), part


@admin.display(description="Partner rating")
def rating(meeting):
    return format_html("<b class='rating'>{} stars</b>", meeting.title[:1])


@admin.display(description="Guests", ordering="guest_count")
def guests(meeting):
    return f"{meeting.guest_count} guests"


def rate(modeladmin, request, queryset):
    modeladmin.message_user(request, f"Rated {queryset.count()} meetings")


def test_a_registered_panel_figures_column_and_action_show(client, coordinator, viewer, parts):
    meeting = MeetingFactory(title="Relay")
    AttendanceFactory.create_batch(2, meeting=meeting)
    parts.register(parts.Panel("Ratings", rating))
    parts.register(parts.Figures(lambda meeting: [("Guests", 42)]))
    parts.register(parts.Annotation("guest_count", Count("attendances") + Value(1)))
    parts.register(parts.Column(guests))
    parts.register(
        parts.Action(
            name="rate",
            description="Rate the selected meetings",
            run=rate,
            allowed=lambda request: request.user.has_perm("events.change_meeting"),
        )
    )
    client.force_login(coordinator)
    page = client.get(f"/admin/events/meeting/{meeting.pk}/change/").content.decode()
    assert "Ratings" in page and "<b class='rating'>R stars</b>" in page
    assert "<dt>Guests</dt><dd>42</dd>" in page
    listing = client.get("/admin/events/meeting/?o=9").content.decode()
    assert "3 guests" in listing and "Rate the selected meetings" in listing
    response = client.post(
        "/admin/events/meeting/", {"action": "rate", "_selected_action": [meeting.pk]}
    )
    assert response.status_code == 302
    assert "Rated 1 meetings" in client.get(response["Location"]).content.decode()
    client.force_login(viewer)
    assert "Rate the selected meetings" not in client.get("/admin/events/meeting/").content.decode()
