"""Files a company attaches to its requests: kept privately, served only through its link or
to staff."""

import pytest
from django.conf import settings
from django.urls import reverse

from feedback import services, tokens
from feedback.models import FeedbackInvitation
from feedback.tests.pages import send
from files.tests.samples import SAMPLES, upload
from followups.models import RequestAttachment, StakeholderRequest
from stakeholders.models import Person

pytestmark = pytest.mark.django_db


def link_for(meeting, email):
    person = Person.objects.get(email=email)
    invitation = services.invitation_for(meeting=meeting, person=person)
    return tokens.url_for(invitation).removeprefix(settings.SITE_URL), invitation


def form_data(**extra):
    return {
        "requests-TOTAL_FORMS": "1",
        "requests-INITIAL_FORMS": "0",
        "requests-0-category": "data",
        "requests-0-text": "제조 데이터 공유 표준 마련",
        "name": "김철강",
        "save": "1",
        **extra,
    }


def test_files_are_attached_stored_privately_and_served_through_the_link(
    meeting, client, private_files, django_capture_on_commit_callbacks
):
    path, _ = link_for(meeting, "kim@posco.example")
    files = [upload("건의서.hwp"), upload("현황.xlsx")]
    assert send(client, path, form_data(**{"requests-0-files": files})).status_code == 302

    request = StakeholderRequest.objects.get()
    stored = {a.name: a for a in request.attachments.all()}
    assert sorted(stored) == ["건의서.hwp", "현황.xlsx"]
    hwp = stored["건의서.hwp"]
    assert hwp.content_type == "application/x-hwp" and hwp.size == len(SAMPLES["건의서.hwp"])
    # Stored under a random name in the private folder, nowhere public.
    on_disk = private_files / hwp.file.name
    assert on_disk.read_bytes() == SAMPLES["건의서.hwp"]
    assert "건의서" not in hwp.file.name
    assert not str(on_disk).startswith(str(settings.MEDIA_ROOT))

    page = client.get(path).content.decode()
    download = f"{path}files/{hwp.pk}/"
    assert download in page and "건의서.hwp" in page
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SAMPLES["건의서.hwp"]
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"

    # A colleague at the same company sees it; another company's link does not.
    colleague, _ = link_for(meeting, "lee@posco.example")
    assert client.get(f"{colleague}files/{hwp.pk}/").status_code == 200
    other, _ = link_for(meeting, "park@lg.example")
    assert client.get(f"{other}files/{hwp.pk}/").status_code == 404

    # Ticking "remove" drops the file, row and content.
    edit = form_data(
        **{
            "requests-INITIAL_FORMS": "1",
            "requests-0-request_id": str(request.pk),
            "requests-0-remove_files": [str(hwp.pk)],
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send(client, path, edit).status_code == 302
    assert list(request.attachments.values_list("name", flat=True)) == ["현황.xlsx"]
    assert not on_disk.exists()
    assert client.get(download).status_code == 404


def test_a_refused_file_is_shown_next_to_its_field_and_nothing_is_saved(meeting, client):
    path, _ = link_for(meeting, "kim@posco.example")
    renamed = upload("건의서.pdf", b"MZ\x90\x00 not a pdf")
    response = send(client, path, form_data(**{"requests-0-files": [renamed]}))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_requests-0-files_error" role="alert"' in html
    assert 'aria-describedby="id_requests-0-files_helptext id_requests-0-files_error"' in html
    assert "건의서.pdf" in html and "제조 데이터 공유 표준 마련" in html
    assert not StakeholderRequest.objects.exists() and not RequestAttachment.objects.exists()


def test_a_revoked_link_serves_no_file(meeting, client):
    path, invitation = link_for(meeting, "kim@posco.example")
    send(client, path, form_data(**{"requests-0-files": [upload("건의서.pdf")]}))
    attachment = RequestAttachment.objects.get()
    FeedbackInvitation.objects.filter(pk=invitation.pk).revoke()
    assert client.get(f"{path}files/{attachment.pk}/").status_code == 410


def test_staff_download_through_the_admin_and_no_one_else(meeting, client, coordinator):
    path, _ = link_for(meeting, "kim@posco.example")
    send(client, path, form_data(**{"requests-0-files": [upload("발표.pptx")]}))
    attachment = RequestAttachment.objects.get()
    url = reverse(
        "admin:followups_stakeholderrequest_attachment",
        args=[attachment.request_id, attachment.pk],
    )
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(coordinator)
    assert b"".join(client.get(url).streaming_content) == SAMPLES["발표.pptx"]
    change_page = client.get(
        reverse("admin:followups_stakeholderrequest_change", args=[attachment.request_id])
    )
    assert url in change_page.content.decode()


@pytest.mark.parametrize("requests", [1, 8])
def test_the_form_costs_the_same_queries_for_one_or_many_requests(
    meeting, client, count_queries, requests
):
    path, invitation = link_for(meeting, "kim@posco.example")
    items = [
        {"category": "data", "text": f"건의 {n}", "ministry": None, "files": [upload("공정.png")]}
        for n in range(requests)
    ]
    services.feedback_submit(
        invitation=invitation, comments="", name="김철강", position="", items=items
    )
    # One query per kind of row, whatever the number of requests and files.
    assert count_queries(path) == QUERIES_FOR_THE_FORM


# One query per kind of row (invitation, its first opening, requests, their files,
# feedback), none per request.
QUERIES_FOR_THE_FORM = 5


def test_a_request_keeps_at_most_five_files_across_submissions(meeting, client):
    path, _ = link_for(meeting, "kim@posco.example")
    send(client, path, form_data(**{"requests-0-files": [upload("공정.png") for _ in range(4)]}))
    request = StakeholderRequest.objects.get()
    more = form_data(
        **{
            "requests-INITIAL_FORMS": "1",
            "requests-0-request_id": str(request.pk),
            "requests-0-files": [upload("현장.jpg"), upload("건의서.pdf")],
        }
    )
    response = send(client, path, more)
    assert response.status_code == 200
    assert "파일은 5개까지" in response.content.decode()
    assert request.attachments.count() == 4


@pytest.mark.parametrize(
    "field, value", [("requests-0-remove_files", "²"), ("requests-0-request_id", "٣")]
)
def test_unicode_digits_in_ids_are_not_a_500(meeting, client, field, value):
    path, _ = link_for(meeting, "kim@posco.example")
    assert send(client, path, form_data(**{field: value})).status_code in (200, 302)
    assert client.post(path, form_data(add="1", **{field: value})).status_code == 200
