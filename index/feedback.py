"""Answers shown in chat and the 👍 / 👎 votes on them, kept for the newsroom's own evaluation."""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from index.answer import Quote

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY,
    surface TEXT NOT NULL,      -- "slack", "discord", ...
    question TEXT NOT NULL,
    context TEXT,               -- the thread's first question, for a follow-up
    quotes TEXT NOT NULL,       -- JSON: [{"article": id, "paragraph": n, "quote": text}, ...]
    shown_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS votes (
    answer_id TEXT NOT NULL REFERENCES answers (id),
    user TEXT NOT NULL,
    vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    voted_at TEXT NOT NULL,
    PRIMARY KEY (answer_id, user)
);
"""


@dataclass(frozen=True)
class ShownAnswer:
    """An answer as it was shown: enough to show more of it, or to judge it later."""

    id: str
    surface: str
    question: str
    context: str | None
    quotes: list[dict]
    shown_at: str


@dataclass(frozen=True)
class Vote:
    answer: ShownAnswer
    user: str
    vote: int
    voted_at: str


class FeedbackStore:
    """SQLite beside the archive; safe to share between threads and processes."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=60, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def record_answer(
        self, surface: str, question: str, quotes: Sequence[Quote], context: str | None = None
    ) -> str:
        """Remember an answer that was shown; returns its id for buttons to carry."""
        answer_id = uuid.uuid4().hex[:16]
        shown = [
            {"article": q.citation.article_id, "paragraph": q.paragraph, "quote": q.text}
            for q in quotes
        ]
        with self._lock:
            self._db.execute(
                "INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?)",
                (answer_id, surface, question, context, json.dumps(shown), _now()),
            )
        return answer_id

    def answer(self, answer_id: str) -> ShownAnswer | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM answers WHERE id = ?", (answer_id,)).fetchone()
        return _shown(row) if row else None

    def vote(self, answer_id: str, user: str, vote: int) -> bool:
        """Record a user's vote (+1 or -1), replacing their earlier one; False if no such answer."""
        if vote not in (-1, 1):
            raise ValueError("a vote is +1 or -1")
        with self._lock:
            if not self._db.execute("SELECT 1 FROM answers WHERE id = ?", (answer_id,)).fetchone():
                return False
            self._db.execute(
                "INSERT INTO votes VALUES (?, ?, ?, ?) ON CONFLICT (answer_id, user)"
                " DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at",
                (answer_id, user, vote, _now()),
            )
        return True

    def votes(self) -> list[Vote]:
        """Every vote with the answer it judged, newest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT a.*, v.user, v.vote, v.voted_at FROM votes v"
                " JOIN answers a ON a.id = v.answer_id ORDER BY v.voted_at DESC"
            ).fetchall()
        return [Vote(_shown(row[:6]), row[6], row[7], row[8]) for row in rows]


def _shown(row) -> ShownAnswer:
    answer_id, surface, question, context, quotes, shown_at = row
    return ShownAnswer(answer_id, surface, question, context, json.loads(quotes), shown_at)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
