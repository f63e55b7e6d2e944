"""The watched feeds and their polling state, in feeds.sqlite3 beside the archive."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from index.errors import InputError
from index.store.sqlite import open_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY,
    added_at TEXT NOT NULL,
    added_by TEXT,                    -- who added it: a chat user, "watch", "FEEDS setting"
    etag TEXT,                        -- validators for the next conditional request
    last_modified TEXT,
    ttl_minutes INTEGER,              -- the feed's own <ttl>
    polled_at REAL,                   -- seconds since the epoch, of the last poll
    next_poll REAL,                   -- not polled before this (interval, or back-off)
    claimed_until REAL,               -- a process is polling it until then
    last_ok REAL,
    failures INTEGER NOT NULL DEFAULT 0, -- consecutive failed polls
    last_error TEXT,
    failing_since REAL
);
-- the entries of each feed's last successful poll, as the feed gave them
CREATE TABLE IF NOT EXISTS entries (
    feed TEXT NOT NULL,
    article_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    PRIMARY KEY (feed, article_id)
);
"""
MAX_FEEDS = 500  # feeds one data directory may watch


@dataclass(frozen=True)
class FeedState:
    """One watched feed and how its polling has gone."""

    url: str
    added_at: str
    added_by: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    ttl_minutes: int | None = None
    polled_at: float | None = None
    next_poll: float | None = None
    claimed_until: float | None = None
    last_ok: float | None = None
    failures: int = 0
    last_error: str | None = None
    failing_since: float | None = None


class FeedStore:
    """Feeds in one SQLite file; safe to share between threads and processes."""

    def __init__(self, path: Path):
        self._db = open_database(path, durable=True)
        self._lock = threading.Lock()
        with self._lock:
            self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def add(self, url: str, by: str | None = None) -> bool:
        """Watch a feed; False if it was watched already."""
        with self._lock:
            count = self._db.execute("SELECT count(*) FROM feeds").fetchone()[0]
            known = self._db.execute("SELECT 1 FROM feeds WHERE url = ?", (url,)).fetchone()
            if known:
                return False
            if count >= MAX_FEEDS:
                raise InputError(f"{MAX_FEEDS} feeds are watched already: remove one first")
            self._db.execute(
                "INSERT INTO feeds (url, added_at, added_by) VALUES (?, ?, ?)",
                (url, datetime.now(UTC).isoformat(timespec="seconds"), by),
            )
            return True

    def remove(self, url: str) -> bool:
        """Stop watching a feed and forget its state; False if it was not watched."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            gone = self._db.execute("DELETE FROM feeds WHERE url = ?", (url,)).rowcount
            self._db.execute("DELETE FROM entries WHERE feed = ?", (url,))
            self._db.execute("COMMIT")
        return bool(gone)

    def feeds(self) -> list[FeedState]:
        with self._lock:
            rows = self._db.execute(f"SELECT {_FIELDS} FROM feeds ORDER BY added_at, url")
            return [FeedState(*row) for row in rows.fetchall()]

    def get(self, url: str) -> FeedState | None:
        with self._lock:
            row = self._db.execute(f"SELECT {_FIELDS} FROM feeds WHERE url = ?", (url,))
            found = row.fetchone()
        return FeedState(*found) if found else None

    def claim(self, url: str, now: float, until: float) -> bool:
        """Take a feed to poll it now; False while another thread or process polls it."""
        with self._lock:
            return (
                self._db.execute(
                    "UPDATE feeds SET claimed_until = ? WHERE url = ?"
                    " AND (claimed_until IS NULL OR claimed_until <= ?)",
                    (until, url, now),
                ).rowcount
                == 1
            )

    def succeeded(
        self,
        url: str,
        now: float,
        next_poll: float,
        *,
        etag: str | None,
        last_modified: str | None,
        ttl_minutes: int | None = None,
        entries: dict[str, str] | None = None,
    ) -> int:
        """Record a successful poll (and the entries it read, unless not modified); returns
        how many polls had failed in a row before it."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            row = self._db.execute("SELECT failures FROM feeds WHERE url = ?", (url,)).fetchone()
            self._db.execute(
                "UPDATE feeds SET etag = ?, last_modified = ?, ttl_minutes = coalesce(?,"
                " ttl_minutes), polled_at = ?, next_poll = ?, claimed_until = NULL,"
                " last_ok = ?, failures = 0, last_error = NULL, failing_since = NULL"
                " WHERE url = ?",
                (etag, last_modified, ttl_minutes, now, next_poll, now, url),
            )
            if entries is not None and row:
                self._db.execute("DELETE FROM entries WHERE feed = ?", (url,))
                self._db.executemany(
                    "INSERT INTO entries VALUES (?, ?, ?)",
                    [(url, key, value) for key, value in entries.items()],
                )
            self._db.execute("COMMIT")
        return row[0] if row else 0

    def failed(self, url: str, now: float, next_poll: float, error: str) -> int:
        """Record a failed poll; returns how many polls have now failed in a row."""
        with self._lock:
            self._db.execute(
                "UPDATE feeds SET polled_at = ?, next_poll = ?, claimed_until = NULL,"
                " failures = failures + 1, last_error = ?,"
                " failing_since = coalesce(failing_since, ?) WHERE url = ?",
                (now, next_poll, error, now, url),
            )
            row = self._db.execute("SELECT failures FROM feeds WHERE url = ?", (url,)).fetchone()
        return row[0] if row else 0

    def entries(self, url: str) -> dict[str, str]:
        """{article id: content hash} of the entries the feed's last successful poll read."""
        with self._lock:
            rows = self._db.execute(
                "SELECT article_id, content_hash FROM entries WHERE feed = ?", (url,)
            )
            return dict(rows.fetchall())


_FIELDS = (
    "url, added_at, added_by, etag, last_modified, ttl_minutes, polled_at, next_poll,"
    " claimed_until, last_ok, failures, last_error, failing_since"
)
