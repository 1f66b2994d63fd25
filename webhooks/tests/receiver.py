"""A real webhook receiver on loopback: an HTTP server in a thread that keeps what it gets and
answers as told (a status, a body, a delay), and can go down and come back on its port."""

import dataclasses
import http.server
import threading
import time

from standardwebhooks.webhooks import Webhook


@dataclasses.dataclass
class Received:
    headers: dict
    body: bytes
    at: float

    def verified(self, secret):
        """The payload, verified as receivers do it with the standardwebhooks library."""
        return Webhook(secret).verify(self.body, self.headers)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        receiver = self.server.receiver
        status, answer, delay = receiver.answer(self)
        if delay:
            time.sleep(delay)
        with receiver.lock:
            receiver.received.append(
                Received({k.lower(): v for k, v in self.headers.items()}, body, time.monotonic())
            )
        self.send_response(status)
        if 300 <= status < 400:
            self.send_header("Location", receiver.url + "elsewhere")
        self.send_header("Content-Length", str(len(answer)))
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


class Receiver:
    """`status`, `body` and `delay` answer every POST; `plan` (a list of statuses) answers the
    next POSTs first."""

    def __init__(self, status=200, body=b"ok", delay=0.0):
        self.status, self.body, self.delay = status, body, delay
        self.plan = []
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.port = 0
        self._server = None

    def answer(self, handler):
        with self.lock:
            status = self.plan.pop(0) if self.plan else self.status
        return status, self.body, self.delay

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/hook/"

    def start(self):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), _Handler)
        server.daemon_threads = True
        server.receiver = self
        self.port = server.server_address[1]
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def bodies(self):
        import json

        with self.lock:
            return [json.loads(r.body) for r in self.received]
