"""Coordinators import attendee lists from Excel or CSV: a preview first (a dry run), names and
aliases matched to known organizations, people matched by email, and a bad row saves nothing."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import Attendance
from events.resources import AttendeeImport
from events.tests.factories import MeetingFactory
from files.spreadsheets import KoreanCSV
from stakeholders.models import Organization, Person
from stakeholders.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

IMPORT = "/admin/events/attendance/import/"
HEADERS = ["기관", "성명", "영문 성명", "직위", "이메일", "전화", "역할", "상태", "비고"]
ROWS = [
    ["LG Electronics", "박가전", "Park Gajeon", "상무", "park@lg.example", "", "기업", "초청", ""],
    ["엘지전자", "이엘지", "", "책임", "lee@lg.example", "", "발표", "확정", "발표 2번"],
    ["㈜신규로봇", "", "", "", "", "", "", "", "기관 단위 초청"],
]
XLSX, CSV = 0, 1  # the formats' order on the import page


def workbook(rows, headers=HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [headers, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def preview(client, meeting, content, name="참석자 명단.xlsx", file_format=XLSX):
    return client.post(
        IMPORT,
        {
            "meeting": meeting.pk,
            "format": file_format,
            "import_file": SimpleUploadedFile(name, content),
        },
    )


def confirm(client, previewed):
    form = previewed.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post("/admin/events/attendance/process_import/", data)


@pytest.fixture
def staffed(client, coordinator, lg):
    PersonFactory(organization=lg, name="박가전", email="park@lg.example")
    client.force_login(coordinator)
    return client


def test_the_preview_matches_names_and_aliases_and_saves_nothing(staffed):
    meeting = MeetingFactory()
    organizations = Organization.objects.count()
    response = preview(staffed, meeting, workbook(ROWS))
    assert response.status_code == 200
    html = response.content.decode()
    assert "“LG Electronics” is LG전자" in html or "“LG Electronics”" in html
    for text in ("새 기관", "새 인물", "알고 있는 인물"):
        assert text in html, text
    assert response.context["confirm_form"] is not None
    assert not Attendance.objects.exists()
    assert Organization.objects.count() == organizations  # the preview was rolled back


def test_confirming_imports_the_list_into_the_meeting(staffed, lg):
    meeting = MeetingFactory()
    version = meeting.version
    response = confirm(staffed, preview(staffed, meeting, workbook(ROWS)))
    assert response.url == f"/admin/events/attendance/?meeting__id__exact={meeting.pk}"
    listed = staffed.get(response.url)
    assert "가져왔습니다: 새로 3건" in listed.content.decode()
    assert len(listed.context["cl"].result_list) == 3
    rows = {
        (a.organization.name, a.person.name if a.person else None): (a.role, a.status, a.note)
        for a in meeting.attendances.select_related("organization", "person")
    }
    assert rows == {
        ("LG전자", "박가전"): ("company", "invited", ""),
        ("LG전자", "이엘지"): ("presenter", "confirmed", "발표 2번"),
        ("㈜신규로봇", None): ("company", "invited", "기관 단위 초청"),
    }
    added = Person.objects.get(email="lee@lg.example")
    assert added.organization == lg
    # Where the details came from, and on what basis, for the privacy record.
    assert (added.source, added.legal_basis) == ("organization", "public_duty")
    assert added.legal_basis_date is not None
    assert Organization.objects.get(name="㈜신규로봇").kind == Organization.Kind.COMPANY
    meeting.refresh_from_db()
    assert meeting.version > version  # calendar clients see the new list


def test_importing_the_same_list_again_updates_instead_of_duplicating(staffed):
    meeting = MeetingFactory()
    confirm(staffed, preview(staffed, meeting, workbook(ROWS)))
    changed = [[*ROWS[0][:7], "참석", "다시"], [*ROWS[1][:5], "", "", "", ""]]
    response = preview(staffed, meeting, workbook(changed))
    assert "이미 명단에 있음" in response.content.decode()
    confirm(staffed, response)
    assert meeting.attendances.count() == 3
    again = meeting.attendances.get(person__email="park@lg.example")
    assert (again.status, again.note) == ("attended", "다시")
    # Empty cells keep what the list says: the presenter stays a confirmed presenter.
    kept = meeting.attendances.get(person__email="lee@lg.example")
    assert (kept.role, kept.status, kept.note) == ("presenter", "confirmed", "발표 2번")


def test_blank_rows_are_skipped_and_spreadsheet_quirks_are_read(staffed, lg):
    meeting = MeetingFactory()
    replaced = PersonFactory(organization=lg, name="정원래", email="jung@lg.example")
    rows = [
        ROWS[0],
        [None] * 9,  # a formatted empty row Excel keeps
        ["LG전자", "최대리", "", "", "choi@lg.example", 1012345678, "", "대리", "정원래", ""],
    ]
    headers = [*HEADERS[:8], "대신하는 사람", "비고"]
    response = preview(staffed, meeting, workbook(rows, headers))
    assert response.context["confirm_form"] is not None, response.content.decode()
    confirm(staffed, response)
    substitute = meeting.attendances.get(person__email="choi@lg.example")
    assert (substitute.status, substitute.replaces) == ("substitute", replaced)
    assert substitute.person.phone == "01012345678"  # the zero Excel drops


@pytest.mark.parametrize(
    ("headers", "rows", "message"),
    [
        (["기관", "소속 기관", "성명"], [["LG전자", "전략팀", "홍"]], "두 번 이상"),
        (HEADERS, [["산업부", "", "", "", "", "", "부처", "", ""]], "“산업부”(이)라는 기관"),
        (
            [*HEADERS[:8], "대신하는 사람"],
            [["LG전자", "대리인", "", "", "proxy@lg.example", "", "", "대리 참석", "없는사람"]],
            "없는사람",
        ),
    ],
    ids=["column-twice", "unknown-ministry", "unknown-replaced"],
)
def test_files_that_cannot_be_read_as_meant_are_refused(staffed, headers, rows, message):
    organizations = Organization.objects.count()
    response = preview(staffed, MeetingFactory(), workbook(rows, headers))
    assert message in response.content.decode()
    assert response.context.get("confirm_form") is None
    assert Organization.objects.count() == organizations


def test_confirming_twice_imports_once_and_says_so(staffed):
    meeting = MeetingFactory()
    previewed = preview(staffed, meeting, workbook(ROWS))
    assert confirm(staffed, previewed).status_code == 302
    again = confirm(staffed, previewed)
    assert again.status_code == 302 and again.url == IMPORT
    assert meeting.attendances.count() == 3
    messages = [str(m) for m in again.wsgi_request._messages]
    assert any("미리 본 파일이 없습니다" in m for m in messages), messages


def test_a_list_that_changed_since_the_preview_imports_nothing(staffed):
    meeting = MeetingFactory()
    previewed = preview(staffed, meeting, workbook(ROWS))
    # Meanwhile someone gives 박가전's email to a contact of another organization.
    Person.objects.filter(email="park@lg.example").update(
        organization=Organization.objects.create(name="포스코", kind="company")
    )
    response = confirm(staffed, previewed)
    assert response.status_code == 302 and response.url == IMPORT
    assert not meeting.attendances.exists()


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (["LG전자", "김오류", "", "", "kim@lg.example", "", "사회자", "", ""], "사회자"),
        (["", "이름만", "", "", "", "", "", "", ""], "기관"),
        (["포스코", "박가전", "", "", "park@lg.example", "", "", "", ""], "park@lg.example"),
        (["LG전자", "정메일", "", "", "not-an-email", "", "", "", ""], "이메일"),
        (["LG전자", "대리인", "", "", "proxy@lg.example", "", "", "대리 참석", ""], "대리"),
    ],
)
def test_a_bad_row_is_explained_and_nothing_of_the_file_is_saved(staffed, bad_row, message):
    meeting = MeetingFactory()
    people, organizations = Person.objects.count(), Organization.objects.count()
    response = preview(staffed, meeting, workbook([*ROWS, bad_row]))
    assert response.status_code == 200
    assert response.context.get("confirm_form") is None
    assert message in response.content.decode()
    # The same file confirmed anyway (lists may change between preview and confirm).
    dataset = KoreanCSV().create_dataset(csv_bytes([*ROWS, bad_row]))
    result = AttendeeImport(meeting=meeting).import_data(
        dataset, dry_run=False, rollback_on_validation_errors=True
    )
    assert result.has_errors() or result.has_validation_errors()
    assert not Attendance.objects.exists()
    assert (Person.objects.count(), Organization.objects.count()) == (people, organizations)


def csv_bytes(rows, headers=HEADERS, encoding="utf-8-sig") -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows([headers, *rows])
    return text.getvalue().encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp949"])
def test_csv_as_excel_saves_it_in_korea_with_english_headers(staffed, encoding):
    meeting = MeetingFactory()
    headers = ["Organization", "Name (Korean)", "Email", "Role"]
    rows = [["엘지 전자", "최씨에스", "choi@lg.example", "Company"]]
    response = preview(staffed, meeting, csv_bytes(rows, headers, encoding), "list.csv", CSV)
    assert response.context["confirm_form"] is not None, response.content.decode()
    confirm(staffed, response)
    [attendance] = meeting.attendances.all()
    assert (attendance.organization.name, attendance.person.name) == ("LG전자", "최씨에스")


def test_a_file_without_an_organization_column_is_refused(staffed):
    response = preview(staffed, MeetingFactory(), workbook([["박가전"]], headers=["성명"]))
    assert "“기관” 열이 없습니다" in response.content.decode()
    assert response.context.get("confirm_form") is None


def test_the_meeting_page_links_to_the_import_for_that_meeting(staffed):
    meeting = MeetingFactory()
    page = staffed.get(f"/admin/events/meeting/{meeting.pk}/change/").content.decode()
    assert f"{IMPORT}?meeting={meeting.pk}" in page
    form = staffed.get(f"{IMPORT}?meeting={meeting.pk}").context["form"]
    assert str(form["meeting"].value()) == str(meeting.pk)


def test_only_coordinators_import(client, officer, viewer):
    for user in (officer, viewer):
        client.force_login(user)
        assert client.get(IMPORT).status_code == 403
        assert client.get(f"{IMPORT}template/").status_code == 403


def test_the_blank_list_downloads_and_its_example_row_is_left_out(staffed):
    page = staffed.get(IMPORT).content.decode()
    assert "/admin/events/attendance/import/template/" in page
    response = staffed.get("/admin/events/attendance/import/template/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]][:2] == ["기관", "이름(한글)"]
    assert sheet.cell(2, 5).value == "gildong.hong@example.com"
    sheet.append(["LG전자", "박가전", "", "", "park@lg.example"])
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    meeting = MeetingFactory()
    confirm(staffed, preview(staffed, meeting, buffer.getvalue()))
    # The example row left in is not imported; the row added below it is.
    [attendance] = meeting.attendances.select_related("person")
    assert attendance.person.name == "박가전"
    assert not Person.objects.filter(email="gildong.hong@example.com").exists()
