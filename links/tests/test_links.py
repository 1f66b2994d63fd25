"""Every kind of personal link is one model of links.PersonalLink, registered in
links.registry, and served at its address by links.pages (throttle, 404, 410, no-store)."""

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import resolve

from events.rsvp import reply_for
from events.tests.factories import AttendanceFactory
from feedback import services as feedback
from links import registry
from links.models import PersonalLink
from stakeholders.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def link_models():
    return [model for model in apps.get_models() if issubclass(model, PersonalLink)]


def test_there_are_personal_links_of_two_kinds():
    assert {model.LINK_KIND for model in link_models()} == {"feedback", "rsvp"}


@pytest.mark.parametrize("model", link_models(), ids=lambda model: model.LINK_KIND)
def test_every_link_kind_is_registered_and_served_by_the_one_page_helper(model):
    kind = registry.get(model.LINK_KIND)
    assert kind.rows().model is model
    view = resolve(f"/{model.LINK_KIND}/some-token/").func
    assert getattr(view, "link_kind", None) == model.LINK_KIND


def links_of_each_kind():
    attendance = AttendanceFactory()
    person = PersonFactory(organization=attendance.organization)
    return [
        feedback.invitation_for(meeting=attendance.meeting, person=person),
        reply_for(attendance=attendance, person_id=person.pk),
    ]


def test_a_revoked_link_of_any_kind_answers_410_and_its_emails_stop(client):
    for link in links_of_each_kind():
        path = link.url.removeprefix(settings.SITE_URL)
        ref = f"{link.LINK_KIND}:{link.pk}"
        if link.LINK_KIND == "rsvp":
            ref = f"rsvp:{link.attendance_id}:{link.person_id}"
        assert registry.resolve_ref(ref) == link.url
        assert type(link).objects.filter(pk=link.pk).revoke() == 1
        assert type(link).objects.filter(pk=link.pk).revoke() == 0  # once
        response = client.get(path)
        assert response.status_code == 410, link.LINK_KIND
        assert "철회" in response.content.decode()
        assert "no-store" in response["Cache-Control"]
        assert registry.resolve_ref(ref) is None


def test_an_unknown_reference_resolves_to_nothing():
    assert registry.resolve_ref("nothing:1") is None
