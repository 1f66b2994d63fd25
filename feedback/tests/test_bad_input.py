"""What a forged or broken feedback form sends is refused or changes nothing, never a 500, and
a submission that fails half-way leaves no stored file behind."""

import io
import zipfile

import pytest
from django.conf import settings

from feedback import services, tokens
from feedback.tests.pages import send
from files.tests.samples import upload
from followups import services as requests
from followups.models import RequestAttachment, StakeholderRequest
from stakeholders.models import Person

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # beyond any 64-bit id


def link_for(meeting, email="kim@posco.example"):
    invitation = services.invitation_for(meeting=meeting, person=Person.objects.get(email=email))
    return tokens.url_for(invitation).removeprefix(settings.SITE_URL)


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


def stored(private_files):
    return sorted(p for p in private_files.rglob("*") if p.is_file())


def test_removing_a_file_by_an_id_beyond_any_range_removes_nothing(meeting, client, private_files):
    path = link_for(meeting)
    sent = send(client, path, form_data(**{"requests-0-files": [upload("건의서.pdf")]}))
    assert sent.status_code == 302
    request = StakeholderRequest.objects.get()
    edit = form_data(
        **{
            "requests-INITIAL_FORMS": "1",
            "requests-0-request_id": str(request.pk),
            "requests-0-remove_files": [HUGE],  # SQLite could not even look it up: a 500
        }
    )
    assert send(client, path, edit).status_code == 302
    assert request.attachments.count() == 1 and len(stored(private_files)) == 1


def test_files_stored_by_a_submission_that_fails_are_removed(
    meeting, client, private_files, monkeypatch
):
    attach = requests.attachment_add
    calls = []

    def fails_at_the_second_file(**kwargs):
        calls.append(kwargs["upload"].name)
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return attach(**kwargs)

    monkeypatch.setattr(requests, "attachment_add", fails_at_the_second_file)
    client.raise_request_exception = False
    files = [upload("건의서.pdf"), upload("현황.xlsx")]
    response = send(client, link_for(meeting), form_data(**{"requests-0-files": files}))
    assert response.status_code == 500
    assert calls == ["건의서.pdf", "현황.xlsx"]
    # The first file was stored before the submission was rolled back; it is gone again.
    assert not RequestAttachment.objects.exists() and not StakeholderRequest.objects.exists()
    assert stored(private_files) == []


def test_an_office_file_of_too_many_parts_is_refused_next_to_its_field(
    meeting, client, private_files
):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
        for number in range(20_000):
            archive.writestr(f"word/media/{number}", b"")
    bomb = upload("건의서.docx", buffer.getvalue())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = send(client, link_for(meeting), form_data(**{"requests-0-files": [bomb]}))
    assert response.status_code == 200
    assert "“건의서.docx” holds more than 10,000 parts inside" in response.content.decode()
    assert not StakeholderRequest.objects.exists() and stored(private_files) == []
