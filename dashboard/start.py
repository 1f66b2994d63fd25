"""The admin's start page (README, Roles): what needs each role today, and the admin's pages
grouped by task instead of by app. Every figure links to the admin list that shows the same
rows; the page is read with a fixed number of queries, however many rows there are."""

import dataclasses
import datetime
from urllib.parse import urlencode

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.dates import meeting_when, moment
from events.models import Meeting
from feedback.models import DEFAULT_WINDOW, FeedbackInvitation, feedback_deadline
from followups.models import StakeholderRequest
from followups.selectors import is_ministry_officer, requests_visible_to
from notifications.models import OutboundEmail

SOON = datetime.timedelta(days=14)
# An officer's to-do list shows this many requests; the rest are a link away.
TODO_LENGTH = 30
OPEN = StakeholderRequest.OPEN_STATUSES

# The admin's pages by task, in the order a coordinator works through them. Models of apps
# not named here keep their own app's section, after these and before Administration.
TASKS = (
    (
        "meetings",
        pgettext_lazy("admin section", "Meetings"),
        (
            "events.Meeting",
            "events.Attendance",
            "events.AttendanceReply",
            "events.Presentation",
            "events.MeetingDocument",
            "events.Series",
        ),
    ),
    (
        "requests",
        pgettext_lazy("admin section", "Requests and answers"),
        ("followups.StakeholderRequest", "feedback.Feedback", "feedback.FeedbackInvitation"),
    ),
    ("pledges", pgettext_lazy("admin section", "Pledges"), ("pledges.Commitment",)),
    (
        "contacts",
        pgettext_lazy("admin section", "Contacts"),
        ("stakeholders.Organization", "stakeholders.Person", "stakeholders.ContactAccess"),
    ),
    (
        "notifications",
        pgettext_lazy("admin section", "Notifications"),
        (
            "notifications.ReminderRule",
            "notifications.OutboundEmail",
            "notifications.Unsubscription",
        ),
    ),
)
ADMINISTRATION = (
    "administration",
    pgettext_lazy("admin section", "Administration"),
    (
        "auth.User",
        "auth.Group",
        "accounts.ApiToken",
        "accounts.Authenticator",
        "axes.AccessAttempt",
        "axes.AccessFailureLog",
        "axes.AccessLog",
        "django_celery_beat.PeriodicTask",
        "webhooks.Subscription",
        "webhooks.Delivery",
        "django_celery_beat.CrontabSchedule",
        "django_celery_beat.IntervalSchedule",
        "django_celery_beat.ClockedSchedule",
        "django_celery_beat.SolarSchedule",
    ),
)
# Plumbing under its own name: the periodic tasks beat runs are one entry; their four schedule
# tables are reached from a task's form, and listed for superusers only.
RENAMED = {"django_celery_beat.PeriodicTask": _("Periodic tasks")}
SUPERUSERS_ONLY = {
    "django_celery_beat.CrontabSchedule",
    "django_celery_beat.IntervalSchedule",
    "django_celery_beat.ClockedSchedule",
    "django_celery_beat.SolarSchedule",
}


def grouped(app_list, user) -> list[dict]:
    """Django's app list (its dicts, as `AdminSite.get_app_list` builds them) regrouped by
    task: the same keys, so that the admin's templates render a group as they render an app;
    a group has no page of its own (`app_url` is empty)."""
    models = {}
    for app in app_list:
        for model in app["models"]:
            label = f"{app['app_label']}.{model['object_name']}"
            if label in SUPERUSERS_ONLY and not user.is_superuser:
                continue
            if label in RENAMED:
                model = {**model, "name": RENAMED[label]}
            models[label] = (app, model)

    def group(key, name, labels):
        found = [models.pop(label)[1] for label in labels if label in models]
        return {"name": name, "app_label": key, "app_url": "", "models": found}

    groups = [group(*task) for task in TASKS]
    administration = group(*ADMINISTRATION)
    # What is left belongs to no task named above: each app as Django lists it.
    for app in app_list:
        rest = [model for label, (owner, model) in models.items() if owner is app]
        if rest:
            groups.append({**app, "models": rest})
    return [g for g in [*groups, administration] if g["models"]]


@dataclasses.dataclass
class Figure:
    """A count of rows that need someone, with the admin list that shows those rows."""

    label: str
    count: int
    url: str
    help: str = ""


@dataclasses.dataclass
class UpcomingMeeting:
    meeting: Meeting
    when: str
    url: str


@dataclasses.dataclass
class FeedbackDue:
    meeting: Meeting
    deadline: datetime.datetime
    until: str
    unanswered: int
    url: str


@dataclasses.dataclass
class Todo:
    request: StakeholderRequest
    overdue: bool
    url: str


def changelist(model, **params) -> str:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def _open_requests(**params) -> str:
    return changelist(StakeholderRequest, status__in=",".join(OPEN), **params)


def upcoming_meetings(user, now) -> tuple[str, list[UpcomingMeeting]]:
    """The meetings starting from today to 14 days ahead that are not called off, soonest
    first, with the meeting list filtered to them."""
    today = timezone.localtime(now).date()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    end = start + SOON + datetime.timedelta(days=1)
    standing = sorted(Meeting.Status.STANDING)
    meetings = (
        Meeting.objects.visible_to(user)
        .filter(period_start__gte=start, period_start__lt=end, status__in=standing)
        .order_by("period_start")
    )
    url = changelist(
        Meeting,
        period_start__gte=start.isoformat(),
        period_start__lt=end.isoformat(),
        status__in=",".join(standing),
    )
    rows = [
        UpcomingMeeting(
            meeting=m,
            when=meeting_when(m),
            url=reverse("admin:events_meeting_change", args=[m.pk]),
        )
        for m in meetings
    ]
    return url, rows


def feedback_due(now) -> list[FeedbackDue]:
    """Meetings that are over and still take feedback, with the links nobody has answered yet
    (not revoked), deadline first. Two indexed ranges, as the non-responder reminder reads."""
    standing = Meeting.objects.standing()
    meetings = {
        *standing.filter(feedback_deadline__gt=now, period_start__lte=now),
        *standing.filter(feedback_deadline__isnull=True).ended_between(now - DEFAULT_WINDOW, now),
    }
    taking = {m.pk: m for m in meetings if m.ends and m.ends <= now < feedback_deadline(m)}
    unanswered = dict(
        FeedbackInvitation.objects.filter(
            meeting_id__in=taking, answered_at__isnull=True, revoked_at__isnull=True
        )
        .values_list("meeting_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = [
        FeedbackDue(
            meeting=meeting,
            deadline=feedback_deadline(meeting),
            until=moment(feedback_deadline(meeting)),
            unanswered=unanswered[pk],
            url=changelist(
                FeedbackInvitation,
                meeting__id__exact=pk,
                answered_at__isempty=1,
                revoked_at__isempty=1,
            ),
        )
        for pk, meeting in taking.items()
        if unanswered.get(pk)
    ]
    return sorted(rows, key=lambda row: row.deadline)


def coordinator_figures(now) -> list[Figure]:
    """What waits for a coordinator: requests past their due date, new requests nobody has
    taken up, emails that failed."""
    today = timezone.localtime(now).date()
    requests = StakeholderRequest.objects.aggregate(
        overdue=Count("pk", filter=Q(status__in=OPEN, due_date__lt=today)),
        new=Count("pk", filter=Q(status=StakeholderRequest.Status.NEW)),
    )
    failed = OutboundEmail.objects.filter(state=OutboundEmail.State.FAILED).count()
    return [
        Figure(
            _("Overdue requests"),
            requests["overdue"],
            _open_requests(due_date__lt=today.isoformat()),
            _("Open and past their due date."),
        ),
        Figure(
            _("New requests to assign"),
            requests["new"],
            changelist(StakeholderRequest, status__exact=StakeholderRequest.Status.NEW),
            _("No ministry has taken them up yet."),
        ),
        Figure(
            _("Failed emails"),
            failed,
            changelist(OutboundEmail, state__exact=OutboundEmail.State.FAILED),
            _("Not delivered after every retry: check the address, then retry."),
        ),
    ]


def officer_todo(user, now) -> tuple[int, list[Todo]]:
    """An officer's ministry's open requests as a to-do list: overdue first, then by due date,
    those without one last; with how many there are in all."""
    today = timezone.localtime(now).date()
    requests = requests_visible_to(user, StakeholderRequest.objects.filter(status__in=OPEN))
    listed = list(
        requests.select_related("organization", "meeting").order_by(
            F("due_date").asc(nulls_last=True), "created_at", "pk"
        )[:TODO_LENGTH]
    )
    total = len(listed) if len(listed) < TODO_LENGTH else requests.count()
    return total, [
        Todo(
            request=r,
            overdue=r.due_date is not None and r.due_date < today,
            url=reverse("admin:followups_stakeholderrequest_change", args=[r.pk]),
        )
        for r in listed
    ]


def start_page(user, now=None) -> dict:
    """The start page's context for `user`'s role: coordinators (who may change meetings) see
    what needs them, ministry officers their ministry's to-do list, everyone the meetings
    coming up."""
    now = now or timezone.now()
    context = {"role": "viewer"}
    if user.has_perm("events.view_meeting"):
        context["meetings_url"], context["meetings"] = upcoming_meetings(user, now)
    if is_ministry_officer(user):
        context["role"] = "officer"
        context["todo_total"], context["todo"] = officer_todo(user, now)
        context["todo_url"] = _open_requests()
    elif user.has_perm("events.change_meeting"):
        context["role"] = "coordinator"
        context["figures"] = coordinator_figures(now)
        context["feedback"] = feedback_due(now)
    elif user.has_perm("followups.view_stakeholderrequest"):
        context["open_requests_url"] = _open_requests()
    return context
