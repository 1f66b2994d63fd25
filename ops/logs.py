"""Logs operators can follow: one line per request and per task, each with the request id that
caused it (X-Request-ID, passed on to the tasks a request sends). `LOG_FORMAT=json` writes
each line as one JSON object; otherwise readable text."""

import contextvars
import json
import logging
import re
import time
import uuid

from celery import signals

request_id = contextvars.ContextVar("request_id", default="")
requests_log = logging.getLogger("roundtable.requests")
tasks_log = logging.getLogger("roundtable.tasks")
# A caller's id is kept if it looks like one; anything else is replaced, never logged.
INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({k: v for k, v in vars(record).items() if k not in STANDARD})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class RequestLogMiddleware:
    """Gives each request an id (the caller's X-Request-ID if sane), answers with it, and logs
    one line when the response is ready."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        token = request_id.set(incoming if INCOMING_ID.match(incoming) else uuid.uuid4().hex)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id.get()
            user = getattr(request, "user", None)
            requests_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "request_id": request_id.get(),
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            request_id.reset(token)


@signals.before_task_publish.connect
def pass_request_id_on(headers=None, **kwargs):
    if headers is not None and request_id.get():
        headers["request_id"] = request_id.get()


_task_started = {}


@signals.task_prerun.connect
def task_started(task_id=None, task=None, **kwargs):
    # A worker makes message headers attributes of the request; a local run keeps them apart.
    headers = getattr(task.request, "headers", None) or {}
    request_id.set(getattr(task.request, "request_id", None) or headers.get("request_id") or "")
    _task_started[task_id] = time.monotonic()


@signals.task_postrun.connect
def task_finished(task_id=None, task=None, state=None, **kwargs):
    started = _task_started.pop(task_id, None)
    tasks_log.info(
        "%s %s",
        task.name,
        state,
        extra={
            "request_id": request_id.get(),
            "task": task.name,
            "task_id": task_id,
            "state": state,
            "duration_ms": round((time.monotonic() - started) * 1000, 1) if started else None,
        },
    )
    request_id.set("")
