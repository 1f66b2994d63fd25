"""The answer email reaches the company with a way back: a Reply-To that reaches the ministry,
and the link to its feedback page while that page opens (through a real SMTP server)."""

import datetime
import re

import pytest
from django.utils import timezone

from feedback import services
from followups import services as requests
from followups.models import StakeholderRequest
from notifications import services as mail
from stakeholders.models import Person

pytestmark = pytest.mark.django_db


def raised_by(meeting, email):
    person = Person.objects.get(email=email)
    invitation = services.invitation_for(meeting=meeting, person=person)
    request = requests.request_create(
        meeting=meeting,
        organization=person.organization,
        person=person,
        source=StakeholderRequest.Source.FEEDBACK_FORM,
        category=StakeholderRequest.Category.TAX,
        text="AI 설비 투자 세액공제 확대",
    )
    return request, invitation


def answer(request, ministry):
    requests.request_answer(
        request=request, by=None, ministry=ministry, response="2026년 세법 개정안에 반영하겠습니다."
    )
    mail.outbox_drain()


def text_of(message):
    return message.get_body(("plain",)).get_content()


def test_the_answer_replies_to_the_ministry_and_links_the_company_page(
    meeting, ministry, smtp, client, settings
):
    settings.MINISTRY_CONTACT_EMAIL = "ai-relay@moef.example"
    request, invitation = raised_by(meeting, "kim@posco.example")
    answer(request, ministry)
    [email] = smtp.to("kim@posco.example")
    assert email["Reply-To"] == "ai-relay@moef.example"
    text = text_of(email)
    assert "AI 팩토리 현장 간담회에서 포스코가 건의하신 내용에" in text
    assert "[[link]]" not in text
    link = re.search(r"http://127\.0\.0\.1:8000(/feedback/[^/\s]+/)", text).group(1)
    assert link == invitation.url.removeprefix("http://127.0.0.1:8000")
    page = client.get(link).content.decode()
    assert "2026년 세법 개정안에 반영하겠습니다." in page
    html = email.get_body(("html",)).get_content()
    assert f'href="{invitation.url}"' in html


def test_in_english_too(meeting, ministry, smtp, settings):
    settings.MINISTRY_CONTACT_EMAIL = "ai-relay@moef.example"
    request, invitation = raised_by(meeting, "park@lg.example")
    answer(request, ministry)
    [email] = smtp.to("park@lg.example")
    assert email["Reply-To"] == "ai-relay@moef.example"
    text = text_of(email)
    assert "feedback page" in text and invitation.url in text


@pytest.mark.parametrize("why", ["past the deadline", "revoked"])
def test_without_a_page_that_opens_the_answer_still_goes_without_a_link(
    meeting, ministry, smtp, why
):
    request, invitation = raised_by(meeting, "kim@posco.example")
    if why == "revoked":
        type(invitation).objects.filter(pk=invitation.pk).revoke()
    else:
        meeting.feedback_deadline = timezone.now() - datetime.timedelta(minutes=1)
        meeting.save()
    answer(request, ministry)
    [email] = smtp.to("kim@posco.example")
    text = text_of(email)
    assert "2026년 세법 개정안에 반영하겠습니다." in text
    assert "/feedback/" not in text and "[[link]]" not in text
    assert email["Reply-To"]
