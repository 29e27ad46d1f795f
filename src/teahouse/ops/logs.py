"""The serving process's log lines: text for a terminal, or one JSON object a line
for a log collector; in both, the id of the request (or WebSocket) being served.

Every HTTP request and every WebSocket gets a fresh random id (:func:`new_request_id`,
set by the edge for the request's task); the same id is sent back in the
``X-Request-ID`` response header, so a member who reports a failure can quote it and
the operator finds its lines. The id is ours: one sent by a client is not taken, so
nobody can plant ids in the log.

No address is ever written: uvicorn's access log stays off and nothing logs a
client's address; a JSON line carries exactly the fields below, never a record's
extra attributes.
"""

from __future__ import annotations

import json
import logging
import secrets
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TextIO

REQUEST_ID: ContextVar[str | None] = ContextVar("teahouse_request_id", default=None)

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"


def new_request_id() -> str:
    """A fresh id (64 random bits, 16 hex digits) for the current task's request."""
    request_id = secrets.token_hex(8)
    REQUEST_ID.set(request_id)
    return request_id


class RequestIdFilter(logging.Filter):
    """Stamps each record with the request id of the task that logs it ("-" if none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, request_id, and
    the traceback as ``exception`` when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, str] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or REQUEST_ID.get()
        if request_id and request_id != "-":
            line["request_id"] = request_id
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.stack_info:
            line["exception"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False)


def log_handler(log_format: str, stream: TextIO | None = None) -> logging.Handler:
    """A handler writing ``log_format`` ("text" or "json") lines to ``stream``
    (standard error by default)."""
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    text = logging.Formatter(TEXT_FORMAT)
    handler.setFormatter(JsonFormatter() if log_format == "json" else text)
    return handler


def configure_logging(level: str, log_format: str) -> None:
    """The root logger writes ``log_format`` lines from ``level`` up (`teahouse serve`)."""
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(log_handler(log_format))
    root.setLevel(level.upper())
