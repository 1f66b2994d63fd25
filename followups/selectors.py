"""Reads of stakeholder requests shared by the admin and the API.

The API's list renders plain rows from `values()` (request_values, request_rows) rather than
model instances and serializers: the same representation (followups.api's
StakeholderRequestSerializer, which lists its fields from REQUEST_API_FIELDS; a test holds the
two equal) for a fraction of the Python work.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.rows import day, instant

from .models import StakeholderRequest

# The API's request fields, in its order; a foreign key as its id, the linked pledges as theirs.
REQUEST_API_FIELDS = (
    "id",
    "meeting",
    "organization",
    "person",
    "category",
    "text",
    "source",
    "status",
    "ministry",
    "assignee",
    "due_date",
    "response",
    "responded_at",
    "notes",
    "same_as",
    "commitments",
    "published_at",
    "is_public",
    "public_summary",
    "created_at",
    "updated_at",
)
_VALUE_FIELDS = tuple(name for name in REQUEST_API_FIELDS if name != "commitments")
_DATETIMES = ("responded_at", "published_at", "created_at", "updated_at")

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


def request_values(queryset):
    """A values() queryset of the API's request fields but the pledges, to paginate."""
    return queryset.prefetch_related(None).values(*_VALUE_FIELDS)


def request_rows(values) -> list[dict]:
    """API representations of request rows from `request_values`, in their order."""
    values = list(values)
    commitments = request_commitments([row["id"] for row in values])
    tz = timezone.get_current_timezone()
    for row in values:
        row["commitments"] = commitments.get(row["id"], [])
        row["due_date"] = day(row["due_date"])
        for name in _DATETIMES:
            row[name] = instant(row[name], tz)
    return [{name: row[name] for name in REQUEST_API_FIELDS} for row in values]


def request_commitments(request_ids) -> dict:
    """Each request's linked pledges' ids, in the pledges' own order (Commitment.Meta)."""
    found: dict = {}
    links = (
        StakeholderRequest.commitments.through.objects.filter(stakeholderrequest_id__in=request_ids)
        .order_by("commitment__meeting__period_start", "commitment_id")
        .values_list("stakeholderrequest_id", "commitment_id")
    )
    for request_id, commitment_id in links:
        found.setdefault(request_id, []).append(commitment_id)
    return found
