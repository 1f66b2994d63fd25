"""Meetings and attendance leave the admin as Excel or CSV with Korean headers."""

import datetime
import io
import urllib.parse

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Meeting
from events.resources import AttendeeImport
from events.tests.factories import MeetingFactory, timed_meeting
from files.spreadsheets import FORMATS, KoreanCSV
from files.spreadsheets import SafeXLSX as XLSX
from files.tests.exports import export

pytestmark = pytest.mark.django_db


def test_meetings_export_to_excel_as_people_read_them(client, viewer, seeded):
    client.force_login(viewer)
    sheet = export(client, "events/meeting", XLSX)
    assert len(sheet) == 4
    [factory] = [row for row in sheet.dict if row["차수"] == 2]
    assert factory["제목(한글)"] == "AI 팩토리 현장 간담회"
    assert factory["간담회 시리즈"] == "AI 대전환 릴레이 현장 간담회"
    assert factory["주소"] == "대전광역시 유성구"
    assert (factory["상태"], factory["공개 범위"]) == ("개최 완료", "공개")  # labels, not codes
    assert factory["참석자"] == 7  # numbers stay numbers


def test_an_exported_attendee_list_imports_into_another_meeting(client, coordinator, seeded):
    client.force_login(coordinator)
    factory = Meeting.objects.get(relay_number=2)
    sheet = export(client, "events/attendance", meeting__id__exact=factory.pk)
    assert len(sheet) == factory.attendances.count()
    assert sheet.headers[:3] == ["간담회", "기관", "이름(한글)"]
    assert {"포스코", "LG전자", "기획재정부"} <= {row["기관"] for row in sheet.dict}
    next_meeting = MeetingFactory()
    result = AttendeeImport(meeting=next_meeting).import_data(sheet, dry_run=False)
    assert not (result.has_errors() or result.has_validation_errors())
    copied = {(a.organization_id, a.person_id, a.role) for a in next_meeting.attendances.all()}
    assert copied == {(a.organization_id, a.person_id, a.role) for a in factory.attendances.all()}


def test_an_english_export_has_english_headers_and_reads_back(client, coordinator, seeded):
    client.force_login(coordinator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    factory = Meeting.objects.get(relay_number=2)
    sheet = export(client, "events/attendance", meeting__id__exact=factory.pk)
    assert sheet.headers[:3] == ["Meeting", "Organization", "Name (Korean)"]
    result = AttendeeImport(meeting=MeetingFactory()).import_data(sheet, dry_run=True)
    assert not (result.has_errors() or result.has_validation_errors())


def export_response(client, model_path, file_format=XLSX, **filters):
    """The export page's answer itself: its headers and the file's bytes."""
    url = f"/admin/{model_path}/export/"
    form = client.get(url, filters).context["form"]
    data = {name: "on" for name, field in form.fields.items() if hasattr(field, "resource_name")}
    data.update(format=FORMATS.index(file_format), resource=0)
    response = client.post(url, data)
    assert response.status_code == 200
    return response


# 01:30 on 2 December in Seoul, still 1 December in UTC.
@pytest.mark.time_machine(datetime.datetime(2026, 12, 1, 16, 30, tzinfo=datetime.UTC), tick=False)
def test_an_export_is_named_in_korean_after_the_day_in_seoul(client, viewer):
    MeetingFactory()
    client.force_login(viewer)
    response = export_response(client, "events/meeting")
    assert response["Content-Disposition"] == (
        'attachment; filename="meetings_2026-12-02.xlsx"; '
        "filename*=UTF-8''%EA%B0%84%EB%8B%B4%ED%9A%8C_2026-12-02.xlsx"
    )
    assert urllib.parse.unquote(response["Content-Disposition"].split("''")[1]) == (
        "간담회_2026-12-02.xlsx"
    )
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    response = export_response(client, "events/meeting", KoreanCSV)
    assert response["Content-Disposition"].endswith("filename*=UTF-8''meetings_2026-12-02.csv")


def test_dates_and_times_are_excel_dates_in_seoul_time(client, viewer):
    timed_meeting(datetime.datetime(2026, 12, 3, 5, 0, tzinfo=datetime.UTC), title="시간 있는")
    MeetingFactory(title="종일", start_date=datetime.date(2026, 12, 4))
    client.force_login(viewer)
    book = openpyxl.load_workbook(io.BytesIO(export_response(client, "events/meeting").content))
    assert book.sheetnames == ["간담회"]
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    rows = {row[headers.index("제목(한글)")].value: row for row in sheet.iter_rows(min_row=2)}
    starts = rows["시간 있는"][headers.index("시작 일시")]
    assert starts.is_date and starts.value == datetime.datetime(2026, 12, 3, 14, 0)  # 14:00 KST
    assert starts.number_format == "yyyy-mm-dd hh:mm"
    day = rows["종일"][headers.index("첫째 날")]
    assert day.is_date and day.value == datetime.datetime(2026, 12, 4, 0, 0)
    assert day.number_format == "yyyy-mm-dd"
    # Empty cells are empty, not "None".
    assert rows["종일"][headers.index("시작 일시")].value is None
    assert all(cell.value != "None" for row in rows.values() for cell in row)


def test_a_csv_export_writes_times_as_people_do(client, viewer):
    timed_meeting(datetime.datetime(2026, 12, 3, 5, 0, tzinfo=datetime.UTC))
    client.force_login(viewer)
    [row] = export(client, "events/meeting", KoreanCSV).dict
    assert row["시작 일시"] == "2026-12-03 14:00"
    assert row["첫째 날"] == ""


def test_an_export_costs_the_same_queries_for_one_meeting_as_for_many(client, viewer):
    client.force_login(viewer)
    MeetingFactory()
    export_response(client, "events/meeting")  # caches warm
    with CaptureQueriesContext(connection) as one:
        export_response(client, "events/meeting")
    MeetingFactory.create_batch(5)
    with CaptureQueriesContext(connection) as many:
        book = openpyxl.load_workbook(io.BytesIO(export_response(client, "events/meeting").content))
    assert book.active.max_row == 7
    assert len(many) == len(one)
