"""One way to open the project's SQLite files: shared by threads, WAL, waiting for writers."""

from __future__ import annotations

import sqlite3
from pathlib import Path

WAIT_SECONDS = 60.0  # how long a statement waits for another connection's transaction


def open_database(
    path: Path, *, wait: float = WAIT_SECONDS, durable: bool = False
) -> sqlite3.Connection:
    """A connection to the SQLite file at `path` (its folder made if need be) that threads may
    share behind the caller's lock, in autocommit mode (transactions are explicit), with
    write-ahead logging so readers never wait for a writer. `durable`: every commit is on
    disk before it returns (synchronous=FULL), which survives power loss."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=wait, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    if durable:
        db.execute("PRAGMA synchronous=FULL")
    return db
