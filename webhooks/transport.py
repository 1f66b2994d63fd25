"""One HTTP POST to a subscriber, safely (README, Webhooks: safety).

The name is resolved at delivery time and every address it gives is checked (no loopback,
private, link-local, multicast or reserved address unless WEBHOOK_ALLOW_PRIVATE), then the
connection goes to the checked address itself, with the name kept for Host and TLS (SNI and
the certificate): a name that resolves elsewhere a moment later (DNS rebinding) changes
nothing. Redirects are answered, never followed; at most 64 KB of an answer is read.
"""

import dataclasses
import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urlsplit

from django.conf import settings

MAX_RESPONSE_BYTES = 64 * 1024
USER_AGENT = "Roundtable-Webhooks/1.0"


class Refused(Exception):
    """The destination may not be reached (its scheme, its address); never retried sooner."""


@dataclasses.dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


def url_problem(url: str) -> str:
    """Why `url` may not receive webhooks, judged without resolving it ("" if it may)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "not an http(s) URL"
    if parts.scheme != "https" and not settings.DEBUG:
        return "only https:// URLs receive webhooks"
    if parts.username or parts.password:
        return "credentials in the URL"
    try:
        address = ipaddress.ip_address(parts.hostname)
    except ValueError:
        if parts.hostname.rstrip(".").lower() == "localhost" and not settings.WEBHOOK_ALLOW_PRIVATE:
            return "a loopback address"
        return ""
    return address_problem(address)


def address_problem(address) -> str:
    if settings.WEBHOOK_ALLOW_PRIVATE:
        return ""
    if getattr(address, "ipv4_mapped", None):
        address = address.ipv4_mapped
    for test, what in (
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_private", "a private address"),
        ("is_reserved", "a reserved address"),
        ("is_unspecified", "an unspecified address"),
    ):
        if getattr(address, test):
            return what
    return ""


def resolve(host: str, port: int) -> str:
    """The first address `host` resolves to now that may be reached; Refused if none."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise OSError(f"cannot resolve {host}: {error}") from error
    problems = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        problem = address_problem(address)
        if not problem:
            return str(address)
        problems.append(problem)
    raise Refused(f"{host} resolves to {problems[0]}")


class _Pinned(http.client.HTTPConnection):
    """Connects to the checked address; Host stays the URL's name."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _PinnedTLS(_Pinned):
    default_port = 443

    def connect(self):
        super().connect()
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(self.sock, server_hostname=self.host)


def post(url: str, *, body: bytes, headers: dict, timeout: float) -> Answer:
    """POSTs `body` to `url`; the answer's status and first 64 KB. Raises Refused for a
    destination that may not be reached, OSError (timeouts included) for a failed attempt."""
    problem = url_problem(url)
    if problem:
        raise Refused(problem)
    parts = urlsplit(url)
    tls = parts.scheme == "https"
    port = parts.port or (443 if tls else 80)
    deadline = time.monotonic() + timeout
    address = resolve(parts.hostname, port)
    connection = (_PinnedTLS if tls else _Pinned)(
        parts.hostname, port, address=address, timeout=_left(deadline)
    )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                "Connection": "close",
                **headers,
            },
        )
        connection.sock.settimeout(_left(deadline))
        response = connection.getresponse()
        received = bytearray()
        while len(received) < MAX_RESPONSE_BYTES:
            connection.sock.settimeout(_left(deadline))
            chunk = response.read(MAX_RESPONSE_BYTES - len(received))
            if not chunk:
                break
            received += chunk
        return Answer(status=response.status, body=bytes(received))
    except http.client.HTTPException as error:
        raise OSError(f"{type(error).__name__}: {error}") from error
    finally:
        connection.close()


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("timed out")
    return left
