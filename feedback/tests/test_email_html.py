"""What a company typed reaches every email as text: in the HTML part it is escaped, never
markup (links, images and forms planted in mail the ministry's server sends)."""

import re

import pytest

from api.tests.clients import client_for
from feedback import services
from feedback.tests.pages import form_state
from followups.models import StakeholderRequest
from notifications import registry
from notifications import services as mail
from notifications.models import ReminderRule

pytestmark = pytest.mark.django_db

PLANTED = (
    '<a href="https://evil.example/login">지원금 신청</a>'
    '<img src="https://evil.example/pixel.gif"><form action="https://evil.example/f">'
)
MARKUP = re.compile(r"<(a href=\"https://evil|img|form)", re.IGNORECASE)


def html_of(message) -> str:
    return message.get_body(("html",)).get_content()


def assert_escaped(message):
    html = html_of(message)
    assert not MARKUP.search(html), html
    assert "&lt;a href=&quot;https://evil.example/login&quot;&gt;" in html


def feedback_link(smtp, address):
    [invitation] = [m for m in smtp.to(address) if "/feedback/" in html_of(m)]
    text = invitation.get_body(("plain",)).get_content()
    return re.search(r"http://127\.0\.0\.1:8000(/feedback/[^/\s]+/)", text).group(1)


def test_typed_text_is_escaped_in_every_email_of_a_request(
    meeting, smtp, client, coordinator, officer, ministry
):
    services.feedback_request(meeting=meeting)
    mail.outbox_drain()
    form = {
        "requests-TOTAL_FORMS": "1",
        "requests-INITIAL_FORMS": "0",
        "requests-0-category": "finance",
        "requests-0-text": PLANTED,
        "name": "김철강",
        "position": "",
        "comments": PLANTED,
    }
    path = feedback_link(smtp, "kim@posco.example")
    assert client.post(path, {**form, **form_state(client, path)}).status_code == 302
    mail.outbox_drain()
    [confirmation] = [m for m in smtp.to("kim@posco.example") if "[접수 확인]" in m["Subject"]]
    assert_escaped(confirmation)

    # A coordinator assigns it: the officer's "request assigned" email.
    request = StakeholderRequest.objects.get()
    officer.email = "officer@msit.go.kr"
    officer.save()
    api = client_for(coordinator)
    assigned = api.patch(
        f"/api/v1/requests/{request.pk}/",
        {"status": "assigned", "ministry": ministry.pk, "assignee": officer.pk},
        format="json",
    )
    assert assigned.status_code == 200, assigned.content
    mail.outbox_drain()
    [assignment] = smtp.to("officer@msit.go.kr")
    assert_escaped(assignment)

    # The officer answers: the company's answer email (the answer is typed too).
    answered = client_for(officer).patch(
        f"/api/v1/requests/{request.pk}/",
        {"status": "answered", "response": PLANTED},
        format="json",
    )
    assert answered.status_code == 200, answered.content
    mail.outbox_drain()
    [answer] = [m for m in smtp.to("kim@posco.example") if "[건의 답변]" in m["Subject"]]
    assert_escaped(answer)
    assert html_of(answer).count("&lt;img") == 2  # the request and the answer


@pytest.mark.parametrize("kind", [kind for kind, _label in registry.kind_choices()])
def test_every_rule_escapes_what_it_shows_in_html(kind):
    """Every kind's email, with the recipient's name (which companies type) planted."""
    rule = ReminderRule.objects.filter(kind=kind).first()
    spec = registry.get(kind)
    due = registry.Due(
        recipient=registry.Recipient(email="kim@posco.example", name=PLANTED),
        subject_type="test",
        subject_id="1",
        occurrence="",
        context=spec.sample_context(),
    )
    email = mail.rule_render(rule=rule, due=due)
    assert not MARKUP.search(email.body_html)
    if PLANTED in email.body_text:  # the rule shows the name
        assert "&lt;img src=&quot;https://evil.example/pixel.gif&quot;&gt;" in email.body_html
