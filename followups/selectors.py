"""Reads of stakeholder requests shared by the admin and the API."""

from django.utils.translation import gettext_lazy as _

from .models import StakeholderRequest

OFFICER_PERMISSION = "followups.answer_own_ministry_requests"
# How a request outside a user's scope is named wherever one points at it (the earlier request
# of a chain, a pledge's linked requests, a past version): that it exists, nothing of it.
ANOTHER_MINISTRYS_REQUEST = _("(another ministry's request)")


def officer_ministry_id(user) -> int | None:
    """The ministry a ministry officer answers for: the organization of their contact record."""
    person = getattr(user, "person", None)
    if person is None or person.organization.kind != "ministry":
        return None
    return person.organization_id


def is_ministry_officer(user) -> bool:
    return not user.is_superuser and user.has_perm(OFFICER_PERMISSION)


def requests_visible_to(user, queryset=None):
    """All requests for coordinators and viewers; a ministry officer's own ministry's only."""
    queryset = StakeholderRequest.objects.all() if queryset is None else queryset
    if is_ministry_officer(user):
        ministry_id = officer_ministry_id(user)
        return queryset.filter(ministry_id=ministry_id) if ministry_id else queryset.none()
    return queryset


def is_visible_to(user, request: StakeholderRequest) -> bool:
    """The rule of `requests_visible_to` for one request already read; no user, no request."""
    if user is None:
        return False
    if is_ministry_officer(user):
        ministry_id = officer_ministry_id(user)
        return ministry_id is not None and request.ministry_id == ministry_id
    return True


def name_for(user, request: StakeholderRequest, text=None) -> str:
    """What `user` may read of a request named somewhere: `text` (by default the request's own
    name, "organization: excerpt"), or "(another ministry's request)" for one outside their
    scope."""
    if not is_visible_to(user, request):
        return str(ANOTHER_MINISTRYS_REQUEST)
    return str(request) if text is None else str(text)
