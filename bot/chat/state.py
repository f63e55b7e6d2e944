"""What a chat bot remembers across restarts: events it handled, conversations it answered in.

Slack keeps it in `slack.sqlite3` (events, and threads by channel and root message), Discord
in `discord.sqlite3` (its answers by channel and message id), both in the data directory."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from index.store.sqlite import open_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (
    key TEXT PRIMARY KEY,       -- "event:Ev123", "message:C123:1712345678.000100" (Slack)
    at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS threads (
    channel TEXT NOT NULL,
    ts TEXT NOT NULL,           -- the thread's root message (Slack), an answer's id (Discord)
    question TEXT NOT NULL,     -- the first question asked in it: the context of follow-ups
    at REAL NOT NULL,
    PRIMARY KEY (channel, ts)
);
"""
SEEN_SECONDS = 24 * 3600  # Slack retries an event for minutes, never for a day
THREAD_SECONDS = 90 * 24 * 3600  # follow-ups in a thread older than this start afresh


class ChatState:
    """SQLite beside the archive; safe to share between threads (Bolt's workers, Discord's
    calls off its event loop)."""

    def __init__(self, path: Path):
        self._db = open_database(path)
        self._lock = threading.Lock()
        self._claims = 0
        self._db.executescript(_SCHEMA)
        self._prune()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def claim(self, key: str) -> bool:
        """True the first time `key` is claimed, False ever after (a retry, a duplicate)."""
        with self._lock:
            inserted = self._db.execute(
                "INSERT OR IGNORE INTO seen VALUES (?, ?)", (key, time.time())
            ).rowcount
            self._claims += 1
        if self._claims % 1000 == 0:
            self._prune()
        return inserted == 1

    def remember_thread(self, channel: str, ts: str, question: str) -> None:
        """Note a conversation the bot answered in; its first question is kept, later ones are
        not."""
        with self._lock:
            self._db.execute(
                "INSERT OR IGNORE INTO threads VALUES (?, ?, ?, ?)",
                (channel, ts, question, time.time()),
            )

    def thread_question(self, channel: str, ts: str) -> str | None:
        """The first question of a conversation the bot answered in, or None for any other."""
        with self._lock:
            row = self._db.execute(
                "SELECT question FROM threads WHERE channel = ? AND ts = ?", (channel, ts)
            ).fetchone()
        return row[0] if row else None

    def _prune(self) -> None:
        now = time.time()
        with self._lock:
            self._db.execute("DELETE FROM seen WHERE at < ?", (now - SEEN_SECONDS,))
            self._db.execute("DELETE FROM threads WHERE at < ?", (now - THREAD_SECONDS,))
