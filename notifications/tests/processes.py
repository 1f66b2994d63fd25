"""Celery worker processes against the test database, for the worker tests and bench/."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

# Tests where another process (a worker, a live server) reads what the test commits.
OTHER_PROCESSES = [
    pytest.mark.slow,
    pytest.mark.usefixtures("committed"),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: another process reads what the test commits",
    ),
]
BROKER = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


def database_url() -> str:
    """The database this process uses (the test database during tests), as a URL."""
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}{password}@{host}/{db['NAME']}"


def start_worker(*, queue, broker, smtp_port, var_dir, **env):
    """`celery -A roundtable worker` in its own process group, consuming only `queue`."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "roundtable",
            "worker",
            "-P",
            "solo",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "WARNING",
        ],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "VAR_DIR": str(var_dir),
            **env,
        },
        start_new_session=True,
    )
