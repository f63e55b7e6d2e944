"""The health check of every long-running mode: the archive can be read, the feed watcher is
alive, the chat platform was heard from lately; `GET /healthz` answers 200 or 503 with why."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from index.archive import Archive
from index.errors import InputError

log = logging.getLogger(__name__)
PATH = "/healthz"
# Seconds without a word from the platform before the bot is unhealthy. Slack's Socket Mode
# client pings every 10 s (and reconnects after 40 s of silence); Discord's gateway asks for a
# heartbeat about every 41 s (discord.py reconnects after 60 s of silence).
HEARD_WITHIN = 120.0


@dataclass(frozen=True)
class Link:
    """A chat connection as its adapter sees it at one moment."""

    connected: bool
    heard_at: float | None  # when the platform last sent anything (clock of the check)


@dataclass(frozen=True)
class Report:
    """One health check: ok, or the reasons it is not; a few figures either way."""

    reasons: tuple[str, ...]
    figures: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.reasons

    @property
    def status(self) -> int:
        return 200 if self.ok else 503

    def body(self) -> dict:
        reasons = {} if self.ok else {"reasons": list(self.reasons)}
        return {"ok": self.ok, **reasons, **self.figures}


class Heard:
    """When a platform last sent this bot anything: `note()` it from the adapter's listener."""

    def __init__(self, clock: Callable[[], float] = time.time):
        self.clock = clock
        self.at: float | None = None

    def note(self, at: float | None = None) -> None:
        at = self.clock() if at is None else at
        if self.at is None or at > self.at:
            self.at = at


class HealthCheck:
    """Reads the archive afresh at every check, so that a damaged file is seen at once.

    `watcher` says whether the background feed watcher is alive (None: the mode has none);
    `link` describes the chat connection (None: the mode keeps none open, as Slack's HTTP
    mode, where Slack calls the bot)."""

    def __init__(
        self,
        archive: Archive,
        mode: str,
        *,
        watcher: Callable[[], bool] | None = None,
        link: Callable[[], Link] | None = None,
        platform: str = "",
        clock: Callable[[], float] = time.time,
        within: float = HEARD_WITHIN,
    ):
        self.archive = archive
        self.mode = mode
        self.watcher = watcher
        self.link = link
        self.platform = platform
        self.clock = clock
        self.within = within

    def __call__(self) -> Report:
        reasons: list[str] = []
        probe = self.archive.probe()
        reasons.extend(probe.problems)
        figures: dict = {"mode": self.mode, "articles": probe.articles, "passages": probe.passages}
        if self.watcher is not None:
            alive = self.watcher()
            figures["feed_watcher"] = "running" if alive else "stopped"
            if not alive:
                reasons.append("the feed watcher has stopped")
        if self.link is not None:
            reasons.extend(self._link(self.link(), figures))
        return Report(tuple(reasons), figures)

    def _link(self, link: Link, figures: dict) -> list[str]:
        ago = None if link.heard_at is None else max(0.0, self.clock() - link.heard_at)
        figures["connected"] = link.connected
        figures["heard_seconds_ago"] = None if ago is None else round(ago, 1)
        if not link.connected:
            return [f"not connected to {self.platform}"]
        if ago is None:
            return [f"nothing heard from {self.platform} yet"]
        if ago > self.within:
            return [f"nothing heard from {self.platform} for {ago:.0f} seconds"]
        return []


def safe_report(check: Callable[[], Report]) -> Report:
    """The check's report; a check that fails is a reason too (logged with its traceback)."""
    try:
        return check()
    except Exception:
        log.exception("The health check failed")
        return Report(("the health check itself failed",))


class HealthServer:
    """`GET /healthz` on 127.0.0.1, from a daemon thread of its own (stdlib http.server)."""

    def __init__(self, check: Callable[[], Report], port: int, host: str = "127.0.0.1"):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path.split("?", 1)[0] != PATH:
                    self._send(404, {"ok": False, "reasons": [f"not found; try {PATH}"]})
                    return
                report = safe_report(check)
                self._send(report.status, report.body())

            def _send(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args) -> None:
                log.debug("Health check: " + format, *args)

        try:
            self._server = ThreadingHTTPServer((host, port), Handler)
        except OSError as error:
            raise InputError(f"cannot listen on health port {port}: {error.strerror}") from None
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="health-check", daemon=True
        )

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def start(self) -> HealthServer:
        self._thread.start()
        log.info("Health check on http://127.0.0.1:%d%s", self.port, PATH)
        return self

    def close(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> HealthServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()


@contextmanager
def serving(check: Callable[[], Report], port: int | None) -> Iterator[HealthServer | None]:
    """A HealthServer on `port` while the block runs; nothing when no port was asked for."""
    if not port:
        yield None
        return
    with HealthServer(check, port) as server:
        yield server
