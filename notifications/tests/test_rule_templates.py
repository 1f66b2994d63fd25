"""Rule templates are a sandbox: declared plain values only, checked when a rule is saved."""

import datetime

import pytest
from rest_framework.authtoken.models import Token

from events.texts import INVITATION
from feedback.texts import CONFIRMATION
from followups.models import StakeholderRequest
from followups.reminders import DUE_SOON
from followups.tests.factories import StakeholderRequestFactory
from followups.texts import ANSWERED, ASSIGNED
from notifications import registry, services, templating
from notifications.models import OutboundEmail, ReminderRule

pytestmark = pytest.mark.django_db

KST = datetime.timezone(datetime.timedelta(hours=9))
TEMPLATES = ["subject_ko", "body_ko", "subject_en", "body_en"]


def change_page(rule):
    return f"/admin/notifications/reminderrule/{rule.pk}/change/"


def form_data(rule, **changes):
    data = {
        "name": rule.name,
        "kind": rule.kind,
        "enabled": "on",
        "offset": "3 00:00:00",
        "grace": "2 00:00:00",
        **{field: getattr(rule, field) for field in TEMPLATES},
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    "body, named",
    [
        ("{{ request.assignee.password }}", "request.assignee.password"),
        ("{{ request.organization.people }}", "request.organization.people"),
        ("{% if request.assignee %}{% endif %}", "request.assignee"),
        ("{{ meeting.title|default:request.ministry.user }}", "request.ministry.user"),
        (
            "{% for person in request.organization.people.all %}{% endfor %}",
            "request.organization.people.all",
        ),
    ],
)
def test_a_rule_using_an_undeclared_variable_is_refused_naming_it(client, coordinator, body, named):
    client.force_login(coordinator)
    rule = ReminderRule.objects.get(kind=DUE_SOON)
    before = rule.body_ko
    page = client.post(change_page(rule), form_data(rule, body_ko=body), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200  # the form again, with the error
    assert f"Unknown variable “{named}”." in page.content.decode()
    rule.refresh_from_db()
    assert rule.body_ko == before


@pytest.mark.parametrize(
    "tag",
    [
        "{% load static %}",
        "{% include 'admin/base.html' %}",
        "{% debug %}",
        "{% url 'admin:index' %}",
        "{% extends 'base.html' %}",
        "{% csrf_token %}",
    ],
)
def test_tags_that_reach_beyond_the_values_are_refused(client, coordinator, tag):
    client.force_login(coordinator)
    rule = ReminderRule.objects.get(kind=DUE_SOON)
    page = client.post(change_page(rule), form_data(rule, subject_en=tag))
    assert page.status_code == 200 and "errornote" in page.content.decode()
    rule.refresh_from_db()
    assert tag not in rule.subject_en


def test_a_rule_within_its_variables_is_saved(client, coordinator):
    client.force_login(coordinator)
    rule = ReminderRule.objects.get(kind=DUE_SOON)
    body = (
        "{{ request.organization.name }}: {{ request.text|truncatechars:20 }} "
        "({{ request.category }}, {{ request.due_date|date:'Y-m-d' }}) {{ url }}"
    )
    assert client.post(change_page(rule), form_data(rule, body_ko=body)).status_code == 302
    rule.refresh_from_db()
    assert rule.body_ko == body


def test_the_rule_page_lists_what_its_templates_may_use(client, coordinator):
    client.force_login(coordinator)
    rule = ReminderRule.objects.get(kind=DUE_SOON)
    html = client.get(change_page(rule), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for name in ("request.text", "request.organization.name", "meeting.title", "recipient.name"):
        assert f"<code>{name}</code>" in html


def test_a_template_stored_around_the_form_renders_no_secret(officer, ministry):
    """A rule written straight into the database (an old row, a script) still reaches only
    the declared values: the officer's password hash and API key stay out of the email."""
    officer.email = "officer@msit.go.kr"
    officer.save()
    key = Token.objects.create(user=officer).key
    StakeholderRequestFactory(
        ministry=ministry,
        assignee=officer,
        status=StakeholderRequest.Status.ASSIGNED,
        due_date=datetime.date(2026, 12, 10),
    )
    ReminderRule.objects.filter(kind=DUE_SOON).update(
        body_ko=(
            "{{ request.assignee.password }}|{{ request.assignee.auth_token.key }}|"
            "{{ request.assignee }}|{{ request.ministry.people.all }}|{{ request.text }}"
        ),
        subject_ko="{{ request.assignee.password }}{{ request.text }}",
    )
    assert services.reminder_scan(now=datetime.datetime(2026, 12, 7, 9, 30, tzinfo=KST)) == 1
    email = OutboundEmail.objects.get()
    for secret in (officer.password, key, "pbkdf2", officer.username):
        assert secret not in email.body_text and secret not in email.subject
    assert "정책 자금 지원 확대 요청" in email.body_text  # the declared values still render


def test_a_stored_template_that_does_not_compile_skips_its_rule_not_the_scan(officer, ministry):
    officer.email = "officer@msit.go.kr"
    officer.save()
    StakeholderRequestFactory(
        ministry=ministry,
        assignee=officer,
        status=StakeholderRequest.Status.ASSIGNED,
        due_date=datetime.date(2026, 12, 10),
    )
    ReminderRule.objects.filter(kind=DUE_SOON).update(body_ko="{% debug %}")
    assert services.reminder_scan(now=datetime.datetime(2026, 12, 7, 9, 30, tzinfo=KST)) == 0
    assert not OutboundEmail.objects.exists()


def test_every_default_wording_uses_only_what_it_declares():
    for rule in ReminderRule.objects.all():
        templates = {field: getattr(rule, field) for field in TEMPLATES}
        assert services.rule_problems(kind=rule.kind, templates=templates) == {}, rule.kind
    for wording in (INVITATION, CONFIRMATION, ASSIGNED, ANSWERED):
        variables = registry.variables_of("", wording["variables"])
        for field in TEMPLATES:
            assert templating.problems(wording[field], variables) == [], wording[field]


def test_values_are_copied_out_as_plain_data():
    class Secretive:
        title = "AI 팩토리"
        password = "pbkdf2_sha256$secret"

        def delete(self):
            raise AssertionError("a template called a method")

    variables = {"meeting": templating.Var("", fields={"title": templating.Var("")})}
    values = templating.values(variables, {"meeting": Secretive()})
    assert dict(values["meeting"]) == {"title": "AI 팩토리"}
    rendered = templating.render(
        "{{ meeting.title }}{{ meeting.password }}{{ meeting.delete }}",
        variables,
        {"meeting": Secretive()},
    )
    assert rendered == "AI 팩토리"
