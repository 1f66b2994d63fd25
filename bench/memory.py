"""Memory of `make run`: the processes of Procfile.dev under honcho, as `make run` starts them,
against the bench's test database (seeded as `make run` seeds) and Redis. Part of `make bench`.

The figure is taken once the web process has served real pages (signed-in admin pages, the
API, the public feed, the schema) and the worker has run a reminder scan, so that what they
import on first use is counted. Resident set sizes are summed over the whole process tree,
honcho included; shared pages count once per process, so the sum overstates what the machine
gives up (the proportional set size, PSS, is shown beside it).
"""

import contextlib
import dataclasses
import http.cookiejar
import io
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

PAGES = (
    "/",
    "/admin/",
    "/admin/events/meeting/",
    "/admin/followups/stakeholderrequest/",
    "/admin/dashboard/",
    "/api/v1/meetings/",
    "/api/v1/organizations/",
    "/api/schema/",
    "/calendar/public.ics",
)


@dataclasses.dataclass
class Process:
    pid: int
    role: str
    rss: int  # bytes
    pss: int  # bytes


def make_run_memory(*, redis_url: str, var_dir: Path, log_path: Path) -> list[Process]:
    from django.conf import settings
    from django.core.management import call_command

    from notifications.tests.processes import database_url
    from notifications.tests.smtp import free_port
    from roundtable.celery import app

    # What `make run` does before starting the processes (the test database is migrated).
    call_command("seed_relay", stdout=io.StringIO())
    call_command("ensure_demo_coordinator", stdout=io.StringIO())
    password = (var_dir / "demo-coordinator.txt").read_text().strip()

    port = free_port()
    site = f"http://127.0.0.1:{port}"
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "VAR_DIR": str(var_dir),
        "SITE_URL": site,
        "EMAIL_URL": "consolemail://",  # whatever the caller has set, nobody gets mail
    }
    env.pop("CELERY_BROKER_URL", None)
    with open(log_path, "wb") as log:
        honcho = subprocess.Popen(
            [str(bin_dir / "honcho"), "-f", "Procfile.dev", "start", "-p", str(port)],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    tree = []
    try:
        _wait(lambda: _status(f"{site}/healthz") == 200, "web answering /healthz", honcho)
        _serve_pages(site, password)
        _wait(lambda: "ready." in log_path.read_text(errors="replace"), "worker ready", honcho)
        _wait(lambda: "beat: Starting" in log_path.read_text(errors="replace"), "beat", honcho)
        with app.connection_for_write(redis_url) as connection:
            app.send_task("notifications.tasks.scan_reminders", connection=connection)
        _wait(
            lambda: re.search(
                r"notifications\.tasks\.scan_reminders\[[^]]+\] succeeded",
                log_path.read_text(errors="replace"),
            ),
            "a reminder scan run by the worker",
            honcho,
        )
        time.sleep(2)  # let the processes settle after their last piece of work
        tree = _tree(honcho.pid)
        return [_measure(pid, honcho.pid) for pid in tree]
    finally:
        tree = tree or _tree(honcho.pid)
        _stop(honcho, tree)


def _wait(ready, what, honcho, timeout=90):
    deadline = time.monotonic() + timeout
    while not ready():
        if honcho.poll() is not None:
            raise RuntimeError(f"make run's processes stopped while waiting for {what}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"no {what} within {timeout} s")
        time.sleep(0.25)


def _status(url) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _serve_pages(site, password):
    """Signs in as the demo coordinator through the admin's form, then reads each page."""
    cookies = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
    with browser.open(f"{site}/admin/login/", timeout=30) as response:
        page = response.read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": csrf,
            "username": "coordinator",
            "password": password,
            "next": "/admin/",
        }
    ).encode()
    with browser.open(f"{site}/admin/login/?next=/admin/", data=form, timeout=30) as response:
        assert response.url.rstrip("/").endswith("/admin"), f"sign-in failed: {response.url}"
    for path in PAGES:
        try:
            with browser.open(f"{site}{path}", timeout=120) as response:
                response.read()
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"{path} answered {error.code}") from None


def _children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _tree(root: int) -> list[int]:
    children = _children()
    found, todo = [], [root]
    while todo:
        pid = todo.pop(0)
        found.append(pid)
        todo.extend(sorted(children.get(pid, [])))
    return found


def _kilobytes(path: Path, field: str) -> int:
    for line in path.read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def _measure(pid: int, root: int) -> Process:
    proc = Path(f"/proc/{pid}")
    command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    parent_command = _parent_command(proc)
    if pid == root:
        role = "honcho (make run's supervisor)"
    elif "honcho" in command:
        role = "honcho, watching one process"
    elif command.startswith(("/bin/sh ", "sh ")):
        role = f"sh -c, starting {_role(command, '')}"
    else:
        role = _role(command, parent_command)
    return Process(
        pid=pid,
        role=role,
        rss=_kilobytes(proc / "status", "VmRSS") * 1024,
        pss=_kilobytes(proc / "smaps_rollup", "Pss") * 1024,
    )


def _role(command: str, parent_command: str) -> str:
    if "runserver" in command:
        return "web (runserver)"
    if " worker" in command:
        return "worker, pool process" if parent_command == command else "worker (celery)"
    if " beat" in command:
        return "beat (celery)"
    return command[:40]


def _parent_command(proc: Path) -> str:
    ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    try:
        return Path(f"/proc/{ppid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def _started(pid: int) -> int | None:
    """The process's start time (clock ticks after boot): with its pid, names it for sure."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
    except (OSError, IndexError, ValueError):
        return None


def _stop(honcho, tree):
    """SIGTERM to honcho, which stops its processes as Ctrl-C does; any of them still there
    after 30 s is killed by its pid (checked against its start time, so never a newcomer)."""
    started = {pid: _started(pid) for pid in tree}
    if honcho.poll() is None:
        honcho.send_signal(signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        honcho.wait(timeout=30)
    for pid, start in started.items():
        if start is not None and _started(pid) == start:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    honcho.wait()
