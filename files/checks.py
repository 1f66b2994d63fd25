"""Which files may be uploaded (companies' attachments, meeting documents). The type is read
from the content, and the name must agree with it: a program renamed to .pdf is refused."""

import zipfile
from pathlib import PurePath

import filetype
import olefile
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from . import archives

# The entry each zipped format cannot do without.
ZIPPED = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
MIME_TYPES = {
    "pdf": "application/pdf",
    "hwp": "application/x-hwp",
    "hwpx": "application/hwp+zip",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}
SAME_AS = {"jpeg": "jpg"}
ACCEPT = ",".join(f".{extension}" for extension in [*MIME_TYPES, *SAME_AS])


def _is_hwp(upload) -> bool:
    """HWP 5 is an OLE compound file with a FileHeader stream that names the format."""
    with olefile.OleFileIO(upload) as ole:
        return ole.exists("FileHeader") and (
            ole.openstream("FileHeader").read(17) == b"HWP Document File"
        )


def _is_hwpx(upload) -> bool:
    with zipfile.ZipFile(upload) as archive:
        entry = archive.getinfo("mimetype")
        # Read only what fits the name, never a "mimetype" that unpacks to gigabytes.
        return entry.file_size <= 64 and archive.read(entry).strip() == b"application/hwp+zip"


def _is_zipped(upload, entry) -> bool:
    with zipfile.ZipFile(upload) as archive:
        names = set(archive.namelist())
    return "[Content_Types].xml" in names and entry in names


def _content_is(upload, extension) -> bool:
    upload.seek(0)
    try:
        if extension == "hwp":
            return _is_hwp(upload)
        if extension == "hwpx":
            return _is_hwpx(upload)
        if extension in ZIPPED:
            return _is_zipped(upload, ZIPPED[extension])
        found = filetype.guess(upload.read(8192))
        return found is not None and found.extension == extension
    except Exception:  # whatever a reader chokes on (bad zip, OLE, compression) is not that type
        return False
    finally:
        upload.seek(0)


def described(upload, max_bytes=None) -> dict:
    """The checked type, name and size of an upload, as stored beside its file."""
    return {
        "content_type": checked_type(upload, max_bytes),
        "name": PurePath(upload.name).name[:255],
        "size": upload.size,
    }


def check_name(upload) -> None:
    """Refuses a file whose name cannot be read: empty or only an extension, or with
    characters that did not come through (U+FFFD, which the upload parser puts for bytes
    that are not UTF-8; see files.uploads) or that do not print."""
    name = PurePath(getattr(upload, "name", None) or "").name
    stem = name.rpartition(".")[0] if "." in name else name
    if not stem.strip(" .") or "\ufffd" in name or not name.isprintable():
        raise ValidationError(
            _(
                "A file's name cannot be read: it is empty or some of its characters did not "
                "come through. Rename the file and choose it again."
            ),
            code="file_name",
        )


def checked_type(upload, max_bytes=None) -> str:
    """The MIME type of an allowed upload; a ValidationError that says what is wrong otherwise."""
    check_name(upload)
    max_bytes = max_bytes or settings.ATTACHMENT_MAX_BYTES
    extension = PurePath(upload.name).suffix.lower().lstrip(".")
    extension = SAME_AS.get(extension, extension)
    if extension not in MIME_TYPES:
        raise ValidationError(
            _(
                "“%(name)s” cannot be attached: only PDF, HWP/HWPX, DOCX, XLSX, PPTX and images "
                "(PNG, JPEG, GIF, WebP) can."
            ),
            params={"name": upload.name},
            code="file_type",
        )
    if upload.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)s; a file may be at most %(limit)s."),
            params={
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(max_bytes),
            },
            code="file_size",
        )
    if extension in ZIPPED or extension == "hwpx":
        # How many parts and how large they unpack, before zipfile reads the directory.
        archives.check(upload)
    if not upload.size or not _content_is(upload, extension):
        raise ValidationError(
            _("“%(name)s” is not a real %(type)s file: its content does not match its name."),
            params={"name": upload.name, "type": extension.upper()},
            code="file_content",
        )
    return MIME_TYPES[extension]


def download(stored, *, cache="private, no-store") -> FileResponse:
    """A stored upload (with `file`, `name` and `content_type`), always as a download (never
    shown inline), with its original name; 404 if the file itself is gone."""
    try:
        content = stored.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("This file is no longer stored.")) from missing
    response = FileResponse(
        content,
        as_attachment=True,
        filename=stored.name,
        content_type=stored.content_type,
    )
    response["Cache-Control"] = cache
    response["Content-Security-Policy"] = "sandbox"
    return response
