"""Log lines: an ISO 8601 time on each, as text or (LOG_FORMAT=json) one JSON object a line;
secrets blanked in both (bot/redact.py)."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import datetime
from typing import TextIO

from bot import redact

FORMATS = ("text", "json")
NOISY = ("trafilatura", "htmldate", "courlan")  # their complaints repeat our own clear error


def timestamp(record: logging.LogRecord) -> str:
    """The record's time in local time with its UTC offset, to the millisecond."""
    return datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds")


class TextFormatter(logging.Formatter):
    """`2026-12-06T01:02:03.456+00:00 WARNING bot.cli: message`, then any traceback."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return timestamp(record)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, and exception when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:  # the redactor fills exc_text first
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False)


def formatter(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else TextFormatter()


def configure(
    level: str, log_format: str, secrets: Iterable[str], *, stream: TextIO | None = None
) -> logging.Handler | None:
    """Log at `level` to standard error (or `stream`) in `log_format`, secrets blanked.

    Like logging.basicConfig, no handler is added to a root logger that already has one of
    someone else's (a test runner's), unless a `stream` is given; a handler this function
    added before is replaced. Returns the handler added, if any."""
    root = logging.getLogger()
    root.setLevel(level)
    for old in [h for h in root.handlers if getattr(h, "newsbot", False)]:
        root.removeHandler(old)
        old.close()
    handler = None
    if stream is not None or not root.handlers:
        handler = logging.StreamHandler(stream or sys.stderr)
        handler.newsbot = True  # type: ignore[attr-defined]
        handler.setFormatter(formatter(log_format))
        root.addHandler(handler)
    if level != "DEBUG":
        for noisy in NOISY:
            logging.getLogger(noisy).setLevel(logging.CRITICAL)
    redact.install(secrets)
    return handler
