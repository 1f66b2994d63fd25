"""Every file part of a multipart body reaches the form, whatever its name: the parser Django
runs by itself drops some without a word (files.uploads)."""

import io
import random

import pytest
from django.core.files.uploadhandler import MemoryFileUploadHandler

from files import uploads
from files.tests.samples import SAMPLES

BOUNDARY = b"----boundaryQfR8"


def body(file_header: bytes, content: bytes) -> bytes:
    return (
        b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="title"\r\n\r\n'
        b"\xec\x9d\x98\xea\xb2\xac\r\n"
        b"--"
        + BOUNDARY
        + b'\r\nContent-Disposition: form-data; name="file"; '
        + file_header
        + b"\r\nContent-Type: application/octet-stream\r\n\r\n"
        + content
        + b"\r\n"
        b"--" + BOUNDARY + b"--\r\n"
    )


@pytest.mark.parametrize(
    "file_header, name",
    [
        ('filename="건의서.pdf"'.encode(), "건의서.pdf"),
        ('filename="건의서.pdf"'.encode("cp949"), None),  # read as UTF-8, with U+FFFD
        (b'filename=".."', "\ufffd"),
        (b'filename="\xe2\x80\x8b"', "\ufffd"),
    ],
)
def test_every_file_part_reaches_the_form_with_its_content_untouched(file_header, name):
    # Content with bytes that are not UTF-8 and blank lines, as real files have.
    content = SAMPLES["건의서.hwp"] + b"\r\n\r\n\xb0\xc7"
    raw = body(file_header, content)
    meta = {
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY.decode()}",
        "CONTENT_LENGTH": str(len(raw)),
    }
    parser = uploads._ReadableNamesParser(meta, io.BytesIO(raw), [MemoryFileUploadHandler()])
    post, files = parser.parse()
    assert post["title"] == "의견"
    [upload] = files.getlist("file")
    assert upload.read() == content
    if name is None:
        assert "\ufffd" in upload.name and upload.name.endswith(".pdf")
    else:
        assert upload.name == name


def test_the_body_passes_unchanged_however_it_is_read(monkeypatch):
    """Valid headers and any content come out byte for byte, with reads of any size cutting
    boundaries and header ends anywhere."""
    generator = random.Random(7)
    for _ in range(300):
        monkeypatch.setattr(uploads, "READ_SIZE", generator.randint(1, 40))
        content = bytes(generator.randrange(256) for _ in range(generator.randint(0, 120)))
        raw = body('filename="현황.xlsx"'.encode(), content.replace(b"--", b"-+"))
        stream = uploads._ReadableHeaders(io.BytesIO(raw), BOUNDARY)
        read = b""
        while chunk := stream.read(generator.randint(1, 60)):
            read += chunk
        assert read == raw
