"""Small but real files of each attachable type, built in memory for the tests."""

import io
import struct
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

ENDOFCHAIN, FREESECT, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def _ole_entry(name, kind, child, start, size):
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        encoded,
        len(encoded),
        kind,
        1,  # black
        NOSTREAM,
        NOSTREAM,
        child,
        b"",
        0,
        0,
        0,
        start,
        size,
    )


def hwp_bytes() -> bytes:
    """An OLE compound file (version 3) holding HWP 5's FileHeader stream: header, one FAT
    sector, one directory sector, and the 4,096-byte stream in sectors 2–9 (a stream that size
    lives in regular sectors, so no mini stream is needed)."""
    stream = b"HWP Document File".ljust(4096, b"\0")
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"),
        b"",
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"",
        0,  # directory sectors (always 0 in version 3)
        1,  # FAT sectors
        1,  # first directory sector
        0,
        4096,
        ENDOFCHAIN,  # no mini FAT
        0,
        ENDOFCHAIN,  # no DIFAT sectors
        0,
    ) + struct.pack("<109I", 0, *[FREESECT] * 108)
    fat = [FATSECT, ENDOFCHAIN, *range(3, 10), ENDOFCHAIN]
    fat_sector = struct.pack("<128I", *fat, *[FREESECT] * (128 - len(fat)))
    directory = (
        _ole_entry("Root Entry", 5, 1, ENDOFCHAIN, 0)
        + _ole_entry("FileHeader", 2, NOSTREAM, 2, len(stream))
        + _ole_entry("", 0, NOSTREAM, 0, 0) * 2
    )
    return header + fat_sector + directory + stream


def _zip(entries) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def ooxml_bytes(main_part: str) -> bytes:
    return _zip({"[Content_Types].xml": "<Types/>", main_part: "<document/>"})


SAMPLES = {
    "건의서.pdf": b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    "건의서.hwp": hwp_bytes(),
    "건의서.hwpx": _zip({"mimetype": "application/hwp+zip", "Contents/content.hpf": "<hpf/>"}),
    "건의서.docx": ooxml_bytes("word/document.xml"),
    "현황.xlsx": ooxml_bytes("xl/workbook.xml"),
    "발표.pptx": ooxml_bytes("ppt/presentation.xml"),
    "공정.png": b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + b"\0" * 40,
    "현장.jpg": b"\xff\xd8\xff\xe0\0\x10JFIF\0" + b"\0" * 40,
}


def upload(name, content=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, SAMPLES[name] if content is None else content)
