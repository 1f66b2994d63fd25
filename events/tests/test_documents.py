"""Meeting documents: coordinators attach them in the admin; public ones are downloadable on
the public meeting page, internal ones only by staff."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from events import services
from events.models import Meeting, MeetingDocument
from events.tests.factories import MeetingFactory
from events.tests.test_admin import meeting_form
from files.tests.samples import SAMPLES, upload

pytestmark = pytest.mark.django_db


def attach(meeting, name="건의서.pdf", **fields) -> MeetingDocument:
    document = MeetingDocument(
        meeting=meeting, kind=MeetingDocument.Kind.MINUTES, file=upload(name), **fields
    )
    return services.document_save(document=document)


def download_path(document):
    return f"/meetings/{document.meeting_id}/documents/{document.pk}/"


def test_a_coordinator_attaches_a_press_release_that_anyone_downloads(client, coordinator):
    meeting = MeetingFactory(title="AI 팩토리 간담회")
    client.force_login(coordinator)
    response = client.post(
        "/admin/events/meetingdocument/add/",
        {
            "meeting": meeting.pk,
            "kind": "press_release",
            "title": "",
            "title_en": "Press release",
            "visibility": "public",
            "file": upload("건의서.pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()
    document = MeetingDocument.objects.get()
    assert (document.title, document.name, document.content_type, document.uploaded_by) == (
        "건의서",
        "건의서.pdf",
        "application/pdf",
        coordinator,
    )
    client.logout()
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "보도자료" in page and download_path(document) in page
    file = client.get(download_path(document))
    assert file.status_code == 200
    assert b"".join(file.streaming_content) == SAMPLES["건의서.pdf"]
    assert file["Content-Disposition"].startswith("attachment;")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Press release" in client.get(f"/meetings/{meeting.pk}/").content.decode()


def test_internal_documents_are_for_staff_only(client, viewer, partner):
    meeting = MeetingFactory()
    minutes = attach(meeting, title="내부 회의록")
    assert minutes.visibility == MeetingDocument.Visibility.INTERNAL  # unless chosen otherwise
    assert "내부 회의록" not in client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert client.get(download_path(minutes)).status_code == 404
    client.force_login(partner)
    assert client.get(download_path(minutes)).status_code == 404
    client.force_login(viewer)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "내부 회의록" in page and "내부" in page
    response = client.get(download_path(minutes))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_a_public_document_of_an_internal_meeting_stays_hidden(client, viewer):
    meeting = MeetingFactory(visibility=Meeting.Visibility.INTERNAL)
    slides = attach(meeting, name="발표.pptx", visibility=MeetingDocument.Visibility.PUBLIC)
    assert client.get(download_path(slides)).status_code == 404
    client.force_login(viewer)
    assert client.get(download_path(slides))["Cache-Control"] == "private, no-store"


def test_a_document_whose_file_is_gone_is_a_404(client, private_files):
    document = attach(MeetingFactory(), visibility=MeetingDocument.Visibility.PUBLIC)
    (private_files / document.file.name).unlink()
    assert client.get(download_path(document)).status_code == 404


def test_a_document_is_found_only_under_its_own_meeting(client):
    document = attach(MeetingFactory(), visibility=MeetingDocument.Visibility.PUBLIC)
    other = MeetingFactory()
    assert client.get(f"/meetings/{other.pk}/documents/{document.pk}/").status_code == 404


def test_a_program_renamed_to_pdf_is_refused_next_to_the_field(client, coordinator):
    meeting = MeetingFactory()
    client.force_login(coordinator)
    response = client.post(
        "/admin/events/meetingdocument/add/",
        {
            "meeting": meeting.pk,
            "kind": "slides",
            "title": "발표 자료",
            "visibility": "public",
            "file": SimpleUploadedFile("발표.pdf", b"MZ\x90\x00" + bytes(200)),
        },
    )
    assert response.status_code == 200
    assert "PDF" in str(response.context["adminform"].form.errors["file"])
    assert not MeetingDocument.objects.exists()


def test_the_meeting_page_in_the_admin_attaches_documents_inline(client, coordinator):
    meeting = MeetingFactory()
    minutes = attach(meeting, title="회의록")
    client.force_login(coordinator)
    page = client.get(f"/admin/events/meeting/{meeting.pk}/change/").content.decode()
    assert 'name="documents-TOTAL_FORMS"' in page and "회의록" in page
    form = meeting_form(meeting)
    form.update(
        {
            "documents-TOTAL_FORMS": "2",
            "documents-INITIAL_FORMS": "1",
            "documents-0-id": minutes.pk,
            "documents-0-meeting": meeting.pk,
            "documents-0-kind": "minutes",
            "documents-0-title": "회의록",
            "documents-0-visibility": "internal",
            "documents-0-DELETE": "on",
            "documents-1-meeting": meeting.pk,
            "documents-1-kind": "slides",
            "documents-1-visibility": "public",
            "documents-1-file": upload("발표.pptx"),
        }
    )
    response = client.post(f"/admin/events/meeting/{meeting.pk}/change/", form)
    assert response.status_code == 302
    [slides] = meeting.documents.all()
    assert (slides.title, slides.uploaded_by, slides.is_public) == ("발표", coordinator, True)


def test_deleting_or_replacing_a_document_removes_its_file(
    private_files, django_capture_on_commit_callbacks
):
    document = attach(MeetingFactory())
    first = private_files / document.file.name
    assert first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        document.file = upload("현황.xlsx")
        services.document_save(document=document)
    assert not first.exists() and document.name == "현황.xlsx"
    second = private_files / document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
    assert not second.exists()


@pytest.mark.parametrize("documents", [1, 6])
def test_the_meeting_page_costs_the_same_for_one_or_many_documents(count_queries, documents):
    meeting = MeetingFactory()
    for _ in range(documents):
        attach(meeting, visibility=MeetingDocument.Visibility.PUBLIC)
    assert count_queries(f"/meetings/{meeting.pk}/") == QUERIES_FOR_THE_PAGE


QUERIES_FOR_THE_PAGE = 5  # meeting, attendance, presentations, pledges, documents
