"""`make run` as a newcomer uses it: embedded set-up, Korean admin, Ctrl-C stops everything."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(var_dir, port, log, **settings):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["VAR_DIR"] = str(var_dir)
    env.update(settings)
    return subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for(predicate, what, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def serving(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def stop(process):
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends to the foreground group
    process.wait(timeout=60)

    def group_gone():
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return True
        return False

    wait_for(group_gone, "every process to stop", timeout=30)


def sign_in_and_read(port, password, path):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"
    opener.open(f"{base}/admin/login/").read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    form = urllib.parse.urlencode(
        {
            "username": "coordinator",
            "password": password,
            "csrfmiddlewaretoken": token,
            "next": path,
        }
    ).encode()
    request = urllib.request.Request(
        f"{base}/admin/login/?next={path}", data=form, headers={"Referer": f"{base}/admin/login/"}
    )
    with opener.open(request) as response:
        return response.geturl(), response.read().decode()


def test_make_run_serves_everything_and_ctrl_c_stops_it(tmp_path):
    port = free_port()
    log_path = tmp_path / "run.log"
    with open(log_path, "w") as log:
        process = start(tmp_path / "var", port, log)
        try:
            wait_for(lambda: serving(port), "the web server")
            output = lambda: log_path.read_text()  # noqa: E731
            wait_for(lambda: "ready." in output(), "the Celery worker")
            wait_for(lambda: "beat: Starting" in output(), "Celery beat")
            password = re.search(r"password: (\S+)", output()).group(1)
            url, page = sign_in_and_read(port, password, "/admin/events/meeting/")
            assert url.endswith("/admin/events/meeting/")
            assert "AI 팩토리 현장 간담회" in page and "로그아웃" in page
        finally:
            stop(process)
    assert (tmp_path / "var" / "db.sqlite3").exists()

    # A second run keeps the data and creates nothing.
    with open(log_path, "w") as log:
        process = start(tmp_path / "var", port, log)
        try:
            wait_for(lambda: serving(port), "the web server, again")
        finally:
            stop(process)
    again = log_path.read_text()
    assert "0 records created" in again and "Existing demo coordinator" in again
    assert password in again


# With DJANGO_DEBUG=0, requests come through a TLS proxy that says so (DJANGO_BEHIND_PROXY).
THROUGH_THE_PROXY = {"X-Forwarded-Proto": "https"}


def fetch(port, path):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=THROUGH_THE_PROXY)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()
    except OSError:
        return None, "", b""


def test_make_run_with_debug_off_refuses_the_development_key(tmp_path):
    log_path = tmp_path / "run.log"
    with open(log_path, "w") as log:
        process = start(tmp_path / "var", free_port(), log, DJANGO_DEBUG="0")
        try:
            assert process.wait(timeout=180) != 0
        finally:
            if process.poll() is None:
                stop(process)
    output = log_path.read_text()
    assert "DJANGO_DEBUG=0 needs a secret key of its own: set DJANGO_SECRET_KEY" in output
    assert "Serving on" not in output  # it stopped before migrating anything


def test_make_run_with_debug_off_serves_pages_and_their_styles(tmp_path):
    """Without collectstatic: whitenoise serves the files where they are."""
    port = free_port()
    with open(tmp_path / "run.log", "w") as log:
        process = start(
            tmp_path / "var",
            port,
            log,
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY="a-long-random-production-like-key-" + "7f3a9c" * 6,
        )
        try:
            wait_for(lambda: fetch(port, "/admin/login/")[0] == 200, "the sign-in page")
            page = fetch(port, "/admin/login/")[2].decode()
            stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
            assert "/static/admin/css/base.css" in stylesheets
            for href in stylesheets:
                status, content_type, _ = fetch(port, href)
                assert (status, content_type.split(";")[0]) == (200, "text/css"), href
            assert fetch(port, "/")[0] == 200  # the public meeting list
        finally:
            stop(process)
