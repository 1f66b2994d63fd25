"""DAV XML in and out. Request bodies are untrusted: parsed by defusedxml (no DTD, no entities,
no external references); answers are written by ElementTree, one `response` at a time so that a
long multistatus is streamed rather than held in memory."""

import re
import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

DAV = "DAV:"
CALDAV = "urn:ietf:params:xml:ns:caldav"
CALSERVER = "http://calendarserver.org/ns/"
APPLE = "http://apple.com/ns/ical/"
PREFIXES = {"D": DAV, "C": CALDAV, "CS": CALSERVER, "A": APPLE}
for _prefix, _uri in PREFIXES.items():
    ET.register_namespace(_prefix, _uri)

HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n<D:multistatus'
    + "".join(f' xmlns:{prefix}="{uri}"' for prefix, uri in PREFIXES.items())
    + ">"
).encode()
TAIL = b"</D:multistatus>\n"
STATUS_TEXT = {
    200: "OK",
    403: "Forbidden",
    404: "Not Found",
    507: "Insufficient Storage",
}


# Characters XML 1.0 cannot carry, even escaped (control characters pasted into a meeting's
# description): left out of an answer, or the whole multistatus would not parse.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class BadBody(Exception):
    """The body is not XML, or not XML this server reads."""


def tag(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def d(name: str) -> str:
    return tag(DAV, name)


def c(name: str) -> str:
    return tag(CALDAV, name)


def parse(body: bytes):
    """The root element of a request body, or None for an empty one."""
    if not body.strip():
        return None
    try:
        return fromstring(body, forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException, ValueError) as error:
        raise BadBody(str(error)) from error


def element(name: str, value=None, /, **attributes) -> ET.Element:
    """An element; `value` is its text (str), its children (a list of elements) or nothing."""
    node = ET.Element(name, {key.replace("_", "-"): v for key, v in attributes.items()})
    if isinstance(value, str):
        node.text = NOT_XML.sub("", value)
    elif value:
        node.extend(value)
    return node


def href(path: str) -> ET.Element:
    return element(d("href"), path)


def status(code: int) -> ET.Element:
    return element(d("status"), f"HTTP/1.1 {code} {STATUS_TEXT[code]}")


def response(path: str, found: dict, missing=(), code: int | None = None) -> ET.Element:
    """One `response`: the properties `found` (name → value) under 200 and the names `missing`
    under 404; or, with `code`, that status alone (a removed resource, a truncated answer)."""
    node = element(d("response"), [href(path)])
    if code is not None:
        node.append(status(code))
        return node
    if found or not missing:
        props = [element(name, value) for name, value in found.items()]
        node.append(element(d("propstat"), [element(d("prop"), props), status(200)]))
    if missing:
        props = [element(name) for name in missing]
        node.append(element(d("propstat"), [element(d("prop"), props), status(404)]))
    return node


def serialize(node: ET.Element) -> bytes:
    return ET.tostring(node, encoding="utf-8")


def document(node: ET.Element) -> bytes:
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + serialize(node) + b"\n"


def multistatus(responses, tail=()):
    """The bytes of a multistatus of `responses` (elements, produced lazily), then `tail`."""
    yield HEAD
    for node in responses:
        yield serialize(node)
    for node in tail:
        yield serialize(node)
    yield TAIL


def error(condition: str, children=()) -> bytes:
    """An `error` body naming the precondition that failed (RFC 4918 §16)."""
    return document(element(d("error"), [element(condition, list(children))]))
