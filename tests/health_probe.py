"""For the health tests: GET /healthz as a load balancer would, and real damage to a data
directory's files (the search index's table of contents, the article store)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import eventually

WAIT_SECONDS = 30


def get_health(port: int) -> tuple[int, dict]:
    """The status and JSON body of GET http://127.0.0.1:PORT/healthz (a 503 too)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def wait_for_health(
    port: int, status: int = 200, until=lambda body: True, stop=lambda: False
) -> dict | None:
    """The body once /healthz answers `status` with a body `until` accepts (a bot takes a
    moment to start and connect); fails with the last answer if it never does. None as soon as
    `stop()` is true (the bot ended: its caller says why)."""
    last: list = [None]

    def answered() -> tuple[dict | None] | None:  # a tuple: even an empty body is an answer
        if stop():
            return (None,)
        try:
            got, body = get_health(port)
        except OSError as error:  # not listening yet
            last[0] = error
            return None
        last[0] = (got, body)
        return (body,) if got == status and until(body) else None

    try:
        return eventually(answered, timeout=WAIT_SECONDS, what=f"/healthz to answer {status}")[0]
    except AssertionError as error:
        raise AssertionError(f"{error}; last: {last[0]!r}") from None


def damage_index(data_dir: Path) -> None:
    """Cut the search index's latest table of contents short, as a full disk might."""
    tocs = sorted(
        (data_dir / "passages").glob("_MAIN_*.toc"), key=lambda p: int(p.stem.rsplit("_", 1)[1])
    )
    assert tocs, "no table of contents to damage"
    toc = tocs[-1]
    toc.write_bytes(toc.read_bytes()[:20])


def damage_store(data_dir: Path) -> None:
    """Overwrite the article store with bytes that are not a database (its journal gone)."""
    store = data_dir / "articles.sqlite3"
    store.write_bytes(b"not a database!\n" * max(1, store.stat().st_size // 16))
    for journal in ("articles.sqlite3-wal", "articles.sqlite3-shm"):
        (data_dir / journal).unlink(missing_ok=True)
