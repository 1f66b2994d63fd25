"""The meeting result report (결과 보고) from outside: the files a coordinator downloads from a
meeting's admin page, read back with python-hwpx, zip + lxml and python-docx."""

import io
import shutil
import subprocess

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from hwpx import HwpxDocument

from events import dates
from events.tests.factories import (
    AttendanceFactory,
    PresentationFactory,
)
from files.tests.samples import SAMPLES
from followups.models import StakeholderRequest
from followups.tests.factories import StakeholderRequestFactory
from pledges.models import Commitment
from reports import selectors
from reports.models import ReportForm
from stakeholders.tests.factories import MinistryFactory, OrganizationFactory, PersonFactory

from .forms import ministry_form
from .reading import HOSTILE_WRITTEN, assert_valid_hwpx, docx_texts, filename, hwpx_texts

pytestmark = pytest.mark.django_db


def test_a_coordinator_downloads_the_report_as_hwpx_in_korean(client, coordinator, meeting):
    client.force_login(coordinator)
    response = client.get(reverse("meeting-report-hwpx", args=[meeting.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/hwp+zip"
    assert filename(response) == "결과보고_AI 팩토리 현장 간담회_2025-09-19.hwpx"
    assert "no-store" in response["Cache-Control"]
    content = response.content
    assert_valid_hwpx(content)
    texts = hwpx_texts(content)
    text = "\n".join(texts)
    with translation.override("ko"):
        when = dates.meeting_when(meeting)
    assert "AI 팩토리 현장 간담회: result report" not in text
    assert texts[0] == "「AI 팩토리 현장 간담회」 결과 보고"
    for expected in (
        "AI 대전환 릴레이 현장 간담회 제3차",
        when,
        "포스코 광양제철소 (전남 광양시)",
        "산업통상자원부 장관",
        "1. 기관별 참석자",
        "과학기술정보통신부",
        "김철강 (상무)",
        "제철 공정의 AI 전환",
        "AI 데이터센터 전력 요금 특례",
        "답변 완료 (과학기술정보통신부)",
        "2026년 상반기에 특례 요금제를 마련합니다.",
        "현장 인력 양성 예산",
        "처리 중 (과학기술정보통신부)",
        "스마트공장 보급 확대",
        HOSTILE_WRITTEN,
    ):
        assert expected in texts, expected
    # Who did not come, and an answer the company has not received, are not in it.
    assert "이불참" not in text
    assert "내부 검토 초안" not in text
    # python-hwpx reads the same text.
    assert "AI 데이터센터 전력 요금 특례" in HwpxDocument.open(io.BytesIO(content)).text.plain()


def test_the_docx_holds_the_same_report(client, coordinator, meeting):
    client.force_login(coordinator)
    response = client.get(reverse("meeting-report-docx", args=[meeting.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert filename(response) == "결과보고_AI 팩토리 현장 간담회_2025-09-19.docx"
    texts = docx_texts(response.content)
    assert texts[0] == "「AI 팩토리 현장 간담회」 결과 보고"
    for expected in (
        "1. 기관별 참석자",
        "3. 건의 사항과 답변",
        "김철강 (상무)",
        "2026년 상반기에 특례 요금제를 마련합니다.",
        "100개 (2024) → 500개 (2030)",
        HOSTILE_WRITTEN,
    ):
        assert expected in texts, expected
    assert not any("내부 검토 초안" in t for t in texts)


def test_english_readers_get_it_in_english(client, coordinator, meeting):
    client.force_login(coordinator)
    for name in ("meeting-report-docx", "meeting-report-hwpx"):
        response = client.get(reverse(name, args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="en")
        extension = name.rpartition("-")[2]
        assert filename(response) == f"Result report_AI factory roundtable_2025-09-19.{extension}"
        texts = (
            docx_texts(response.content) if extension == "docx" else hwpx_texts(response.content)
        )
        assert texts[0] == "AI factory roundtable: result report"
        for expected in (
            "AI relay roundtables, no. 3",
            "Kim Cheol (상무)",
            "POSCO",
            "Answered (Ministry of Science and ICT)",
            "More smart factories",
        ):
            assert expected in texts, (extension, expected)


def test_hostile_text_leaves_both_files_whole(client, coordinator, meeting):
    """A request's "<", "&", "]]>" and control characters: both files open and validate, and
    hold the text as typed (control characters, which XML cannot carry, dropped)."""
    StakeholderRequestFactory(meeting=meeting, text="\x08\x1f<![CDATA[&amp;\ufffe")
    client.force_login(coordinator)
    hwpx = client.get(reverse("meeting-report-hwpx", args=[meeting.pk])).content
    assert_valid_hwpx(hwpx)
    assert "<![CDATA[&amp;" in hwpx_texts(hwpx)
    word = client.get(reverse("meeting-report-docx", args=[meeting.pk])).content
    assert "<![CDATA[&amp;" in docx_texts(word)


def test_the_docx_converts_with_libreoffice(client, coordinator, meeting, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip(
            "LibreOffice is not installed: the DOCX report was NOT converted "
            "(apt-get install libreoffice-writer-nogui)"
        )
    client.force_login(coordinator)
    source = tmp_path / "report.docx"
    source.write_bytes(client.get(reverse("meeting-report-docx", args=[meeting.pk])).content)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = (tmp_path / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 10_000


def test_only_staff_who_may_see_the_meeting_download_it(
    client, make_staff, viewer, meeting, django_user_model
):
    urls = [
        reverse("meeting-report-hwpx", args=[meeting.pk]),
        reverse("meeting-report-docx", args=[meeting.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    # Staff with no role may see no meeting.
    client.force_login(django_user_model.objects.create_user("new", is_staff=True))
    assert [client.get(url).status_code for url in urls] == [403, 403]
    # One who may read meetings but not internal ones, on an internal meeting.
    reader = django_user_model.objects.create_user("reader", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    client.force_login(reader)
    assert [client.get(url).status_code for url in urls] == [200, 200]
    meeting.visibility = meeting.Visibility.INTERNAL
    meeting.save()
    assert [client.get(url).status_code for url in urls] == [403, 403]
    client.force_login(viewer)
    assert [client.get(url).status_code for url in urls] == [200, 200]
    missing = reverse("meeting-report-hwpx", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(missing).status_code == 404


def test_an_officer_reads_their_own_ministrys_requests_only(client, officer, meeting):
    StakeholderRequestFactory(
        meeting=meeting, text="다른 부처의 건의", ministry=MinistryFactory(name="국토교통부")
    )
    client.force_login(officer)
    texts = docx_texts(client.get(reverse("meeting-report-docx", args=[meeting.pk])).content)
    assert "AI 데이터센터 전력 요금 특례" in texts
    assert not any("다른 부처의 건의" in t for t in texts)


def test_the_report_costs_the_same_queries_for_one_row_as_for_many(
    client, coordinator, meeting, ministry
):
    client.force_login(coordinator)
    url = reverse("meeting-report-docx", args=[meeting.pk])
    client.get(url)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    for number in range(10):
        company = OrganizationFactory()
        AttendanceFactory(
            meeting=meeting, organization=company, person=PersonFactory(organization=company)
        )
        PresentationFactory(meeting=meeting, organization=company)
        StakeholderRequestFactory(meeting=meeting, organization=company, ministry=ministry)
        Commitment.objects.create(title=f"약속 {number}", kind="target", meeting=meeting)
    assert queries() == few


def test_the_meeting_page_offers_the_downloads(client, coordinator, meeting):
    form = ReportForm(
        title="산업부 결과보고 양식", file=SimpleUploadedFile("양식.hwpx", ministry_form())
    )
    from reports import services

    services.report_form_save(form=form, user=coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("admin:events_meeting_change", args=[meeting.pk])).content.decode()
    assert "결과 보고" in page
    for url in (
        reverse("meeting-report-hwpx", args=[meeting.pk]),
        reverse("meeting-report-docx", args=[meeting.pk]),
        reverse("meeting-report-form", args=[meeting.pk, form.pk]),
    ):
        assert f'href="{url}"' in page
    assert "“산업부 결과보고 양식” 양식의 HWPX" in page


def test_a_coordinator_uploads_the_ministrys_form_and_the_report_fills_it(
    client, coordinator, meeting
):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:reports_reportform_add"),
        {"title": "산업부 양식", "file": SimpleUploadedFile("결과보고 양식.hwpx", ministry_form())},
    )
    assert response.status_code == 302
    form = ReportForm.objects.get()
    assert (form.name, form.uploaded_by) == ("결과보고 양식.hwpx", coordinator)
    page = client.get(reverse("admin:reports_reportform_change", args=[form.pk])).content.decode()
    assert "일시, 장소, 주재, 참석자, 건의 사항" in page

    response = client.get(reverse("meeting-report-form", args=[meeting.pk, form.pk]))
    assert response.status_code == 200
    assert filename(response) == "결과보고_AI 팩토리 현장 간담회_2025-09-19.hwpx"
    assert_valid_hwpx(response.content)
    table = HwpxDocument.open(io.BytesIO(response.content)).tables[0]

    def cell(row, column):
        return "\n".join(p.text for p in table.cell(row, column).paragraphs)

    with translation.override("ko"):
        assert cell(0, 1) == dates.meeting_when(meeting)
    assert cell(1, 1) == "포스코 광양제철소 (전남 광양시)"
    assert cell(2, 1) == "산업통상자원부 장관"
    assert cell(4, 0) == "과학기술정보통신부\n포스코: 김철강 (상무)"
    assert "1. [포스코] AI 데이터센터 전력 요금 특례 — 답변 완료 (과학기술정보통신부)" in cell(4, 1)
    assert "→ 2026년 상반기에 특례 요금제를 마련합니다." in cell(4, 1)
    assert "내부 검토 초안" not in cell(4, 1)
    # The labels and what is not a label stay as they were.
    assert [cell(0, 0), cell(3, 0), cell(3, 1), cell(5, 0), cell(5, 1)] == [
        "일 시",
        "참석자",
        "주요 건의사항",
        "비고",
        "부서장 확인 후 배포",
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("양식.hwpx", SAMPLES["건의서.pdf"], "실제 HWPX 파일이 아닙니다"),
        ("양식.docx", SAMPLES["건의서.docx"], "HWPX 파일이 아닙니다"),
        ("양식.hwpx", SAMPLES["건의서.hwpx"], "HWPX 문서로 읽을 수 없습니다"),
    ],
)
def test_a_form_that_is_no_readable_hwpx_is_refused(client, coordinator, name, content, message):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:reports_reportform_add"),
        {"title": "양식", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReportForm.objects.exists()


def test_only_answers_a_company_could_see_are_shown():
    held = StakeholderRequest(status="answered", response="공개 전 답변")
    assert selectors.answer_shown(held) == ""
    shown = {
        status: selectors.answer_shown(
            StakeholderRequest(status=status, response="답변", published_at=timezone.now())
        )
        for status in StakeholderRequest.Status.values
    }
    assert shown == {
        "new": "",
        "assigned": "",
        "in_progress": "",
        "answered": "답변",
        "closed": "답변",
        "declined": "답변",
    }


def test_a_form_is_replaced_by_a_new_file(
    client, coordinator, private_files, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    client.post(
        reverse("admin:reports_reportform_add"),
        {"title": "양식", "file": SimpleUploadedFile("첫 양식.hwpx", ministry_form())},
    )
    form = ReportForm.objects.get()
    first = form.file.name
    page = client.get(reverse("admin:reports_reportform_change", args=[form.pk])).content
    assert first.encode() not in page  # the stored file has no address to link to
    # Saved again without a file, it keeps its file.
    client.post(reverse("admin:reports_reportform_change", args=[form.pk]), {"title": "새 이름"})
    form.refresh_from_db()
    assert (form.title, form.file.name) == ("새 이름", first)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:reports_reportform_change", args=[form.pk]),
            {"title": "새 이름", "file": SimpleUploadedFile("둘째 양식.hwpx", ministry_form())},
        )
    form.refresh_from_db()
    assert form.name == "둘째 양식.hwpx" and form.file.name != first
    assert not (private_files / first).exists()
    assert (private_files / form.file.name).exists()
