"""HTTP under load: gunicorn with 2 workers, as the image runs it (DJANGO_DEBUG=0), serving the
public home page, the meeting list API (with a token) and the public feed, each loaded by `wrk`
on loopback, next to a minimal Django view served by the same gunicorn in the same run (the
floor, bench/load_urls.py). Part of `make bench` (bench/run.py).

The data: the relay series as `make run` seeds it, plus `MEETINGS` meetings from api_reads'
builder. Each URL gets a warm-up of `WARM_UP` s, then `DURATION` s measured.
"""

import contextlib
import dataclasses
import io
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

MEETINGS = 3_000
WORKERS = 2
CONNECTIONS = 8
DURATION = 5
WARM_UP = 1
WRK = "/usr/bin/wrk"
URLS = {
    "floor": "/bench/floor/",
    "home": "/",
    "api": "/api/v1/meetings/",
    "feed": "/calendar/public.ics",
}


@dataclasses.dataclass
class Load:
    rps: float
    p99: float  # seconds
    requests: int
    errors: int  # non-2xx answers and socket errors


def load_figures(var_dir: Path) -> dict[str, Load] | None:
    """Rps and p99 per URL; None (with a message) when wrk is missing."""
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from bench import api_reads
    from bench.common import say
    from notifications.tests.processes import database_url
    from notifications.tests.smtp import free_port

    wrk = shutil.which("wrk") or (WRK if Path(WRK).exists() else None)
    if wrk is None:
        say("load: wrk is not installed (apt-get install wrk); skipped")
        return None
    call_command("seed_relay", stdout=io.StringIO())
    data = api_reads.dataset_create()
    api_reads.grow_to(data, MEETINGS)
    token = Token.objects.create(user=data.user).key

    port = free_port()
    site = f"http://127.0.0.1:{port}"
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "DATABASE_URL": database_url(),
        "VAR_DIR": str(var_dir),
        "SITE_URL": site,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "LOG_LEVEL": "WARNING",  # one line per request would cost more than some answers
    }
    with open(var_dir / "gunicorn.log", "wb") as log:
        gunicorn = subprocess.Popen(
            [
                str(bin_dir / "gunicorn"),
                "roundtable.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
            ],
            cwd=Path(__file__).resolve().parent.parent,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    # Behind the production proxy every request arrives as HTTPS; without the header
    # DJANGO_DEBUG=0 answers each with a redirect. Browsers and calendar apps accept gzip.
    headers = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
    try:
        _wait_for(f"{site}{URLS['floor']}", headers, gunicorn)
        # The floor again, writing as many bytes as the feed's answer: what the body alone costs.
        urls = {
            **URLS,
            "floor_feed_body": f"{URLS['floor']}?bytes={_check(site + URLS['feed'], headers)}",
        }
        found = {}
        for name, path in urls.items():
            these = {**headers, **({"Authorization": f"Token {token}"} if name == "api" else {})}
            _check(f"{site}{path}", these)
            _wrk(wrk, f"{site}{path}", these, WARM_UP)
            _drain(f"{site}{URLS['floor']}", headers)
            found[name] = _wrk(wrk, f"{site}{path}", these, DURATION)
            _drain(f"{site}{URLS['floor']}", headers)
            say(f"load: {name} {found[name].rps:,.0f} rps, p99 {found[name].p99 * 1000:.1f} ms")
        return found
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(gunicorn.pid, signal.SIGTERM)
        try:
            gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(gunicorn.pid, signal.SIGKILL)
            gunicorn.wait()


def _request(url, headers):
    return urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60)


def _wait_for(url, headers, process, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped before answering")
        with (
            contextlib.suppress(urllib.error.URLError, ConnectionError),
            _request(url, headers) as response,
        ):
            if response.status == 200:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not answer within {timeout} s")
        time.sleep(0.2)


def _drain(floor_url, headers, timeout=120):
    """Waits until gunicorn has finished what wrk left behind: a sync worker completes every
    request it accepted, also those whose connection wrk has closed, and they would slow the
    next URL's run."""
    deadline = time.monotonic() + timeout
    quick = 0
    while quick < 3 and time.monotonic() < deadline:
        start = time.perf_counter()
        _check(floor_url, headers)
        quick = quick + 1 if time.perf_counter() - start < 0.05 else 0


def _check(url, headers) -> int:
    """A 200 before loading, so that the figure is never that of an error page; the size of
    its body as sent."""
    with _request(url, headers) as response:
        assert response.status == 200, (url, response.status)
        return len(response.read())


def _wrk(wrk, url, headers, duration) -> Load:
    command = [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency", "--timeout", "30s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=duration + 60
    ).stdout
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", output)
    errors = 0
    if non_2xx := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(non_2xx.group(1))
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket:
        errors += sum(int(n) for n in socket.groups())
    scale = {"us": 1e-6, "ms": 1e-3, "s": 1.0}[p99.group(2)]
    # With no answer within the run, wrk prints a latency of 0: the run's length bounds it.
    p99 = float(p99.group(1)) * scale if requests else float(duration)
    return Load(rps=rps, p99=p99, requests=requests, errors=errors)
