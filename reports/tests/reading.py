"""Reading a result report back from its files, as a person's programs would."""

import io
import urllib.parse
import zipfile

import docx
from hwpx import HwpxDocument
from hwpx.tools.package_validator import validate_package
from hwpx.tools.validator import validate_document
from lxml import etree

HWP_PARAGRAPH = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"
HOSTILE = 'GPU <b>클러스터</b> & "전력" 요금\x01\x0b 인하 ]]> 요청'
HOSTILE_WRITTEN = 'GPU <b>클러스터</b> & "전력" 요금 인하 ]]> 요청'


def hwpx_texts(content: bytes) -> list[str]:
    """Every paragraph's text in the sections (the empty ones aside), read with zip + lxml."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sections = sorted(n for n in archive.namelist() if n.startswith("Contents/section"))
        roots = [etree.fromstring(archive.read(name)) for name in sections]
    texts: dict = {}
    for root in roots:
        for t in root.iter(f"{HWP_PARAGRAPH}t"):
            # A table sits in a paragraph of its own: each text is its nearest paragraph's.
            paragraph = next(t.iterancestors(f"{HWP_PARAGRAPH}p"))
            texts[paragraph] = texts.get(paragraph, "") + (t.text or "")
    return [text for text in texts.values() if text]


def docx_texts(content: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return texts


def assert_valid_hwpx(content: bytes):
    report = validate_document(content)
    assert report.ok and not report.issues, [str(issue) for issue in report.issues]
    package = validate_package(content)
    assert package.ok, [str(issue) for issue in package.errors]
    HwpxDocument.open(io.BytesIO(content))  # and python-hwpx opens it again


def filename(response) -> str:
    """The name a browser saves the download as: RFC 5987's form for a name beyond ASCII."""
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    if "filename*=" in disposition:
        return urllib.parse.unquote(disposition.split("filename*=utf-8''")[1])
    return disposition.split('filename="')[1].removesuffix('"')
