"""The roles (README, Roles) against every admin page: each ModelAdmin's pages (list, add, change,
delete, history, past versions, and the extra pages its get_urls adds: exports, imports,
downloads) and the site's own pages under /admin/. The pages come from the URL resolver, so a
page added later fails the classification test until the policy below says who may use it.

The admin never answers 401: anyone it does not admit — anonymous visitors, and signed-in
accounts without the staff flag, such as an outside calendar partner with an API token — is
redirected (302) to /admin/login/. A staff member without the right gets 403; a ministry
officer asking for another ministry's request gets 404, since for them it does not exist; an
app's index is 404 to those who may use none of its models, as Django has it.
GET is tried on every page and an empty POST on every form: without the right it is refused
and writes nothing; with it, it is a form with errors (200) or done (302), never a 500."""

from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django_celery_beat.models import ClockedSchedule, SolarSchedule
from rest_framework.authtoken.models import Token

from events import rsvp
from events import services as events
from events.models import Attendance, Meeting, MeetingDocument
from feedback import services as feedback
from feedback.models import Feedback
from files.tests.samples import SAMPLES, upload
from followups import services as followups
from followups.tests.factories import StakeholderRequestFactory
from notifications.models import ReminderRule, Unsubscription
from pledges.models import Commitment
from reports import services as reports
from reports.models import ReportForm
from reports.tests.forms import ministry_form
from stakeholders.tests.factories import MinistryFactory, PersonFactory
from webhooks import services as webhooks
from webhooks.models import Delivery

pytestmark = pytest.mark.django_db

GROUPS = ("viewer", "officer", "coordinator")
STAFF = ("ungrouped", *GROUPS)  # "ungrouped": the staff flag, no role yet
OUTSIDERS = ("anonymous", "partner")  # "partner": signed in, no staff flag
ROLES = (*OUTSIDERS, *STAFF)

# What viewers, ministry officers and coordinators may do with each registered model: view,
# add, change, delete. accounts/roles.py grants the permissions; some ModelAdmins take rights
# away from everybody (rows only the system writes, logs kept as they were sent).
POLICY = {
    "accounts.ApiToken": ("", "", "vd"),  # whose token exists; only its owner issues one
    "accounts.Authenticator": ("", "", "vd"),  # who uses an app; resetting deletes it
    "auth.Group": ("", "", ""),  # accounts are for superusers
    "auth.User": ("", "", "v"),  # to link a contact to an officer's account
    "axes.AccessAttempt": ("", "", "vcd"),  # written by sign-ins; deleting unlocks
    "axes.AccessFailureLog": ("", "", "vcd"),
    "axes.AccessLog": ("", "", "vcd"),
    "django_celery_beat.ClockedSchedule": ("", "", "vacd"),
    "django_celery_beat.CrontabSchedule": ("", "", "vacd"),
    "django_celery_beat.IntervalSchedule": ("", "", "vacd"),
    "django_celery_beat.PeriodicTask": ("", "", "vacd"),
    "django_celery_beat.SolarSchedule": ("", "", "vacd"),
    "events.Attendance": ("v", "v", "vacd"),
    "events.AttendanceReply": ("v", "v", "vcd"),  # links come from invitations
    "events.Meeting": ("v", "v", "vacd"),
    "events.MeetingDocument": ("v", "v", "vacd"),
    "events.Presentation": ("v", "v", "vacd"),
    "events.Series": ("v", "v", "vacd"),
    "feedback.Feedback": ("v", "v", "vacd"),
    "feedback.FeedbackInvitation": ("v", "v", "vcd"),  # from asking a meeting for feedback
    "followups.StakeholderRequest": ("v", "vc", "vacd"),  # officers: their ministry's only
    "notifications.OutboundEmail": ("", "", "vd"),  # the send log; retrying is an action
    "notifications.ReminderRule": ("", "", "vacd"),
    "notifications.Unsubscription": ("", "", "vacd"),
    "pledges.Commitment": ("v", "v", "vacd"),
    "reports.ReportForm": ("v", "v", "vacd"),  # ministries' own forms for the result report
    "stakeholders.Organization": ("v", "v", "vacd"),
    "stakeholders.ContactAccess": ("", "", "v"),  # who looked at contacts' details (PIPA)
    "stakeholders.Person": ("v", "v", "vacd"),
    "webhooks.Delivery": ("", "", "vd"),  # the delivery log; sending again is an action
    "webhooks.Subscription": ("", "", "vacd"),
}

# A ModelAdmin's pages by the end of their URL name ("object": the unnamed bare object
# address): the right a GET needs, or the code every staff member gets; the right an empty
# POST needs ("": nobody's), or None where it is no form; and what the address names.
MODEL_PAGES = {
    "changelist": ("v", None, ""),
    "add": ("a", "a", ""),
    "change": ("v", "c", "object"),
    "history": ("v", None, "object"),
    "delete": ("d", "d", "object"),
    "object": (302, None, "object"),  # Django's redirect to the change page
    "simple_history": ("v", "", "version"),  # a past version is shown, never saved back
    "export": ("v", "v", ""),  # exporting shows what the list shows
    "import": ("a", "a", ""),  # importing adds rows
    "process_import": (405, "a", ""),  # the confirmation of an import: POST only
    "import_template": ("a", None, ""),
    "attachment": ("v", None, "attachment"),
    "password_change": ("c", "c", "object"),  # an account's password
}
# Pages an officer may reach on their own ministry's requests and not on another's.
MINISTRY_SCOPED = {"change", "history", "simple_history", "attachment"}

# The site's own pages under /admin/, by URL name: who may GET (and the code they get), and
# who may POST (None: no form). The rest of the staff get 403.
EVERYONE = frozenset(STAFF)
READERS = frozenset(GROUPS)  # the dashboard is about requests: who may view them
SITE_PAGES = {
    "admin:index": (EVERYONE, 200, None),
    "admin:password_change": (EVERYONE, 200, EVERYONE),
    "admin:password_change_done": (EVERYONE, 200, None),
    "admin:jsi18n": (EVERYONE, 200, None),
    "my-calendar": (EVERYONE, 200, EVERYONE),  # a POST replaces one's calendar address
    "my-token": (EVERYONE, 200, EVERYONE),  # a POST issues one's API token
    "two-factor": (EVERYONE, 200, EVERYONE),  # one's own authenticator app
    # One's own calendar apps' passwords (a POST creates or revokes); a GET goes to My calendar.
    "dav-app-passwords": (EVERYONE, 302, EVERYONE),
    "dashboard": (READERS, 200, None),
    "dashboard-organization": (READERS, 200, None),
    "dashboard-pledge": (READERS, 200, None),  # pledges are public; any staff role reads them
    "system-status": (frozenset({"coordinator"}), 200, None),
    # A meeting's result report: for staff who may see the meeting (all three roles).
    "meeting-report-hwpx": (frozenset(GROUPS), 200, None),
    "meeting-report-docx": (frozenset(GROUPS), 200, None),
    "meeting-report-form": (frozenset(GROUPS), 200, None),
    # No model has a public address of its own, so no object has a "view on site" page.
    "admin:view_on_site": (EVERYONE, 404, None),
}
# Pages with rules of their own, built in site_pages().
SPECIAL_PAGES = {"admin:login", "admin:logout", "admin:app_list", "admin:autocomplete", "catch_all"}

SIGN_IN = "sign-in"  # a redirect to /admin/login/
DONE = "done"  # 200 (a form with errors) or a redirect elsewhere than to signing in


def registered():
    return {model._meta.label: model for model in admin.site._registry}


def admin_routes():
    """(route, URL name) of every URL pattern under /admin/, from the resolver."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = f"{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, route, inner)
            else:
                yield route, pattern.name and namespace + pattern.name

    return [(r, n) for r, n in walk(get_resolver().url_patterns, "", "") if r.startswith("admin/")]


def classify(route, name):
    """("model", label, page) or ("site", page); None for a page no rule covers."""
    for label, model in registered().items():
        base = f"admin/{model._meta.app_label}/{model._meta.model_name}/"
        if route.startswith(base):
            if name is None:
                page = "object" if route == f"{base}<path:object_id>/" else None
            else:
                page = name.removeprefix(f"admin:{model._meta.app_label}_{model._meta.model_name}_")
            return ("model", label, page) if page in MODEL_PAGES else None
    if name is None and route == "admin/(?P<url>.*)$":
        return ("site", "catch_all")
    if name in SITE_PAGES or name in SPECIAL_PAGES:
        return ("site", name)
    return None


def test_every_admin_page_and_model_is_classified():
    unclassified = [(route, name) for route, name in admin_routes() if not classify(route, name)]
    assert unclassified == [], "say who may use these pages in MODEL_PAGES or SITE_PAGES"
    assert sorted(registered()) == sorted(POLICY), "say who may use new models in POLICY"


def rights(role, label) -> str:
    return POLICY.get(label, ("", "", ""))[GROUPS.index(role)] if role in GROUPS else ""


def by_role(allowed, yes=200, no=403, outsiders=SIGN_IN):
    return {r: outsiders if r in OUTSIDERS else yes if r in allowed else no for r in ROLES}


@dataclass
class Page:
    id: str
    url: str
    get: dict
    post: dict | None = None


@pytest.fixture
def rows(seeded, ministry, django_user_model):
    """Every registered model with a row; one request of the officer's ministry and one of
    another, each with a file."""
    company = Attendance.objects.exclude(organization__kind="ministry")
    attendance = company.select_related("meeting").first()
    person = PersonFactory(organization=attendance.organization, email="kim@posco.example")
    rsvp.reply_for(attendance=attendance, person_id=person.pk)
    slides = MeetingDocument(meeting=attendance.meeting, kind="slides", file=upload("발표.pptx"))
    events.document_save(document=slides)
    feedback.feedback_request(meeting=attendance.meeting)  # invitations, and their emails
    Feedback.objects.create(
        meeting=attendance.meeting, organization=attendance.organization, submitter_name="김철강"
    )
    own = StakeholderRequestFactory(meeting=attendance.meeting, ministry=ministry)
    other = StakeholderRequestFactory(meeting=attendance.meeting, ministry=MinistryFactory())
    for request in (own, other):
        followups.attachment_add(
            request=request, upload=SimpleUploadedFile("건의서.pdf", SAMPLES["건의서.pdf"])
        )
    reports.report_form_save(
        form=ReportForm(title="부처 양식", file=upload("양식.hwpx", ministry_form()))
    )
    api_client = django_user_model.objects.create_user("api-client")
    Token.objects.create(user=api_client)
    Unsubscription.objects.create(email=person.email, kind=ReminderRule.objects.first().kind)
    webhook = webhooks.subscription_create(
        owner=api_client, url="https://hooks.example.com/", events=["meeting.changed"]
    )
    Delivery.objects.create(
        subscription=webhook, event_type="meeting.changed", event_key="test", body="{}"
    )
    sign_in = {"ip_address": "192.0.2.1", "user_agent": "test", "http_accept": "*/*"}
    sign_in |= {"username": "someone", "path_info": "/admin/login/"}
    AccessAttempt.objects.create(**sign_in, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**sign_in)
    AccessFailureLog.objects.create(**sign_in)
    # The migrations schedule the reminders (interval, crontab, periodic task); not these.
    ClockedSchedule.objects.create(clocked_time=timezone.now())
    SolarSchedule.objects.create(event="sunrise", latitude=37.5, longitude=127.0)
    if "accounts.Authenticator" in registered():
        authenticator = apps.get_model("accounts", "Authenticator")
        authenticator.objects.create(user=api_client, name="phone", confirmed=True)
    if "stakeholders.ContactAccess" in registered():
        access = apps.get_model("stakeholders", "ContactAccess")
        access.objects.create(username="coordinators", action="viewed", person=person)
    return {"own": own, "other": other}


def objects(label, model, rows):
    """The rows whose pages are visited: (variant, row)."""
    if label == "followups.StakeholderRequest":
        return [("own", rows["own"]), ("other", rows["other"])]
    row = model._default_manager.order_by("pk").first()
    assert row is not None, f"the fixture gives {label} a row"
    return [("", row)]


def model_pages(label, page, rows):
    model = registered()[label]
    get_need, post_need, names = MODEL_PAGES[page]
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    targets = objects(label, model, rows) if names else [("", None)]
    for variant, row in targets:
        # The token admin addresses a token by its user.
        key = getattr(row, "user_id" if label == "accounts.ApiToken" else "pk", None)
        if names == "":
            url = reverse(f"{info}_{page}")
        elif page == "object":
            url = reverse(f"{info}_change", args=[key]).removesuffix("change/")
        elif names == "version":
            url = reverse(f"{info}_{page}", args=[key, row.history.earliest().history_id])
        elif names == "attachment":
            url = reverse(f"{info}_{page}", args=[key, row.attachments.get().pk])
        else:
            url = reverse(f"{info}_{page}", args=[key])

        def allowed(right):
            return {role for role in STAFF if right and right in rights(role, label)}

        if isinstance(get_need, int):
            get = by_role(EVERYONE, yes=get_need)
        else:
            get = by_role(allowed(get_need))
        post = None if post_need is None else by_role(allowed(post_need), yes=DONE)
        if variant == "other" and page in MINISTRY_SCOPED:
            get["officer"] = 404
            if post is not None:
                post["officer"] = 404
        yield Page(f"{label}:{page}{f'[{variant}]' if variant else ''}", url, get, post)


def site_pages(page, rows):
    if page in SITE_PAGES:
        allowed, code, posting = SITE_PAGES[page]
        if page == "dashboard-organization":
            args = [rows["own"].organization_id]
        elif page == "dashboard-pledge":
            args = [Commitment.objects.order_by("pk").first().pk]
        elif page in ("meeting-report-hwpx", "meeting-report-docx"):
            args = [rows["own"].meeting_id]
        elif page == "meeting-report-form":
            args = [rows["own"].meeting_id, ReportForm.objects.get().pk]
        elif page == "admin:view_on_site":
            args = [ContentType.objects.get_for_model(Meeting).pk, rows["own"].meeting_id]
        else:
            args = []
        post = None if posting is None else by_role(posting, yes=DONE)
        yield Page(page, reverse(page, args=args), by_role(allowed, yes=code), post)
    elif page == "admin:login":
        # Staff already signed in are sent on to the index; others see the form.
        yield Page(page, reverse("admin:login"), by_role(EVERYONE, yes=302, outsiders=200))
    elif page == "admin:logout":
        # Signing out is a POST; a GET is sent to the index, or refused for those signed in.
        yield Page(page, reverse("admin:logout"), by_role(EVERYONE, yes=405, outsiders=302))
    elif page == "catch_all":
        yield Page(page, "/admin/no-such-page/", by_role(EVERYONE, yes=404))
    elif page == "admin:app_list":
        # An app's index is there for those who may use one of its models.
        for app_label in sorted({label.split(".")[0] for label in registered()}):
            models = [label for label in registered() if label.startswith(f"{app_label}.")]
            users = {role for role in STAFF for label in models if rights(role, label)}
            yield Page(
                f"app_list:{app_label}",
                reverse("admin:app_list", args=[app_label]),
                by_role(users, no=404),
            )
    elif page == "admin:autocomplete":
        # Every autocomplete field of every ModelAdmin: the suggestions are the related rows,
        # for those who may view them.
        for model, model_admin in admin.site._registry.items():
            for field in model_admin.autocomplete_fields:
                related = model._meta.get_field(field).related_model._meta.label
                query = f"?app_label={model._meta.app_label}&model_name={model._meta.model_name}"
                yield Page(
                    f"autocomplete:{model._meta.label}.{field}",
                    f"{reverse('admin:autocomplete')}{query}&field_name={field}",
                    by_role({r for r in STAFF if "v" in rights(r, related)}),
                )


def every_page(rows):
    seen = set()
    for route, name in admin_routes():
        kind = classify(route, name)
        # Unclassified pages and models fail the classification test.
        if kind is None or kind in seen or (kind[0] == "model" and kind[1] not in POLICY):
            continue
        seen.add(kind)
        if kind[0] == "model":
            yield from model_pages(kind[1], kind[2], rows)
        else:
            yield from site_pages(kind[1], rows)


def user_for(role, request, django_user_model):
    if role == "anonymous":
        return None
    if role == "ungrouped":
        return django_user_model.objects.create_user("ungrouped", is_staff=True)
    return request.getfixturevalue(role)


def answer(client, method, url):
    """The response, and the statements that wrote to the database (the session aside); both
    undone afterwards, so that one page's write does not change the next page."""
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, {}) if method == "post" else client.get(url)
        transaction.set_rollback(True)
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")
        and "django_session" not in q["sql"]
    ]
    return response, writes


def mismatch(response, want):
    code = response.status_code
    location = response.get("Location", "")
    if want == SIGN_IN:
        ok = code == 302 and location.startswith("/admin/login/")
    elif want == DONE:
        ok = code == 200 or (code == 302 and not location.startswith("/admin/login/"))
    else:
        ok = code == want
    return None if ok else f"{code}{f' → {location}' if location else ''}, expected {want}"


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_page_for_every_role(role, rows, request, django_user_model, subtests):
    client = Client(raise_request_exception=False)  # a 500 is a finding, not a crash
    user = user_for(role, request, django_user_model)
    if user is not None:
        client.force_login(user)
    pages = list(every_page(rows))
    assert len(pages) > 150, "the resolver lists every admin page"
    for page in pages:
        with subtests.test(msg=f"{role} {page.id}"):
            problems = []
            response, _ = answer(client, "get", page.url)
            if found := mismatch(response, page.get[role]):
                problems.append(f"GET {page.url}: {found}")
            if page.post is not None:
                want = page.post[role]
                response, writes = answer(client, "post", page.url)
                if found := mismatch(response, want):
                    problems.append(f"POST {page.url}: {found}")
                if want != DONE and writes:
                    problems.append(f"POST {page.url} refused but wrote: {writes}")
            assert problems == []
