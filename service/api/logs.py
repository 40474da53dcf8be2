"""Logs with the id of the request they belong to: JSON lines for collectors, or readable text on a terminal."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("ragqa_request_id", default="")
# A client-supplied X-Request-ID is kept only when it is short and plain (it ends up in logs and headers).
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Attributes every LogRecord has; anything else was passed in `extra=` and is logged as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName",
                                                                         "color_message"}


def current_request_id() -> str:
    return _request_id.get()


def set_request_id(value: str) -> contextvars.Token:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


def accept_request_id(supplied: str | None) -> str:
    """The client's X-Request-ID when it is safe to echo, else a fresh one."""
    if supplied and _VALID_REQUEST_ID.match(supplied):
        return supplied
    return uuid.uuid4().hex


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and any `extra=` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request_id = current_request_id()
        if request_id:
            entry["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """One readable line: time, level, message, then the request id and `extra=` fields as key=value."""

    def format(self, record: logging.LogRecord) -> str:
        fields = {"request_id": current_request_id()} if current_request_id() else {}
        fields |= {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}
        line = (f"{time.strftime('%H:%M:%S', time.localtime(record.created))} {record.levelname:<7} "
                f"{record.getMessage()}")
        if fields:
            line += "  " + " ".join(f"{k}={v}" for k, v in fields.items())
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def choose_format(log_format: str, stream=None) -> str:
    """`auto` means text for a person at a terminal, JSON when stderr goes to a file, pipe or collector."""
    if log_format != "auto":
        return log_format
    stream = stream or sys.stderr
    return "text" if getattr(stream, "isatty", lambda: False)() else "json"


def configure_logging(level: str = "info", log_format: str = "json") -> None:
    """Send every logger (ours, uvicorn's) through one handler on stderr, in `log_format` (auto|text|json)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(TextFormatter() if choose_format(log_format) == "text" else JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    # Our middleware writes the access log (with request ids); uvicorn's would duplicate it.
    logging.getLogger("uvicorn.access").disabled = True
