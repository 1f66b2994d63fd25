"""Office files (DOCX, XLSX, PPTX, HWPX) are zip archives: their central directory says how
many parts they hold and how large those unpack. It is read here with a few struct calls,
before Python's zipfile (or openpyxl, which uses it) builds an object per part: a file of
100,000 empty parts cost zipfile 3.5 s of CPU just to open, and a part that unpacks to
gigabytes fills the memory of whatever reads it.

The limits are far above real documents: a 300-slide presentation holds about 1,500 parts.
"""

import struct

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_ENTRIES = 10_000
# Every entry of the directory takes 46 bytes and its name; names in office files are short.
MAX_DIRECTORY_BYTES = 4 * 1024 * 1024
MAX_UNPACKED_BYTES = 512 * 1024 * 1024

END = struct.Struct("<4s4H2LH")  # end of central directory record
END_SIGNATURE = b"PK\x05\x06"
ZIP64_LOCATOR = struct.Struct("<4sLQL")
ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
ZIP64_END = struct.Struct("<4sQ2H2L4Q")
ZIP64_END_SIGNATURE = b"PK\x06\x06"
ENTRY = struct.Struct("<4s4B4HL2L5H2L")  # central directory file header
ENTRY_SIGNATURE = b"PK\x01\x02"
MAX_COMMENT = 0xFFFF


class NotAZip(Exception):
    """The content has no readable central directory: it is not a zip (the type check says
    so in its own words)."""


def directory(data_file) -> tuple[int, int, int]:
    """(entries, directory size, directory position) from the end record of a zip, found as
    zipfile finds it: at the very end, else the last one in the trailing comment's reach. The
    directory ends where the end record starts (zipfile's reckoning too)."""
    data_file.seek(0, 2)
    size = data_file.tell()
    tail_start = max(0, size - END.size - MAX_COMMENT)
    data_file.seek(tail_start)
    tail = data_file.read()
    at = len(tail) - END.size if tail[-END.size :][:4] == END_SIGNATURE else -1
    if at < 0:
        at = tail.rfind(END_SIGNATURE)
    if at < 0 or at + END.size > len(tail):
        raise NotAZip
    entries, directory_size = END.unpack_from(tail, at)[4:6]
    end_position = tail_start + at
    directory_start = end_position - directory_size
    locator_at = at - ZIP64_LOCATOR.size
    if locator_at >= 0 and tail[locator_at : locator_at + 4] == ZIP64_LOCATOR_SIGNATURE:
        # Zip64: the counts are in a record before the locator.
        zip64_end = end_position - ZIP64_LOCATOR.size - ZIP64_END.size
        if zip64_end < 0:
            raise NotAZip
        data_file.seek(zip64_end)
        record = data_file.read(ZIP64_END.size)
        if len(record) < ZIP64_END.size or record[:4] != ZIP64_END_SIGNATURE:
            raise NotAZip
        entries, directory_size = ZIP64_END.unpack(record)[7:9]
        directory_start = zip64_end - directory_size
    if directory_start < 0:
        raise NotAZip
    return entries, directory_size, directory_start


def unpacked_size(data_file, directory_size, directory_start, max_entries) -> tuple[int, int]:
    """(entries, total unpacked bytes) counted in the directory itself, which is what
    zipfile walks whatever the end record claims; stops past `max_entries`."""
    data_file.seek(directory_start)
    data = data_file.read(directory_size)
    at = count = total = 0
    while at + ENTRY.size <= len(data):
        fields = ENTRY.unpack_from(data, at)
        if fields[0] != ENTRY_SIGNATURE:
            break
        count += 1
        if count > max_entries:
            break
        file_size = fields[11]
        name_length, extra_length, comment_length = fields[12], fields[13], fields[14]
        extra_at = at + ENTRY.size + name_length
        if file_size == 0xFFFFFFFF:
            file_size = _zip64_size(data[extra_at : extra_at + extra_length], file_size)
        total += file_size
        at = extra_at + extra_length + comment_length
    return count, total


def _zip64_size(extra: bytes, default: int) -> int:
    """The real unpacked size from a zip64 extra field (its first value)."""
    at = 0
    while at + 4 <= len(extra):
        kind, length = struct.unpack_from("<2H", extra, at)
        if kind == 0x0001 and length >= 8:
            return struct.unpack_from("<Q", extra, at + 4)[0]
        at += 4 + length
    return default


def check(upload, *, max_entries=MAX_ENTRIES, max_unpacked=MAX_UNPACKED_BYTES) -> None:
    """Refuses (ValidationError) a zipped upload with more parts than `max_entries` or parts
    that unpack beyond `max_unpacked` bytes in all; content that is not a zip is left to the
    type check. Reads the end of the file and its directory only."""
    upload.seek(0)
    try:
        entries, directory_size, directory_start = directory(upload)
        too_many = entries > max_entries or directory_size > MAX_DIRECTORY_BYTES
        if not too_many:
            entries, unpacked = unpacked_size(upload, directory_size, directory_start, max_entries)
            too_many = entries > max_entries
    except NotAZip:
        return
    finally:
        upload.seek(0)
    if too_many:
        raise ValidationError(
            _(
                "“%(name)s” holds more than %(limit)s parts inside; a document may hold at most "
                "that many."
            ),
            params={"name": upload.name, "limit": f"{max_entries:,}"},
            code="file_parts",
        )
    if unpacked > max_unpacked:
        raise ValidationError(
            _("“%(name)s” unpacks to %(size)s; a document may unpack to at most %(limit)s."),
            params={
                "name": upload.name,
                "size": filesizeformat(unpacked),
                "limit": filesizeformat(max_unpacked),
            },
            code="file_unpacked_size",
        )
