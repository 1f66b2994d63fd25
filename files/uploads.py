"""Uploaded files reach the form that asked for them, even when their name cannot be read.

Django's multipart parser drops a file part without a word when its headers are not UTF-8 (a
name sent in CP949 by an older program) or when its name cleans to nothing ("..", only
characters that do not print): the form then sees no file at all, and an optional file field
stores the request without it. Here, every part's header lines are passed on as UTF-8 (bytes
that are not become U+FFFD) and a name that cleans to nothing becomes U+FFFD, so that the file
reaches the form, whose check (files.checks.check_name) refuses it with a message.

`ReadableUploadNamesMiddleware` puts the handler in front of every multipart POST, before the
CSRF check reads the body. File contents pass untouched.
"""

from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParser

UNREADABLE = "\ufffd"
MAX_HEADER_BYTES = 64 * 1024
READ_SIZE = 64 * 1024


def _as_utf8(data: bytes) -> bytes:
    return data.decode("utf-8", errors="replace").encode("utf-8")


class _ReadableHeaders:
    """The multipart body as it came, with each part's header block (from its boundary line
    to the blank line) made valid UTF-8. By the format's rule the boundary never occurs inside
    a part's content, so content is never rewritten."""

    def __init__(self, stream, boundary: bytes):
        self._stream = stream
        self._marker = b"--" + boundary
        self._buffer = b""
        self._out = bytearray()
        self._in_header = False
        self._eof = False

    def read(self, size=-1):
        while not self._eof and (size is None or size < 0 or len(self._out) < size):
            chunk = self._stream.read(READ_SIZE)
            if not chunk:
                self._eof = True
            self._buffer += chunk
            self._advance()
        if size is None or size < 0:
            size = len(self._out)
        data = bytes(self._out[:size])
        del self._out[:size]
        return data

    def _emit(self, end: int, *, header=False) -> None:
        part, self._buffer = self._buffer[:end], self._buffer[end:]
        self._out += _as_utf8(part) if header else part

    def _advance(self) -> None:
        while self._buffer:
            if self._in_header:
                end = self._buffer.find(b"\r\n\r\n")
                if end >= 0:
                    self._emit(end + 4, header=True)
                    self._in_header = False
                    continue
                if self._eof or len(self._buffer) > MAX_HEADER_BYTES:
                    # Not a header the parser would take anyway: on as it is, made readable.
                    self._emit(len(self._buffer), header=True)
                    self._in_header = False
                return
            start = self._buffer.find(self._marker)
            if start < 0:
                # Keep what could be the start of a boundary cut by the read.
                keep = 0 if self._eof else len(self._marker) - 1
                self._emit(max(0, len(self._buffer) - keep))
                return
            line_end = self._buffer.find(b"\r\n", start + len(self._marker))
            if line_end < 0:
                self._emit(len(self._buffer) if self._eof else start)
                return
            self._emit(line_end + 2)
            self._in_header = True


class _ReadableNamesParser(MultiPartParser):
    def __init__(self, META, input_data, upload_handlers, encoding=None):
        super().__init__(META, input_data, upload_handlers, encoding)
        self._input_data = _ReadableHeaders(self._input_data, self._boundary)

    def sanitize_file_name(self, file_name):
        # A part that has a name which cleans to nothing is a file all the same.
        return super().sanitize_file_name(file_name) or UNREADABLE


class ReadableNamesUploadHandler(FileUploadHandler):
    """Parses the body with _ReadableNamesParser, storing files with the other handlers."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        others = [handler for handler in self.request.upload_handlers if handler is not self]
        return _ReadableNamesParser(META, input_data, others, encoding).parse()

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


class ReadableUploadNamesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type.startswith("multipart/"):
            request.upload_handlers.insert(0, ReadableNamesUploadHandler(request))
        return self.get_response(request)
