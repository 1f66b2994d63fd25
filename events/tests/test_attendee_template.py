"""The blank attendee list a coordinator downloads, fills in Excel and imports again: a sheet
named in Korean, drop-downs for role and status, a guide; and the import's answers name the
row as Excel numbers it."""

import io

import openpyxl
import pytest

from events.tests.factories import MeetingFactory
from events.tests.test_attendee_import import IMPORT, ROWS, confirm, preview, workbook

pytestmark = pytest.mark.django_db

TEMPLATE = f"{IMPORT}template/"


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def blank_list(client, **headers):
    response = client.get(TEMPLATE, **headers)
    assert response.status_code == 200
    return response, openpyxl.load_workbook(io.BytesIO(response.content))


def saved(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def drop_downs(sheet) -> dict:
    """The listed choices of each column with a drop-down, by its header."""
    headers = {cell.column_letter: cell.value for cell in sheet[1]}
    return {
        headers[str(check.sqref).split(":")[0].rstrip("0123456789")]: check.formula1.strip('"')
        for check in sheet.data_validations.dataValidation
    }


def test_the_blank_list_is_a_korean_sheet_with_drop_downs_and_a_guide(coordinator_client):
    response, book = blank_list(coordinator_client)
    assert (
        "filename*=UTF-8''%EC%B0%B8%EC%84%9D%EC%9E%90%20%EB%AA%85%EB%8B%A8_"
        in (response["Content-Disposition"])
    )
    assert book.sheetnames == ["참석자", "작성 안내"]
    sheet = book["참석자"]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [
        "기관",
        "이름(한글)",
        "이름(영문)",
        "직위",
        "이메일",
        "전화",
        "역할",
        "상태",
        "대리 대상",
        "메모",
    ]
    assert drop_downs(sheet) == {
        "역할": "주재,발표,기업,전문가,정부 부처,기타",
        "상태": "초청,확정,참석,불참,대리 참석",
    }
    check = sheet.data_validations.dataValidation[0]
    assert check.showErrorMessage and check.error == "목록에서 하나를 고르세요."
    assert str(check.sqref) == "G2:G1000"
    assert [cell.value for cell in sheet[2]][:2] == ["LG전자", "홍길동"]  # the example
    guide = {row[0]: row[1] for row in book["작성 안내"].iter_rows(min_row=2, values_only=True)}
    assert guide["역할"] == (
        "목록에서 하나를 고르세요(주재, 발표, 기업, 전문가, 정부 부처, 기타). 비워 두면 기업입니다."
    )
    assert all(guide[header] for header in headers)  # every column explained


def test_in_english_the_blank_list_is_english(coordinator_client):
    _, book = blank_list(coordinator_client, HTTP_ACCEPT_LANGUAGE="en")
    assert book.sheetnames == ["Attendees", "How to fill in"]
    assert drop_downs(book["Attendees"])["Role"] == "Host,Presenter,Company,Expert,Ministry,Other"


def test_a_list_filled_in_from_the_drop_downs_imports_labels_and_codes(coordinator_client):
    _, book = blank_list(coordinator_client)
    sheet = book["참석자"]
    sheet.append(["LG전자", "박가전", "", "", "park@lg.example", "", "발표", "불참"])
    sheet.append(["LG전자", "이엘지", "", "", "lee@lg.example", "", "expert", "confirmed"])
    book.active = 1  # saved while reading the guide
    meeting = MeetingFactory()
    response = preview(coordinator_client, meeting, saved(book))
    assert response.context["confirm_form"] is not None, response.content.decode()
    confirm(coordinator_client, response)
    assert set(meeting.attendances.values_list("person__name", "role", "status")) == {
        ("박가전", "presenter", "absent"),
        ("이엘지", "expert", "confirmed"),
    }


@pytest.mark.parametrize("rows", [[], [[None] * 10]], ids=["untouched", "only-empty-rows"])
def test_a_blank_list_sent_back_unchanged_is_refused(coordinator_client, rows):
    _, book = blank_list(coordinator_client)
    for row in rows:
        book["참석자"].append(row)
    response = preview(coordinator_client, MeetingFactory(), saved(book))
    html = response.content.decode()
    assert "파일에 참석자가 없습니다." in html
    assert response.context.get("confirm_form") is None
    assert "Traceback" not in html and "0건" not in html


def test_errors_name_the_row_as_excel_numbers_it(coordinator_client):
    rows = [
        ROWS[0],
        [None] * 9,  # row 3, empty: skipped, still counted by Excel
        ["LG전자", "김오류", "", "", "kim@lg.example", "", "사회자", "", ""],  # row 4
        ["LG전자", "정메일", "", "", "not-an-email", "", "", "", None],  # row 5
    ]
    response = preview(coordinator_client, MeetingFactory(), workbook(rows))
    html = response.content.decode()
    assert "4행: 역할: “사회자” 값은 쓸 수 없습니다." in html
    assert "5행: 이메일:" in html
    numbers = [row.number for row in response.context["result"].invalid_rows]
    assert numbers == [4, 5]
    assert "None" not in html  # empty cells of the bad rows stay empty


def test_the_preview_shows_empty_cells_as_empty(coordinator_client, lg):
    response = preview(coordinator_client, MeetingFactory(), workbook(ROWS))
    assert response.context["confirm_form"] is not None
    table = response.content.decode().split('class="import-preview"')[1]
    assert "None" not in table
    assert "기관 단위 초청" in table  # the organization-only row is there


def test_a_file_error_is_a_sentence_not_a_traceback(coordinator_client):
    response = preview(coordinator_client, MeetingFactory(), workbook([["박"]], headers=["성명"]))
    html = response.content.decode()
    assert "“기관” 열이 없습니다" in html
    assert "Traceback" not in html and "['" not in html


def test_the_guide_explains_every_column_of_the_list(coordinator_client):
    _, book = blank_list(coordinator_client)
    explained = [row[0] for row in book["작성 안내"].iter_rows(min_row=2, values_only=True)]
    assert explained[:10] == [cell.value for cell in book["참석자"][1]]
