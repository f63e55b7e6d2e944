"""Answers shown in chat, the 👍 / 👎 votes on them, and the log of questions asked: what the
newsroom asks, kept for its own evaluation."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from index.answering.answers import Quote
from index.store.sqlite import open_database

QUESTION_LOG_DAYS = 90  # days a logged question is kept; 0: no question is logged
SALT_FILE = "questions.salt"  # beside the database: askers' ids are hashed with it

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY,
    surface TEXT NOT NULL,      -- "slack", "discord", ...
    question TEXT NOT NULL,
    context TEXT,               -- the thread's first question, for a follow-up
    quotes TEXT NOT NULL,       -- JSON: [{"article": id, "paragraph": n, "quote": text}, ...]
    shown_at TEXT NOT NULL,
    question_id TEXT            -- the logged question it answers (questions.id), if logged
);
CREATE TABLE IF NOT EXISTS votes (
    answer_id TEXT NOT NULL REFERENCES answers (id),
    user TEXT NOT NULL,         -- the voter's id on the platform, hashed with the salt file
    vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    voted_at TEXT NOT NULL,
    PRIMARY KEY (answer_id, user)
);
CREATE TABLE IF NOT EXISTS questions (
    id TEXT PRIMARY KEY,
    asked_at TEXT NOT NULL,     -- UTC, ISO 8601
    platform TEXT NOT NULL,     -- "slack", "discord", "console"
    asker TEXT,                 -- the asker's id on the platform, hashed with the salt file
    question TEXT NOT NULL,
    quotes INTEGER NOT NULL,    -- quotes found (up to the surface's limit)
    article_id TEXT,            -- the top quote's (or fact's) article
    article_title TEXT,
    answered INTEGER NOT NULL,  -- 0: "Nothing in the archive answers that"
    ms REAL NOT NULL            -- time taken to answer
);
CREATE INDEX IF NOT EXISTS questions_asked_at ON questions (asked_at);
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
    question_id: str | None = None  # the logged question it answers


@dataclass(frozen=True)
class Vote:
    answer: ShownAnswer
    user: str  # hashed, as the askers of the question log are
    vote: int
    voted_at: str


@dataclass(frozen=True)
class LoggedQuestion:
    """A question as the log keeps it, with the votes its answers got."""

    id: str
    asked_at: str
    platform: str
    asker: str | None  # hashed
    question: str
    quotes: int
    article_id: str | None
    article_title: str | None
    answered: bool
    ms: float
    votes_up: int = 0
    votes_down: int = 0


class FeedbackStore:
    """SQLite beside the archive; safe to share between threads and processes.

    Questions, and the answers shown and their votes, are kept for `question_days` days (0: no
    question is logged, and nothing is pruned); older ones are pruned at start and as new
    questions arrive. Askers and voters are kept only as salted hashes. `clock` gives the time
    (UTC)."""

    def __init__(
        self,
        path: Path,
        *,
        question_days: int = QUESTION_LOG_DAYS,
        clock: Callable[[], datetime] | None = None,
    ):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.question_days = question_days
        self._clock = clock or (lambda: datetime.now(UTC))
        self._salt_path = path.parent / SALT_FILE
        self._salt: bytes | None = None
        self._db = open_database(path)
        self._lock = threading.Lock()
        self._db.executescript(_SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(answers)")}
        if "question_id" not in columns:  # a store made before questions were logged
            try:
                self._db.execute("ALTER TABLE answers ADD COLUMN question_id TEXT")
            except sqlite3.OperationalError as error:  # another process added it meanwhile
                if "duplicate column" not in str(error):
                    raise
        self._db.execute("CREATE INDEX IF NOT EXISTS answers_question ON answers (question_id)")
        with self._lock:
            self._hash_raw_voters()
            if question_days:
                self._prune()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def record_answer(
        self,
        surface: str,
        question: str,
        quotes: Sequence[Quote],
        context: str | None = None,
        question_id: str | None = None,
    ) -> str:
        """Remember an answer that was shown; returns its id for buttons to carry."""
        answer_id = uuid.uuid4().hex[:16]
        shown = [
            {"article": q.citation.article_id, "paragraph": q.paragraph, "quote": q.text}
            for q in quotes
        ]
        with self._lock:
            self._db.execute(
                f"INSERT INTO answers ({_ANSWER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    answer_id,
                    surface,
                    question,
                    context,
                    json.dumps(shown),
                    self._now(),
                    question_id,
                ),
            )
        return answer_id

    def answer(self, answer_id: str) -> ShownAnswer | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {_ANSWER_COLUMNS} FROM answers WHERE id = ?", (answer_id,)
            ).fetchone()
        return _shown(row) if row else None

    def vote(self, answer_id: str, user: str, vote: int) -> bool:
        """Record a user's vote (+1 or -1), replacing their earlier one; False if no such answer.
        The user's id is kept hashed with the answer's surface, as askers are."""
        if vote not in (-1, 1):
            raise ValueError("a vote is +1 or -1")
        with self._lock:
            shown = self._db.execute(
                "SELECT surface FROM answers WHERE id = ?", (answer_id,)
            ).fetchone()
            if not shown:
                return False
            self._db.execute(
                "INSERT INTO votes VALUES (?, ?, ?, ?) ON CONFLICT (answer_id, user)"
                " DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at",
                (answer_id, self.hash_asker(shown[0], user), vote, self._now()),
            )
        return True

    def votes(self) -> list[Vote]:
        """Every vote with the answer it judged, newest first."""
        columns = ", ".join(f"a.{c.strip()}" for c in _ANSWER_COLUMNS.split(","))
        with self._lock:
            rows = self._db.execute(
                f"SELECT {columns}, v.user, v.vote, v.voted_at FROM votes v"
                " JOIN answers a ON a.id = v.answer_id ORDER BY v.voted_at DESC"
            ).fetchall()
        return [Vote(_shown(row[:7]), row[7], row[8], row[9]) for row in rows]

    # --- the question log --------------------------------------------------------------------

    def log_question(
        self,
        platform: str,
        asker: str | None,
        question: str,
        *,
        quotes: int,
        article_id: str | None,
        article_title: str | None,
        answered: bool,
        ms: float,
    ) -> str | None:
        """Log a question (the asker's id hashed) and prune the expired; returns its id, or
        None when questions are not logged."""
        if not self.question_days:
            return None
        hashed = self.hash_asker(platform, asker) if asker else None
        question_id = uuid.uuid4().hex[:16]
        asked_at = self._clock().astimezone(UTC).isoformat(timespec="milliseconds")
        row = (question_id, asked_at, platform, hashed, question, quotes)
        row += (article_id, article_title, int(answered), round(ms, 1))
        with self._lock:
            self._db.execute("INSERT INTO questions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
            self._prune()
        return question_id

    def hash_asker(self, platform: str, asker: str) -> str:
        """The asker's id as the log keeps it: keyed with the data directory's own salt, so it
        cannot be found again by hashing known ids without the salt file."""
        if self._salt is None:
            self._salt = _salt(self._salt_path)
        digest = hmac.new(self._salt, f"{platform}:{asker}".encode(), hashlib.sha256)
        return digest.hexdigest()[:32]

    def logged_questions(self, since: str | None = None) -> list[LoggedQuestion]:
        """The questions logged (on or after `since`, a UTC date or time), oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT q.*,"
                " (SELECT count(*) FROM answers a JOIN votes v ON v.answer_id = a.id"
                "  WHERE a.question_id = q.id AND v.vote = 1),"
                " (SELECT count(*) FROM answers a JOIN votes v ON v.answer_id = a.id"
                "  WHERE a.question_id = q.id AND v.vote = -1)"
                " FROM questions q WHERE q.asked_at >= ? ORDER BY q.asked_at",
                (since or "",),
            ).fetchall()
        return [_logged(row) for row in rows]

    def _prune(self) -> None:
        cutoff = (self._clock() - timedelta(days=self.question_days)).astimezone(UTC)
        self._db.execute(
            "DELETE FROM questions WHERE asked_at < ?", (cutoff.isoformat(timespec="milliseconds"),)
        )
        shown_before = cutoff.isoformat(timespec="seconds")
        self._db.execute(
            "DELETE FROM votes WHERE answer_id IN (SELECT id FROM answers WHERE shown_at < ?)",
            (shown_before,),
        )
        self._db.execute("DELETE FROM answers WHERE shown_at < ?", (shown_before,))

    def _hash_raw_voters(self) -> None:
        """Votes kept by a version that stored voters' raw ids get them hashed, once."""
        raw = self._db.execute(
            "SELECT v.rowid, a.surface, v.user FROM votes v JOIN answers a ON a.id = v.answer_id"
            " WHERE length(v.user) != 32 OR v.user GLOB '*[^0-9a-f]*'"
        ).fetchall()
        for rowid, surface, user in raw:
            self._db.execute(  # OR REPLACE: should the hashed vote exist already, it gives way
                "UPDATE OR REPLACE votes SET user = ? WHERE rowid = ?",
                (self.hash_asker(surface, user), rowid),
            )

    def _now(self) -> str:
        return self._clock().astimezone(UTC).isoformat(timespec="seconds")


_ANSWER_COLUMNS = "id, surface, question, context, quotes, shown_at, question_id"


def _shown(row) -> ShownAnswer:
    answer_id, surface, question, context, quotes, shown_at, question_id = row
    return ShownAnswer(
        answer_id, surface, question, context, json.loads(quotes), shown_at, question_id
    )


def _logged(row) -> LoggedQuestion:
    *fields, answered, ms, up, down = row
    return LoggedQuestion(*fields, answered=bool(answered), ms=ms, votes_up=up, votes_down=down)


def _salt(path: Path) -> bytes:
    """The salt kept in `path`, made the first time (32 random bytes, readable by the owner
    alone); processes starting at once agree on one."""
    if not path.exists():
        fresh = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        descriptor = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32) + "\n")
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(fresh, path)  # never replaces a salt another process made meanwhile
        except FileExistsError:
            pass
        finally:
            fresh.unlink()
    return bytes.fromhex(path.read_text().strip())
