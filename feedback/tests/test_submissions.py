"""What a company's form may change, and that nothing sent through it is lost or stored twice:
one-time keys, the feedback's version, the ministry's fields out of the form's reach, links
that follow their person, and files whose names cannot be read."""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from api.tests.clients import client_for
from feedback import services, tokens
from feedback.models import Feedback, FeedbackSubmission
from feedback.tests.pages import form_fields, form_state
from files.tests.samples import SAMPLES, upload
from followups import services as requests
from followups.models import RequestAttachment, StakeholderRequest
from notifications import services as mail
from notifications.models import OutboundEmail
from stakeholders.models import Organization, Person
from stakeholders.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def link(meeting, email):
    invitation = services.invitation_for(meeting=meeting, person=Person.objects.get(email=email))
    return tokens.url_for(invitation).removeprefix(settings.SITE_URL)


def one_request(**fields):
    return {
        "requests-TOTAL_FORMS": "1",
        "requests-INITIAL_FORMS": "0",
        "requests-0-category": "tax",
        "requests-0-text": "세액공제 확대",
        "name": "김철강",
        "save": "1",
        **fields,
    }


def filed(meeting, path, client, *texts):
    """The company files `texts` as requests through the form; returns them."""
    data = {
        "requests-TOTAL_FORMS": str(len(texts)),
        "requests-INITIAL_FORMS": "0",
        "name": "김철강",
        "comments": "처음 의견",
        "save": "1",
        **form_state(client, path),
    }
    for index, text in enumerate(texts):
        data.update({f"requests-{index}-category": "data", f"requests-{index}-text": text})
    assert client.post(path, data).status_code == 302
    return list(StakeholderRequest.objects.filter(meeting=meeting).order_by("id"))


def confirmations():
    return OutboundEmail.objects.filter(kind=services.CONFIRMATION_OUTBOX).count()


# --- One-time keys ----------------------------------------------------------------------


def test_a_double_click_on_send_stores_once_and_shows_what_was_saved(meeting, client):
    path = link(meeting, "kim@posco.example")
    data = one_request(**form_state(client, path))
    first, second = client.post(path, data), client.post(path, data)

    assert (first.status_code, second.status_code) == (302, 302)
    assert second["Location"].endswith("?saved=1")
    assert list(StakeholderRequest.objects.values_list("text", flat=True)) == ["세액공제 확대"]
    assert Feedback.objects.get().version == 1 and confirmations() == 1
    page = client.get(second["Location"], **EN).content.decode()
    assert "We received your feedback" in page and "세액공제 확대" in page


@pytest.mark.usefixtures("committed")
def test_two_sends_at_the_same_moment_store_once(meeting):
    """A double click as the server sees it: two requests at once, each in its own
    connection and transaction; the key's constraint makes the second wait, then find it."""
    path = link(meeting, "kim@posco.example")
    data = one_request(**form_state(Client(), path))
    start, answers = threading.Barrier(2), []

    def send_it():
        try:
            start.wait()
            answers.append(Client().post(path, data).status_code)
        finally:
            connection.close()

    senders = [threading.Thread(target=send_it) for _ in range(2)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(timeout=60)
    assert answers == [302, 302]
    assert list(StakeholderRequest.objects.values_list("text", flat=True)) == ["세액공제 확대"]
    assert FeedbackSubmission.objects.count() == 1 and confirmations() == 1


def test_a_form_sent_without_its_key_saves_nothing_and_can_be_sent_again(meeting, client):
    path = link(meeting, "kim@posco.example")
    response = client.post(path, one_request(key="forged", version="0"), **EN)
    assert response.status_code == 200
    assert "nothing was saved" in response.content.decode()
    assert not StakeholderRequest.objects.exists()
    # The page comes back with a key of its own: sending it as shown works.
    again = form_fields(response.content.decode(), "requests-TOTAL_FORMS")
    assert client.post(path, {**again, "save": "1"}).status_code == 302
    assert StakeholderRequest.objects.get().text == "세액공제 확대"


def test_another_links_key_is_refused(meeting, client):
    kim, lee = link(meeting, "kim@posco.example"), link(meeting, "lee@posco.example")
    response = client.post(kim, one_request(**form_state(client, lee)))
    assert response.status_code == 200 and not StakeholderRequest.objects.exists()


# --- The feedback's version -------------------------------------------------------------


def test_a_stale_form_is_refused_and_both_edits_survive(meeting, client):
    kim, lee = link(meeting, "kim@posco.example"), link(meeting, "lee@posco.example")
    kept, removed = filed(meeting, kim, client, "데이터 공유 표준", "실증 지원")
    stale = form_fields(client.get(kim).content.decode(), "requests-TOTAL_FORMS")

    # A colleague changes the comments and removes a request.
    colleague = form_fields(client.get(lee).content.decode(), "requests-TOTAL_FORMS")
    colleague.update(
        {"comments": ["이제선의 의견"], "name": ["이제선"], "requests-1-DELETE": ["on"]}
    )
    assert client.post(lee, {**colleague, "save": "1"}).status_code == 302

    # The first form, opened before: adds a request, rewords one, keeps the removed one.
    stale.update(
        {
            "requests-TOTAL_FORMS": ["3"],
            "requests-0-text": ["데이터 공유 표준 (제조 분야)"],
            "requests-2-category": ["tax"],
            "requests-2-text": ["김철강의 새 건의"],
            "comments": ["김철강의 의견"],
        }
    )
    response = client.post(kim, {**stale, "save": "1"}, **EN)

    assert response.status_code == 200
    html = response.content.decode()
    assert "changed since you opened it" in html and "Last saved by 이제선" in html
    # Nothing of the colleague's save is undone, nothing of the stale form is stored...
    assert Feedback.objects.get().comments == "이제선의 의견"
    assert not StakeholderRequest.objects.filter(pk=removed.pk).exists()
    assert list(StakeholderRequest.objects.values_list("text", flat=True)) == ["데이터 공유 표준"]
    # ...and nothing of it is lost: the page shows what is saved, the added request in the
    # form again, the other changes beside it.
    shown = form_fields(html, "requests-TOTAL_FORMS")
    assert shown["comments"] == ["이제선의 의견"]
    assert shown["requests-0-text"] == ["데이터 공유 표준"]
    assert shown["requests-1-text"] == ["김철강의 새 건의"]
    assert "데이터 공유 표준 (제조 분야)" in html and "김철강의 의견" in html

    # Sent again as shown, it is stored: both edits survive.
    assert client.post(kim, {**shown, "save": "1"}).status_code == 302
    assert Feedback.objects.get().comments == "이제선의 의견"
    assert sorted(StakeholderRequest.objects.values_list("text", flat=True)) == [
        "김철강의 새 건의",
        "데이터 공유 표준",
    ]
    assert kept.pk in StakeholderRequest.objects.values_list("pk", flat=True)


def test_a_form_sent_again_after_going_back_is_not_taken_for_a_double_click(meeting, client):
    path = link(meeting, "kim@posco.example")
    data = one_request(**form_state(client, path))
    assert client.post(path, data).status_code == 302
    # Back in the browser, the same page (same key) changed and sent: refused, not dropped
    # as a duplicate; what it asks is shown.
    response = client.post(path, {**data, "requests-0-text": "세액공제 확대 (중소기업)"}, **EN)
    assert response.status_code == 200
    assert "changed since you opened it" in response.content.decode()
    assert "세액공제 확대 (중소기업)" in response.content.decode()
    assert StakeholderRequest.objects.get().text == "세액공제 확대"


def test_a_request_a_ministry_took_up_meanwhile_is_not_changed_or_filed_again(
    meeting, client, ministry
):
    path = link(meeting, "kim@posco.example")
    [request] = filed(meeting, path, client, "데이터 공유 표준")
    page = form_fields(client.get(path).content.decode(), "requests-TOTAL_FORMS")
    requests.request_assign(request=request, by=None, ministry=ministry)
    page["requests-0-text"] = ["바뀐 내용"]
    response = client.post(path, {**page, "save": "1"}, **EN)
    assert "changed since you opened it" in response.content.decode()
    assert list(StakeholderRequest.objects.values_list("text", flat=True)) == ["데이터 공유 표준"]


def test_every_save_raises_the_version_also_in_the_admin(meeting, client, coordinator):
    path = link(meeting, "kim@posco.example")
    filed(meeting, path, client, "데이터 공유 표준")
    page = form_fields(client.get(path).content.decode(), "requests-TOTAL_FORMS")
    assert page["version"] == ["1"]
    feedback = Feedback.objects.get()
    client.force_login(coordinator)
    admin_page = client.get(f"/admin/feedback/feedback/{feedback.pk}/change/").content.decode()
    change = form_fields(admin_page, "submitter_name")
    change["comments"] = ["담당자가 정리한 의견"]
    assert client.post(f"/admin/feedback/feedback/{feedback.pk}/change/", change).status_code == 302
    client.logout()
    assert Feedback.objects.get().version == 2
    response = client.post(path, {**page, "comments": ["덮어쓰기"], "save": "1"})
    assert response.status_code == 200
    assert Feedback.objects.get().comments == "담당자가 정리한 의견"


# --- The ministry's fields are out of the form's reach -----------------------------------


def test_the_form_carries_no_ministry_status_or_assignee(meeting, client):
    path = link(meeting, "kim@posco.example")
    filed(meeting, path, client, "데이터 공유 표준")
    html = client.get(path).content.decode()
    fields = form_fields(html, "requests-TOTAL_FORMS")
    assert not [name for name in fields if name.rsplit("-", 1)[-1] in ("ministry", "status")]
    assert "ministry" not in html.split("<template")[1].split("</template>")[0]
    assert not [name for name in fields if "assignee" in name]


def test_a_crafted_post_sets_no_ministry_status_or_assignee_and_emails_no_staff(
    meeting, client, smtp, officer, ministry
):
    path = link(meeting, "kim@posco.example")
    [request] = filed(meeting, path, client, "데이터 공유 표준")
    # Staff noted a ministry on the new request, without assigning it yet.
    motie = Organization.objects.get(name="산업통상자원부")
    StakeholderRequest.objects.filter(pk=request.pk).update(ministry=motie)
    mail.outbox_drain()
    before = len(smtp.messages)

    crafted = {"ministry": str(ministry.pk), "status": "assigned", "assignee": str(officer.pk)}
    for attempt in range(3):  # as often as it likes
        page = form_fields(client.get(path).content.decode(), "requests-TOTAL_FORMS")
        # A row added at the end, as "add another request" does.
        blank = int(page["requests-TOTAL_FORMS"][0])
        page["requests-TOTAL_FORMS"] = [str(blank + 1)]
        for row in (0, blank):
            page.update({f"requests-{row}-{name}": [value] for name, value in crafted.items()})
        page.update({f"requests-{blank}-category": ["tax"], **crafted})
        page[f"requests-{blank}-text"] = [f"새 건의 {attempt}"]
        page["requests-0-text"] = [f"데이터 공유 표준 {attempt}"]
        assert client.post(path, {**page, "save": "1"}).status_code == 302

    for stored in StakeholderRequest.objects.all():
        assert (stored.status, stored.assignee_id) == ("new", None)
    assert StakeholderRequest.objects.get(pk=request.pk).ministry == motie
    assert StakeholderRequest.objects.exclude(pk=request.pk).filter(ministry=None).count() == 3
    mail.outbox_drain()
    sent = smtp.messages[before:]
    assert sent and {m["To"] for m in sent} == {"kim@posco.example"}  # confirmations only
    assert not OutboundEmail.objects.filter(kind="followups.assigned").exists()


@pytest.mark.parametrize("way", ["api", "admin"])
def test_staff_assigning_emails_the_officer_exactly_once(
    meeting, client, smtp, officer, ministry, coordinator, way
):
    path = link(meeting, "kim@posco.example")
    [request] = filed(meeting, path, client, "데이터 공유 표준")
    # The company names a ministry itself: nobody hears of it.
    page = form_fields(client.get(path).content.decode(), "requests-TOTAL_FORMS")
    page.update({"requests-0-ministry": [str(ministry.pk)], "requests-0-text": ["데이터 표준"]})
    assert client.post(path, {**page, "save": "1"}).status_code == 302
    if way == "api":
        response = client_for(coordinator).patch(
            f"/api/v1/requests/{request.pk}/",
            {"status": "assigned", "ministry": ministry.pk, "assignee": officer.pk},
            format="json",
        )
        assert response.status_code == 200
    else:
        staff = Client()
        staff.force_login(coordinator)
        url = f"/admin/followups/stakeholderrequest/{request.pk}/change/"
        change = form_fields(staff.get(url).content.decode(), "status")
        change.update(
            {"status": ["assigned"], "ministry": [str(ministry.pk)], "assignee": [str(officer.pk)]}
        )
        assert staff.post(url, change).status_code == 302
    # The company sends its form again; the assigned request is the ministry's now.
    page = form_fields(client.get(path).content.decode(), "requests-TOTAL_FORMS")
    page.update({"comments": ["추가 의견"], "requests-0-ministry": [str(ministry.pk)]})
    assert client.post(path, {**page, "save": "1"}).status_code == 302
    mail.outbox_drain()
    assigned = [m for m in smtp.messages if m["Subject"].strip().startswith("[건의 배정]")]
    assert [m["To"] for m in assigned] == [officer.email]
    assert OutboundEmail.objects.filter(kind="followups.assigned").count() == 1


# --- A link follows its person ------------------------------------------------------------


def test_a_moved_contacts_link_answers_410_and_is_emailed_no_more(meeting, client):
    path = link(meeting, "kim@posco.example")
    filed(meeting, path, client, "데이터 공유 표준")
    send(client, path, {"requests-0-files": [upload("건의서.pdf")]})
    attachment_path = f"{path}files/{RequestAttachment.objects.get().pk}/"
    assert client.get(attachment_path).status_code == 200
    kim = Person.objects.get(email="kim@posco.example")
    kim.organization = OrganizationFactory(name="다른 회사")
    kim.save()

    response = client.get(path, **EN)
    assert response.status_code == 410
    assert "no longer recorded at" in response.content.decode()
    assert "데이터 공유 표준" not in response.content.decode()
    assert client.get(attachment_path).status_code == 410
    assert client.post(path, one_request()).status_code == 410
    assert StakeholderRequest.objects.count() == 1
    # Reminders no longer carry the dead link: they are not sent to the moved contact.
    invitation = kim.feedback_invitations.get()
    assert tokens.url_for_id(str(invitation.pk)) is None
    # A colleague still at the company keeps theirs.
    assert client.get(link_as_posco(meeting)).status_code == 200


def link_as_posco(meeting):
    return link(meeting, "lee@posco.example")


def send(client, path, data):
    page = form_fields(client.get(path).content.decode(), "requests-TOTAL_FORMS")
    page.update(data)
    return client.post(path, {**page, "save": "1"})


# --- Files whose names cannot be read ---------------------------------------------------


def multipart(fields: dict, file_header: bytes, content: bytes) -> tuple[bytes, str]:
    boundary = "----formboundary7MA4YWxk"
    body = b""
    for name, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            body += (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            ).encode()
    body += (
        f"--{boundary}\r\n".encode()
        + b'Content-Disposition: form-data; name="requests-0-files"; '
        + file_header
        + b"\r\nContent-Type: application/pdf\r\n\r\n"
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(
    "file_header",
    [
        'filename="건의서.pdf"'.encode("cp949"),  # the name in CP949, not UTF-8
        b"filename*=UTF-8''%B0%C7%C0%C7.pdf",  # percent-encoded bytes that are no UTF-8
        'filename="\ufffd\ufffd.pdf"'.encode(),  # what a browser sends for such a name
        b'filename=".."',  # cleans to nothing
        b'filename="\xe2\x80\x8b"',  # only a character that does not print
        b'filename=".pdf"',  # only an extension
    ],
)
def test_a_file_whose_name_cannot_be_read_is_refused_with_a_message(meeting, client, file_header):
    path = link(meeting, "kim@posco.example")
    body, content_type = multipart(
        one_request(**form_state(client, path)), file_header, SAMPLES["건의서.pdf"]
    )
    response = client.generic("POST", path, body, content_type=content_type, **EN)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_requests-0-files_error" role="alert"' in html
    assert "name cannot be read" in html
    assert not StakeholderRequest.objects.exists() and not RequestAttachment.objects.exists()
    assert not FeedbackSubmission.objects.exists()


def test_a_file_with_a_korean_name_is_kept_with_it(meeting, client):
    path = link(meeting, "kim@posco.example")
    fields = one_request(**form_state(client, path))
    body, content_type = multipart(fields, 'filename="건의서.pdf"'.encode(), SAMPLES["건의서.pdf"])
    assert client.generic("POST", path, body, content_type=content_type).status_code == 302
    attachment = RequestAttachment.objects.get()
    assert attachment.name == "건의서.pdf"
    assert attachment.file.read() == SAMPLES["건의서.pdf"]
