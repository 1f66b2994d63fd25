"""Which files a company may attach: the type is read from the content."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from files import checks
from files.tests.samples import SAMPLES, upload


@pytest.mark.parametrize("name", SAMPLES)
def test_each_allowed_type_is_accepted_by_its_content(name):
    mime = checks.checked_type(upload(name))
    assert mime == checks.MIME_TYPES[name.rsplit(".", 1)[1]]


@pytest.mark.parametrize(
    "name, content, code",
    [
        ("설치.exe", b"MZ\x90\x00", "file_type"),
        ("악성.pdf", b"MZ\x90\x00" + b"\0" * 100, "file_content"),  # a program renamed
        ("사진.pdf", SAMPLES["공정.png"], "file_content"),  # an image is not a PDF
        ("표.xlsx", SAMPLES["건의서.docx"], "file_content"),  # a document is not a workbook
        ("빈.zip.docx", SAMPLES["건의서.hwpx"], "file_content"),  # a zip without Word's parts
        ("문서.hwp", SAMPLES["건의서.pdf"], "file_content"),
        ("문서.hwpx", SAMPLES["현황.xlsx"], "file_content"),
        ("빈.pdf", b"", "file_content"),
    ],
)
def test_a_file_whose_content_does_not_match_is_refused(name, content, code):
    with pytest.raises(ValidationError) as refused:
        checks.checked_type(SimpleUploadedFile(name, content))
    assert refused.value.code == code
    assert name in str(refused.value.messages)


def test_a_file_over_the_limit_is_refused(settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as refused:
        checks.checked_type(upload("건의서.hwp"))  # 5 KB
    assert refused.value.code == "file_size"


def test_a_hwpx_whose_mimetype_entry_is_huge_is_not_unpacked():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"application/hwp+zip" + b" " * 10_000_000)
    with pytest.raises(ValidationError):
        checks.checked_type(SimpleUploadedFile("큰.hwpx", buffer.getvalue()))


@pytest.mark.parametrize("name", ["건의서.hwpx", "건의서.docx", "건의서.hwp"])
def test_a_truncated_file_is_refused_not_a_500(name):
    with pytest.raises(ValidationError):
        truncated = SAMPLES[name][: len(SAMPLES[name]) // 10]
        checks.checked_type(SimpleUploadedFile(name, truncated))
