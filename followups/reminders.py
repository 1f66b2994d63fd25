"""Reminder kinds about stakeholder requests: due soon, overdue, escalation, weekly digest."""

import datetime
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.reminders import sample_meeting
from notifications import registry, selectors
from notifications.templating import Var

from .models import StakeholderRequest
from .texts import (
    DUE_SOON_RULE,
    ESCALATION_RULE,
    OVERDUE_RULE,
    REQUEST_VARIABLES,
    WEEKLY_DIGEST_RULE,
)

DUE_SOON = "followups.due_soon"
OVERDUE = "followups.overdue"
ESCALATION = "followups.escalation"
DIGEST = "followups.weekly_digest"
# Dates carry no time: a request's day counts from 09:00 in Seoul, the start of office hours.
OFFICE_OPENS = datetime.time(9)


def at_opening(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, OFFICE_OPENS, tzinfo=timezone.get_default_timezone())


def latest_moment(first, rule, now):
    """(index, moment) of the latest firing at or before now, or None when none is in the
    grace window."""
    if first > now:
        return None
    index = (now - first) // rule.repeat_every if rule.repeat_every else 0
    moment = first + index * rule.repeat_every if rule.repeat_every else first
    return (index, moment) if moment >= now - rule.grace else None


def request_url(request) -> str:
    return f"{settings.SITE_URL}/admin/followups/stakeholderrequest/{request.pk}/change/"


def officers_of(request) -> list[registry.Recipient]:
    """The assigned officer, or else the responsible ministry's contacts."""
    if request.assignee_id and request.assignee.email and request.assignee.is_active:
        return [registry.user_recipient(request.assignee)]
    if request.ministry_id:
        return registry.people(request.ministry.people.all())
    return []


def _open_requests():
    return StakeholderRequest.objects.filter(status__in=StakeholderRequest.OPEN_STATUSES)


def _request_dues(rule, now, requests, first_moment, recipients):
    requests = requests.select_related(
        "meeting", "organization", "ministry", "assignee__person"
    ).prefetch_related("ministry__people")
    for request in requests:
        found = latest_moment(first_moment(request), rule, now)
        if found is None:
            continue
        index, _moment = found
        context = {"request": request, "url": request_url(request), "meeting": request.meeting}
        for recipient in recipients(request):
            yield registry.Due(
                recipient=recipient,
                subject_type="followups.stakeholderrequest",
                subject_id=str(request.pk),
                # A new due date is a new series of reminders.
                occurrence=f"{request.due_date.isoformat()}#{index}",
                context=context,
            )


def due_soon_requests(rule, now, until=None):
    """Open requests due `offset` from today (Seoul; or from a day up to `until`'s), within the
    grace window, a day either side: the moment itself is checked against each request's
    09:00."""
    today, last = timezone.localdate(now), timezone.localdate(until or now)
    return _open_requests().filter(
        due_date__gte=today + rule.offset - rule.grace - datetime.timedelta(days=1),
        due_date__lte=last + rule.offset + datetime.timedelta(days=1),
    )


def due_soon(rule, now):
    """`offset` before the due date. Requests answered, closed or declined get nothing."""
    return _request_dues(
        rule,
        now,
        due_soon_requests(rule, now),
        lambda r: at_opening(r.due_date) - rule.offset,
        officers_of,
    )


def overdue_requests(rule, now, until=None):
    """Open requests due at least `offset` before today (or before `until`'s day; a day's
    leeway); each is then chased every `repeat every`."""
    last = timezone.localdate(until or now)
    return _open_requests().filter(due_date__lte=last - rule.offset + datetime.timedelta(1))


def overdue(rule, now):
    """`offset` after the due date, then every `repeat every` until the request is answered."""
    return _request_dues(
        rule,
        now,
        overdue_requests(rule, now),
        lambda r: at_opening(r.due_date) + rule.offset,
        officers_of,
    )


def escalation_requests(rule, now, until=None):
    """Open requests due `offset` before today (or before a day up to `until`'s), within the
    grace window, a day either side."""
    today, last = timezone.localdate(now), timezone.localdate(until or now)
    return _open_requests().filter(
        due_date__gte=today - rule.offset - rule.grace - datetime.timedelta(days=1),
        due_date__lte=last - rule.offset + datetime.timedelta(days=1),
    )


def escalation(rule, now):
    """Requests overdue by `offset`, to coordinators."""
    coordinators = selectors.coordinator_list()
    return _request_dues(
        rule,
        now,
        escalation_requests(rule, now),
        lambda r: at_opening(r.due_date) + rule.offset,
        lambda r: coordinators,
    )


def weekly_digest(rule, now):
    """Mondays at 09:00 in Seoul (plus `offset`), to coordinators."""
    local = timezone.localtime(now)
    monday = local.date() - datetime.timedelta(days=local.weekday())
    found = latest_moment(at_opening(monday) + rule.offset, rule, now)
    if found is None:
        return []
    context = digest_context(now)
    return [
        registry.Due(
            recipient=recipient,
            subject_type="followups.digest",
            subject_id="weekly",
            occurrence=monday.isoformat(),
            context=context,
        )
        for recipient in selectors.coordinator_list()
    ]


def digest_context(now) -> dict:
    today = timezone.localdate(now)
    week_ago = now - datetime.timedelta(days=7)
    open_ = Q(status__in=StakeholderRequest.OPEN_STATUSES)
    answered = Q(status__in=StakeholderRequest.DONE_STATUSES)
    totals = StakeholderRequest.objects.aggregate(
        total=Count("pk"),
        answered=Count("pk", filter=answered),
        new=Count("pk", filter=Q(created_at__gte=week_ago)),
        due_soon=Count(
            "pk",
            filter=open_ & Q(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=7)),
        ),
        overdue=Count("pk", filter=open_ & Q(due_date__lt=today)),
    )
    rate = round(100 * totals["answered"] / totals["total"]) if totals["total"] else 0
    return {**totals, "response_rate": rate, "url": f"{settings.SITE_URL}/admin/"}


def _sample_request():
    return SimpleNamespace(
        pk=1,
        text="제조 AI 도입을 위한 정부 지원 확대",
        organization=SimpleNamespace(name="포스코", name_en="POSCO"),
        due_date=datetime.date(2025, 10, 31),
        get_status_display=lambda: _("New"),
        get_category_display=lambda: _("Funding and finance"),
    )


def _sample_request_context():
    return {
        "request": _sample_request(),
        "meeting": sample_meeting(),
        "url": request_url(_sample_request()),
    }


KINDS = [
    (
        DUE_SOON,
        _("Request due soon"),
        due_soon,
        due_soon_requests,
        False,
        _(
            "Sent `offset` before a request's due date (from 09:00 Seoul time) to its assigned "
            "officer, or else to the responsible ministry's contacts. Open requests only."
        ),
    ),
    (
        OVERDUE,
        _("Request overdue"),
        overdue,
        overdue_requests,
        True,
        _(
            "Sent `offset` after the due date, then every `repeat every` until the request is "
            "answered, closed or declined; to the assigned officer or the ministry's contacts."
        ),
    ),
    (
        ESCALATION,
        _("Overdue request escalated"),
        escalation,
        escalation_requests,
        False,
        _("Sent to coordinators once a request is overdue by `offset`."),
    ),
]
DEFAULT_RULES = {DUE_SOON: DUE_SOON_RULE, OVERDUE: OVERDUE_RULE, ESCALATION: ESCALATION_RULE}
for key, label, find_due, candidates, bulk, description in KINDS:
    registry.register(
        registry.RuleKind(
            key=key,
            label=label,
            description=description,
            find_due=find_due,
            # The loop's own, not the last one's.
            candidates=lambda rule, now, until, requests=candidates: [requests(rule, now, until)],
            sample_context=_sample_request_context,
            bulk=bulk,
            variables=REQUEST_VARIABLES,
            default=DEFAULT_RULES[key],
        )
    )
registry.register(
    registry.RuleKind(
        key=DIGEST,
        label=_("Weekly digest"),
        description=_(
            "Mondays at 09:00 Seoul time (plus `offset`), to coordinators: new requests, "
            "requests due soon and overdue, and the response rate."
        ),
        find_due=weekly_digest,
        sample_context=lambda: {
            "total": 35,
            "answered": 12,
            "new": 5,
            "due_soon": 3,
            "overdue": 2,
            "response_rate": 34,
            "url": "http://127.0.0.1:8000/admin/",
        },
        bulk=True,
        variables={
            "total": Var(_("requests in all")),
            "answered": Var(_("requests answered, closed or declined")),
            "new": Var(_("requests raised in the past seven days")),
            "due_soon": Var(_("open requests due in the next seven days")),
            "overdue": Var(_("open requests past their due date")),
            "response_rate": Var(_("the share answered, in per cent")),
            "url": Var(_("the admin's start page")),
        },
        default=WEEKLY_DIGEST_RULE,
    )
)
