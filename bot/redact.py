"""A logging filter that blanks tokens and signing secrets out of every record, tracebacks too."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

# Token shapes, for secrets that are not our own settings (a token pasted into a message).
_TOKEN_SHAPES = re.compile(
    r"\bxox[abposre]-[A-Za-z0-9-]{8,}|\bxapp-[A-Za-z0-9-]{8,}"
    r"|\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}"
)
MASK = "[redacted]"


class Redactor(logging.Filter):
    """Replaces each secret (and anything shaped like a Slack or Discord token) in a record."""

    def __init__(self, secrets: Iterable[str]):
        super().__init__()
        self._secrets = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return _TOKEN_SHAPES.sub(MASK, text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: let logging report it as it would
            return True
        cleaned = self.redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def install(secrets: Iterable[str]) -> Redactor:
    """Put a Redactor on every handler of the root logger, and on logging's last resort."""
    redactor = Redactor(secrets)
    for handler in _handlers():
        handler.addFilter(redactor)
    return redactor


@contextmanager
def installed(secrets: Iterable[str]) -> Iterator[Redactor]:
    """A Redactor on those handlers while the block runs (a bot served inside another program)."""
    redactor = install(secrets)
    try:
        yield redactor
    finally:
        for handler in _handlers():
            handler.removeFilter(redactor)


def _handlers() -> list[logging.Handler]:
    return [h for h in [*logging.getLogger().handlers, logging.lastResort] if h is not None]
