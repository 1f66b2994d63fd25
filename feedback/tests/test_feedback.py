"""Company feedback from the email to the stored request (README, Company feedback)."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from api.tests.clients import client_for
from events.tests.factories import AttendanceFactory, MeetingFactory
from feedback import services, tokens
from feedback.models import Feedback, FeedbackInvitation
from feedback.tests.pages import form_state
from followups import services as requests
from followups.models import StakeholderRequest
from notifications import services as mail
from notifications.models import OutboundEmail
from stakeholders.tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def link_of(address, smtp):
    [message] = [
        m for m in smtp.to(address) if "/feedback/" in m.get_body(("plain",)).get_content()
    ]
    return re.search(
        r"http://127\.0\.0\.1:8000(/feedback/[^/\s]+/)", message.get_body(("plain",)).get_content()
    ).group(1)


def test_asking_invites_each_company_contact_once(meeting, smtp):
    assert services.feedback_request(meeting=meeting) == 3
    assert services.feedback_request(meeting=meeting) == 0
    mail.outbox_drain()
    assert sorted(m["To"] for m in smtp.messages) == [
        "kim@posco.example",
        "lee@posco.example",
        "park@lg.example",
    ]
    assert smtp.to("kim@posco.example")[0]["Subject"].strip().startswith("[의견 요청] AI 팩토리")
    assert smtp.to("park@lg.example")[0]["Subject"].strip().startswith("Your requests after")
    # A contact added later is invited on the next ask, alone.
    PersonFactory(
        organization=meeting.attendances.get(organization__name="포스코").organization,
        email="new@posco.example",
    )
    assert services.feedback_request(meeting=meeting) == 1


def test_the_database_holds_no_raw_link(meeting, smtp):
    services.feedback_request(meeting=meeting)
    mail.outbox_drain()
    token = link_of("kim@posco.example", smtp).split("/")[2]
    assert len(token) >= 32
    for email in OutboundEmail.objects.all():
        assert token not in email.body_text and token not in email.body_html
    invitation = FeedbackInvitation.objects.get(person__email="kim@posco.example")
    assert token not in (invitation.salt, invitation.token_hash)


def test_the_api_asks_and_answers_202(meeting, coordinator, viewer):
    url = f"/api/v1/meetings/{meeting.pk}/feedback-requests/"
    response = client_for(coordinator).post(url)
    assert (response.status_code, response.json()) == (202, {"invited": 3})
    assert client_for(coordinator).post(url).json() == {"invited": 0}
    assert client_for(viewer).post(url).status_code == 403
    missing = "/api/v1/meetings/00000000-0000-0000-0000-000000000000/feedback-requests/"
    assert client_for(coordinator).post(missing).status_code == 404


def test_a_company_files_requests_and_edits_them(meeting, smtp, client):
    services.feedback_request(meeting=meeting)
    mail.outbox_drain()
    path = link_of("kim@posco.example", smtp)
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "AI 팩토리 현장 간담회" in html and "포스코" in html and 'value="김철강"' in html

    data = {
        "requests-TOTAL_FORMS": "2",
        "requests-INITIAL_FORMS": "0",
        "requests-0-category": "finance",
        "requests-0-text": "AI 팩토리 전환 정책자금 확대",
        "requests-1-category": "data",
        "requests-1-text": "제조 데이터 공유 표준",
        "name": "김철강",
        "position": "AI 추진반장",
        "comments": "현장 방문 감사합니다.",
    }
    response = client.post(path, {**data, **form_state(client, path)})
    assert response.status_code == 302
    filed = StakeholderRequest.objects.filter(source="feedback_form").order_by("id")
    assert [r.text for r in filed] == ["AI 팩토리 전환 정책자금 확대", "제조 데이터 공유 표준"]
    assert {r.organization.name for r in filed} == {"포스코"}
    assert all(r.status == "new" and r.meeting_id == meeting.pk for r in filed)
    mail.outbox_drain()
    [confirmation] = [
        m for m in smtp.to("kim@posco.example") if m["Subject"].strip().startswith("[접수 확인]")
    ]
    assert "제조 데이터 공유 표준" in confirmation.get_body(("plain",)).get_content()

    # A colleague's link shows the same feedback, and edits it.
    colleague = link_of("lee@posco.example", smtp)
    html = client.get(colleague).content.decode()
    assert "제조 데이터 공유 표준" in html
    first, second = filed
    edit = {
        **data,
        "requests-INITIAL_FORMS": "2",
        "requests-0-request_id": str(first.pk),
        "requests-0-text": "AI 팩토리 전환 정책자금 확대 (금리 우대 포함)",
        "requests-1-request_id": str(second.pk),
        "requests-1-DELETE": "on",
        "name": "이제선",
        **form_state(client, colleague),
    }
    assert client.post(colleague, edit).status_code == 302
    first.refresh_from_db()
    assert first.text.endswith("(금리 우대 포함)")
    assert first.history.count() == 2  # the edit is kept in the history
    assert not StakeholderRequest.objects.filter(pk=second.pk).exists()
    assert Feedback.objects.get().submitter_name == "이제선"
    assert Feedback.objects.get().history.count() == 2


def test_add_another_keeps_what_was_typed(meeting, client):
    invitation = services.invitation_for(
        meeting=meeting, person=meeting.attendances.get(person__email="park@lg.example").person
    )
    path = tokens.url_for(invitation).removeprefix("http://127.0.0.1:8000")
    response = client.post(
        path,
        {
            "requests-TOTAL_FORMS": "1",
            "requests-INITIAL_FORMS": "0",
            "requests-0-category": "tax",
            "requests-0-text": "세액공제 확대",
            "name": "",
            "add": "1",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "세액공제 확대" in html and 'name="requests-1-text"' in html
    assert not StakeholderRequest.objects.exists()


def test_bad_input_shows_errors_and_keeps_the_text(meeting, client):
    invitation = services.invitation_for(
        meeting=meeting, person=meeting.attendances.get(person__email="park@lg.example").person
    )
    path = tokens.url_for(invitation).removeprefix("http://127.0.0.1:8000")
    response = client.post(
        path,
        {
            "requests-TOTAL_FORMS": "1",
            "requests-INITIAL_FORMS": "0",
            "requests-0-category": "nonsense",
            "requests-0-text": "세액공제 확대",
            "name": "",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "세액공제 확대" in html and 'role="alert"' in html
    assert not StakeholderRequest.objects.exists()


def test_unknown_revoked_and_late_links(meeting, client):
    assert client.get("/feedback/not-a-real-link/").status_code == 404
    person = meeting.attendances.get(person__email="park@lg.example").person
    invitation = services.invitation_for(meeting=meeting, person=person)
    path = tokens.url_for(invitation).removeprefix("http://127.0.0.1:8000")
    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + "/"
    assert client.get(tampered).status_code == 404
    FeedbackInvitation.objects.filter(pk=invitation.pk).revoke()
    response = client.get(path)
    assert response.status_code == 410 and "철회" in response.content.decode()

    other = services.invitation_for(
        meeting=meeting, person=PersonFactory(organization=person.organization)
    )
    meeting.feedback_deadline = timezone.now() - datetime.timedelta(minutes=1)
    meeting.save()
    late = tokens.url_for(other).removeprefix("http://127.0.0.1:8000")
    assert client.get(late).status_code == 410


def test_one_company_cannot_change_anothers_requests(meeting, client):
    people = {a.organization.name: a for a in meeting.attendances.select_related("organization")}
    lg_request = StakeholderRequest.objects.create(
        meeting=meeting,
        organization=people["LG전자"].organization,
        category="tax",
        text="LG의 건의",
        source="feedback_form",
    )
    posco_person = people["포스코"].organization.people.exclude(email="").first()
    invitation = services.invitation_for(meeting=meeting, person=posco_person)
    path = tokens.url_for(invitation).removeprefix("http://127.0.0.1:8000")
    assert "LG의 건의" not in client.get(path).content.decode()
    client.post(
        path,
        {
            "requests-TOTAL_FORMS": "1",
            "requests-INITIAL_FORMS": "1",
            "requests-0-request_id": str(lg_request.pk),
            "requests-0-category": "tax",
            "requests-0-text": "바꿔치기",
            "requests-0-DELETE": "on",
            "name": "김철강",
            "comments": "",
            **form_state(client, path),
        },
    )
    lg_request.refresh_from_db()
    assert lg_request.text == "LG의 건의"


def test_the_rule_invites_after_the_meeting_and_shares_the_manual_invitation(meeting):
    end = datetime.datetime(2026, 11, 20, 18, tzinfo=timezone.get_default_timezone())
    assert mail.reminder_scan(now=end + datetime.timedelta(hours=1)) == 0
    assert mail.reminder_scan(now=end + datetime.timedelta(hours=2, minutes=1)) == 3
    assert services.feedback_request(meeting=meeting) == 0  # nobody twice


def test_organizations_that_have_not_answered_are_reminded_before_the_deadline(meeting, client):
    services.feedback_request(meeting=meeting)
    lg_invitation = FeedbackInvitation.objects.get(person__email="park@lg.example")
    services.feedback_submit(
        invitation=lg_invitation, comments="감사합니다", name="박가전", position="", items=[]
    )
    before = OutboundEmail.objects.count()
    mail.reminder_scan(
        now=meeting.feedback_deadline - datetime.timedelta(days=3) + datetime.timedelta(minutes=1)
    )
    reminded = OutboundEmail.objects.order_by("id")[before:]
    assert sorted(e.recipient for e in reminded) == ["kim@posco.example", "lee@posco.example"]


def test_the_meeting_page_shows_who_was_invited_opened_and_answered(meeting, client, coordinator):
    services.feedback_request(meeting=meeting)
    lg_invitation = FeedbackInvitation.objects.get(person__email="park@lg.example")
    client.get(tokens.url_for(lg_invitation).removeprefix("http://127.0.0.1:8000"))
    services.feedback_submit(
        invitation=lg_invitation, comments="감사합니다", name="박가전", position="", items=[]
    )
    client.force_login(coordinator)
    page = client.get(f"/admin/events/meeting/{meeting.pk}/change/").content.decode()
    assert "응답률: 초청한 기관의 50%" in page
    assert "포스코" in page and "LG전자" in page


# The limit counts in windows of the clock's minutes: a stopped clock keeps the attempts in one.
@pytest.mark.time_machine(
    datetime.datetime(2026, 12, 3, 10, 0, 30, tzinfo=datetime.UTC), tick=False
)
def test_guessing_links_is_throttled_per_client_address(meeting, client, settings):
    settings.PERSONAL_LINK_GUESS_RATE = "3/m"
    settings.TRUSTED_PROXY_HOPS = 1
    person = meeting.attendances.get(person__email="park@lg.example").person
    valid = tokens.url_for(services.invitation_for(meeting=meeting, person=person))
    valid = valid.removeprefix("http://127.0.0.1:8000")
    guesser = {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}

    for attempt in range(3):
        assert client.get(f"/feedback/guess-{attempt}/", **guesser).status_code == 404
    assert client.get(valid, **guesser).status_code == 200  # under the limit, links work
    response = client.get("/feedback/guess-4/", **guesser)
    assert response.status_code == 404
    # Over the limit: every link answers 429, a valid one too, so guessing reveals nothing.
    response = client.get(valid, **guesser)
    assert response.status_code == 429
    assert "잠시 후" in response.content.decode()
    # Another address behind the same proxy is not affected.
    assert client.get(valid, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


def test_an_untouched_added_row_does_not_block_sending(meeting, client):
    person = meeting.attendances.get(person__email="park@lg.example").person
    path = tokens.url_for(services.invitation_for(meeting=meeting, person=person))
    path = path.removeprefix("http://127.0.0.1:8000")
    response = client.post(
        path,
        {
            **form_state(client, path),
            "requests-TOTAL_FORMS": "2",
            "requests-INITIAL_FORMS": "0",
            "requests-0-category": "tax",
            "requests-0-text": "세액공제 확대",
            # the row "add another" put on the page, left as it was
            "requests-1-category": "",
            "requests-1-text": "",
            "requests-1-ministry": "",
            "name": "박가전",
            "save": "1",
        },
    )
    assert response.status_code == 302
    assert list(StakeholderRequest.objects.values_list("text", flat=True)) == ["세액공제 확대"]


def test_the_form_refuses_a_post_without_its_csrf_token(meeting):
    person = meeting.attendances.get(person__email="park@lg.example").person
    path = tokens.url_for(services.invitation_for(meeting=meeting, person=person))
    path = path.removeprefix("http://127.0.0.1:8000")
    browser = Client(enforce_csrf_checks=True)
    assert 'name="csrfmiddlewaretoken"' in browser.get(path).content.decode()
    data = {
        "requests-TOTAL_FORMS": "1",
        "requests-INITIAL_FORMS": "0",
        "requests-0-category": "tax",
        "requests-0-text": "세액공제 확대",
        "name": "박가전",
        "save": "1",
    }
    assert browser.post(path, data).status_code == 403
    assert not StakeholderRequest.objects.exists()


def test_a_forwarded_for_header_that_is_no_address_is_not_a_500(meeting, client, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    assert client.get("/feedback/guess/", HTTP_X_FORWARDED_FOR="junk, 10.0.0.1").status_code == 404


def lg_files_a_tax_request(meeting):
    """LG전자's contact files one request through their link; returns the link's invitation."""
    person = meeting.attendances.get(person__email="park@lg.example").person
    invitation = services.invitation_for(meeting=meeting, person=person)
    services.feedback_submit(
        invitation=invitation,
        comments="",
        name="박가전",
        position="",
        items=[{"category": "tax", "text": "세액공제 확대", "ministry": None}],
    )
    return invitation


def test_the_company_sees_each_answer_on_its_page(meeting, client, ministry):
    invitation = lg_files_a_tax_request(meeting)
    request = StakeholderRequest.objects.get()
    requests.request_answer(
        request=request, by=None, ministry=ministry, response="2026년 세법 개정안에 반영하겠습니다."
    )
    page = client.get(tokens.url_for(invitation).removeprefix("http://127.0.0.1:8000"))
    html = page.content.decode()
    assert "2026년 세법 개정안에 반영하겠습니다." in html and "답변 완료" in html


def test_a_confirmation_answers_the_contact_and_offers_no_unsubscribe(meeting, smtp):
    # takes no reminders
    mail.unsubscription_create(email="park@lg.example", kind=services.REQUEST_KIND)
    lg_files_a_tax_request(meeting)
    mail.outbox_drain()
    [confirmation] = smtp.to("park@lg.example")
    assert "List-Unsubscribe" not in confirmation
    assert "/unsubscribe/" not in confirmation.get_body(("plain",)).get_content()


@pytest.mark.parametrize("contacts", [1, 6])
def test_the_rule_asks_with_the_same_queries_for_one_or_many_contacts(
    django_assert_max_num_queries, contacts
):
    meeting = MeetingFactory()
    company = OrganizationFactory()
    AttendanceFactory(meeting=meeting, organization=company)
    PersonFactory.create_batch(contacts, organization=company)
    services.invitation_dues(meeting)  # the first ask creates the invitations
    with django_assert_max_num_queries(3):
        assert len(services.invitation_dues(meeting)) == contacts
