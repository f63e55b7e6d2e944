"""One way to open the project's SQLite files: shared by threads, WAL, waiting for writers."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

WAIT_SECONDS = 60.0  # how long a statement waits for another connection's transaction
RETRY_FIRST, RETRY_MOST = 0.005, 0.2  # seconds between tries to switch a file to WAL


def open_database(
    path: Path, *, wait: float = WAIT_SECONDS, durable: bool = False
) -> sqlite3.Connection:
    """A connection to the SQLite file at `path` (its folder made if need be) that threads may
    share behind the caller's lock, in autocommit mode (transactions are explicit), with
    write-ahead logging so readers never wait for a writer. `durable`: every commit is on
    disk before it returns (synchronous=FULL), which survives power loss."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=wait, check_same_thread=False, isolation_level=None)
    _write_ahead(db, wait)
    if durable:
        db.execute("PRAGMA synchronous=FULL")
    return db


def _write_ahead(db: sqlite3.Connection, wait: float) -> None:
    """Switch to write-ahead logging, waiting up to `wait` seconds for other connections.
    SQLite answers "database is locked" at once, without waiting as it does for statements,
    when another process is switching the same new file at that moment (several `ingest`
    processes started together on a new data directory)."""
    deadline = time.monotonic() + wait
    pause = RETRY_FIRST
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, RETRY_MOST)
