"""Office files are zips: the number of their parts and the size they unpack to are read from
the central directory and capped before anything opens them."""

import io
import struct
import time
import zipfile

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from files import archives, checks
from files.tests.samples import SAMPLES

ESSENTIAL = {
    "docx": ["[Content_Types].xml", "word/document.xml"],
    "xlsx": ["[Content_Types].xml", "xl/workbook.xml"],
    "pptx": ["[Content_Types].xml", "ppt/presentation.xml"],
}


def zipped(names, *, empty_parts=0, mimetype=None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype:
            archive.writestr("mimetype", mimetype)
        for name in names:
            archive.writestr(name, b"<x/>")
        for number in range(empty_parts):
            archive.writestr(f"p/{number}", b"")
    return buffer.getvalue()


def claiming_unpacked_size(content: bytes, name: str, size: int) -> bytes:
    """`content` with the directory entry of `name` claiming it unpacks to `size` bytes."""
    data = bytearray(content)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name.encode():
            struct.pack_into("<L", data, at + 24, size)
            return bytes(data)
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{name} is not in the archive")


@pytest.mark.parametrize(
    "extension, parts", [("docx", 100_000), ("xlsx", 20_000), ("pptx", 20_000), ("hwpx", 20_000)]
)
def test_a_file_of_too_many_parts_is_refused_before_it_is_opened(extension, parts):
    if extension == "hwpx":
        content = zipped([], empty_parts=parts, mimetype=b"application/hwp+zip")
    else:
        content = zipped(ESSENTIAL[extension], empty_parts=parts)
    started = time.process_time()
    with pytest.raises(ValidationError) as refused:
        checks.checked_type(SimpleUploadedFile(f"건의서.{extension}", content))
    assert time.process_time() - started < 0.5  # zipfile alone took 3.5 s for 100,000
    assert refused.value.code == "file_parts"
    assert "10,000" in str(refused.value.messages)


def test_parts_counted_in_a_zip64_directory_are_refused_too():
    # Past 65,535 parts the counts move to the zip64 end record.
    content = zipped(ESSENTIAL["docx"], empty_parts=70_000)
    assert archives.directory(io.BytesIO(content))[0] == 70_002
    with pytest.raises(ValidationError) as refused:
        checks.checked_type(SimpleUploadedFile("건의서.docx", content))
    assert refused.value.code == "file_parts"


def test_a_directory_that_claims_fewer_parts_than_it_holds_is_counted():
    content = bytearray(zipped(ESSENTIAL["docx"], empty_parts=20_000))
    end = content.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", content, end + 8, 3, 3)  # "3 entries"
    with pytest.raises(ValidationError) as refused:
        checks.checked_type(SimpleUploadedFile("건의서.docx", bytes(content)))
    assert refused.value.code == "file_parts"


def test_a_part_that_claims_to_unpack_to_gigabytes_is_refused():
    content = claiming_unpacked_size(SAMPLES["건의서.docx"], "word/document.xml", 2**32 - 2)
    with pytest.raises(ValidationError) as refused:
        checks.checked_type(SimpleUploadedFile("건의서.docx", content))
    assert refused.value.code == "file_unpacked_size"
    with translation.override("en"):
        message = " ".join(refused.value.messages)
    assert "unpacks to 4.0\xa0GB" in message and "at most 512.0\xa0MB" in message


@pytest.mark.django_db
def test_an_attendee_list_of_too_many_parts_is_refused_before_it_is_read(client, coordinator):
    from events.tests.factories import MeetingFactory

    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = zipped(ESSENTIAL["xlsx"], empty_parts=20_000)
    response = client.post(
        "/admin/events/attendance/import/",
        {
            "meeting": MeetingFactory().pk,
            "format": 0,  # Excel
            "import_file": SimpleUploadedFile("참석자 명단.xlsx", content),
        },
    )
    assert response.status_code == 200
    assert "“참석자 명단.xlsx” holds more than 10,000 parts inside" in response.content.decode()
