"""Feeds for the watcher tests: RSS built at run time, served with ETag and Last-Modified by a
route that answers conditional requests with 304 and records every request and answer."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape


@dataclass(frozen=True)
class Entry:
    title: str
    link: str
    text: str  # paragraphs separated by blank lines
    published: str = "Mon, 04 May 2026 09:15:00 -0400"
    full: bool = True  # content:encoded; else only a <description> summary
    author: str | None = None  # dc:creator


def rss(entries: list[Entry], title: str = "Valley Wire", ttl: int | None = None) -> bytes:
    items = []
    for e in entries:
        html = "".join(f"<p>{escape(p)}</p>" for p in e.text.split("\n\n"))
        body = (
            f"<content:encoded><![CDATA[{html}]]></content:encoded>"
            if e.full
            else f"<description><![CDATA[{html}]]></description>"
        )
        creator = f"<dc:creator>{escape(e.author)}</dc:creator>" if e.author else ""
        items.append(
            f"<item><title>{escape(e.title)}</title><link>{escape(e.link)}</link>"
            f"<guid>{escape(e.link)}</guid><pubDate>{e.published}</pubDate>{creator}{body}</item>"
        )
    extra = f"<ttl>{ttl}</ttl>" if ttl else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{escape(title)}</title><link>https://valleywire.example/</link>{extra}"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


@dataclass
class Served:
    """One request to the feed and the answer it got."""

    headers: dict
    status: int
    body_bytes: int


@dataclass
class ConditionalFeed:
    """A route: the current feed with validators; 304 when the client's validators match."""

    data: bytes
    failing: int | None = None  # answer with this status instead, while set
    log: list[Served] = field(default_factory=list)
    _version: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def set(self, data: bytes) -> None:
        with self._lock:
            self.data, self._version = data, self._version + 1

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.data).hexdigest()[:16] + '"'

    @property
    def last_modified(self) -> str:
        moment = datetime(2026, 5, 4, 12, 0, tzinfo=UTC) + timedelta(minutes=self._version)
        return format_datetime(moment, usegmt=True)

    def __call__(self, handler) -> None:
        with self._lock:
            headers = dict(handler.headers.items())
            if self.failing:
                body = b"Service Unavailable"
                self.log.append(Served(headers, self.failing, len(body)))
                handler.send_response(self.failing)
                handler.send_header("Content-Type", "text/plain")
                handler.send_header("Content-Length", str(len(body)))
                handler.end_headers()
                handler.wfile.write(body)
                return
            match = headers.get("If-None-Match") == self.etag or (
                "If-None-Match" not in headers
                and headers.get("If-Modified-Since") == self.last_modified
            )
            body = b"" if match else self.data
            # Logged before answering: the client may read the answer, and the test the log,
            # before this thread runs again.
            self.log.append(Served(headers, 304 if match else 200, len(body)))
            handler.send_response(304 if match else 200)
            handler.send_header("ETag", self.etag)
            handler.send_header("Last-Modified", self.last_modified)
            if not match:
                handler.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)


class Clock:
    """The watcher's clock, moved on by the test: seconds since the epoch."""

    def __init__(self, start: float = 1_780_000_000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
