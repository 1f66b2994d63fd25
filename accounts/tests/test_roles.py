"""The three groups hold the permissions the README (Roles) gives each role."""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import COORDINATORS, MINISTRY_OFFICERS, VIEWERS

pytestmark = pytest.mark.django_db

DOMAIN_MODELS = [
    "events.meeting",
    "events.series",
    "events.attendance",
    "events.presentation",
    "stakeholders.organization",
    "stakeholders.person",
    "followups.stakeholderrequest",
    "pledges.commitment",
    "pledges.progressentry",
]


def perms_of(user, model):
    app, name = model.split(".")
    return {a for a in ("add", "change", "delete", "view") if user.has_perm(f"{app}.{a}_{name}")}


def test_groups_exist_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        COORDINATORS,
        MINISTRY_OFFICERS,
        VIEWERS,
    }


@pytest.mark.parametrize("model", DOMAIN_MODELS)
def test_coordinators_do_everything_in_the_domain(coordinator, model):
    assert perms_of(coordinator, model) == {"add", "change", "delete", "view"}


@pytest.mark.parametrize("model", DOMAIN_MODELS)
def test_viewers_read_only(viewer, model):
    assert perms_of(viewer, model) == {"view"}


@pytest.mark.parametrize("model", DOMAIN_MODELS)
def test_officers_read_and_answer_requests(officer, model):
    expected = {"view", "change"} if model == "followups.stakeholderrequest" else {"view"}
    assert perms_of(officer, model) == expected


def test_every_role_sees_internal_meetings(coordinator, viewer, officer):
    for user in (coordinator, viewer, officer):
        assert user.has_perm("events.view_internal_meeting")


def test_only_officers_are_narrowed_to_their_ministry(coordinator, viewer, officer):
    perm = "followups.answer_own_ministry_requests"
    assert [u.has_perm(perm) for u in (coordinator, viewer, officer)] == [False, False, True]


def test_coordinators_edit_schedules_and_tokens(coordinator):
    assert coordinator.has_perm("django_celery_beat.change_periodictask")
    # API tokens: they see whose exists and withdraw it; only its owner issues one.
    assert coordinator.has_perm("accounts.delete_apitoken")
    assert not coordinator.has_perm("authtoken.add_tokenproxy")
    assert not coordinator.has_perm("authtoken.add_token")
    assert not coordinator.has_perm("auth.change_user")
