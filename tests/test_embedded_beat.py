"""`make run`'s worker runs beat in a thread (`--beat-thread`, Procfile.dev): the periodic tasks
of the database's schedule are sent and run with no beat process beside it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def test_worker_with_beat_thread_runs_the_scheduled_reminder_scan(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["VAR_DIR"] = str(tmp_path)  # the embedded set-up: SQLite and the filesystem broker
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    log_path = tmp_path / "worker.log"
    command = ["-m", "celery", "-A", "roundtable", "worker", "--pool=solo", "--beat-thread"]
    with open(log_path, "wb") as log:
        worker = subprocess.Popen(
            [python, *command, "--loglevel=INFO"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        while "scan_reminders" not in _succeeded(log_path):
            assert worker.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.5)
        assert "Sending due task Reminder scan and outbox" in log_path.read_text()
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)


def _succeeded(log_path) -> str:
    return " ".join(
        line for line in log_path.read_text(errors="replace").splitlines() if "succeeded" in line
    )
