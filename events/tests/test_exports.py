"""Meetings and attendance leave the admin as Excel or CSV with Korean headers."""

import pytest

from events.models import Meeting
from events.resources import AttendeeImport
from events.tests.factories import MeetingFactory
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
