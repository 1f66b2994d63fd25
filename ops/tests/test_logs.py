"""One log line per request and per task, each with the id of the request that caused it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from events.tasks import prune_meeting_changes
from ops.logs import pass_request_id_on, request_id

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_each_request_has_an_id_and_one_line(client, caplog):
    caplog.set_level("INFO", logger="roundtable.requests")
    response = client.get("/api/v1/meetings/", HTTP_X_REQUEST_ID="lb-7f3a9c21")
    assert response["X-Request-ID"] == "lb-7f3a9c21"
    [line] = [r for r in caplog.records if r.name == "roundtable.requests"]
    assert (line.method, line.path, line.status) == ("GET", "/api/v1/meetings/", 401)
    assert line.duration_ms >= 0 and line.user_id is None
    forged = client.get("/api/v1/meetings/", HTTP_X_REQUEST_ID="<script>")
    assert len(forged["X-Request-ID"]) == 32 and forged["X-Request-ID"] != "<script>"


def test_a_task_logs_one_line_with_the_id_of_the_request_that_sent_it(caplog):
    caplog.set_level("INFO", logger="roundtable.tasks")
    headers = {}
    token = request_id.set("req-0123456789")
    try:
        pass_request_id_on(headers=headers)  # as when a request sends the task
    finally:
        request_id.reset(token)
    prune_meeting_changes.apply(headers=headers)
    [line] = [r for r in caplog.records if r.name == "roundtable.tasks"]
    assert (line.task, line.state) == ("events.tasks.prune_meeting_changes", "SUCCESS")
    assert line.request_id == "req-0123456789"
    assert request_id.get() == ""  # not left for whatever runs next in the worker


def test_json_lines_when_log_format_is_json():
    script = (
        "import django; django.setup(); from django.test import Client; "
        "Client().get('/api/v1/meetings/', HTTP_X_REQUEST_ID='abcd1234efgh')"
    )
    environment = {**os.environ, "LOG_FORMAT": "json"}
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stderr.splitlines() if line.startswith("{")]
    [request] = [line for line in lines if line["logger"] == "roundtable.requests"]
    assert request["request_id"] == "abcd1234efgh"
    assert (request["status"], request["path"], request["level"]) == (
        401,
        "/api/v1/meetings/",
        "INFO",
    )
    assert request["duration_ms"] >= 0 and request["time"]
