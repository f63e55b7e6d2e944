"""The articles' source of truth: SQLite, with a journal of what the search index still lacks."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from index.article import Article, Paragraph, normalize_url

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    url TEXT,
    url_key TEXT,                     -- the URL as normalize_url() gives it, for lookups
    title TEXT NOT NULL,
    author TEXT,
    source TEXT,
    source_url TEXT,
    published TEXT,
    updated TEXT,
    paragraphs TEXT NOT NULL,         -- JSON: [[text, heading], ...]
    content_hash TEXT NOT NULL,
    indexed_hash TEXT,                -- the content_hash the search index holds, if any
    removed INTEGER NOT NULL DEFAULT 0, -- removed, but maybe still in the search index
    origin TEXT,
    added_at TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_url ON articles (url_key);
-- the journal: rows the search index does not hold yet, and rows it must still drop
CREATE INDEX IF NOT EXISTS articles_unindexed ON articles (id)
    WHERE indexed_hash IS NOT content_hash;
CREATE INDEX IF NOT EXISTS articles_removed ON articles (id) WHERE removed = 1;
"""
BUSY_TIMEOUT = 600.0  # seconds a statement waits for another connection's transaction
_COLUMNS = "id, url, title, author, source, source_url, published, updated, paragraphs, origin"
_WRITTEN = [
    "id",
    "url",
    "url_key",
    "title",
    "author",
    "source",
    "source_url",
    "published",
    "updated",
    "paragraphs",
    "content_hash",
    "origin",
    "added_at",
    "changed_at",
]
_UPSERT = (
    f"INSERT INTO articles ({', '.join(_WRITTEN)}) VALUES ({', '.join('?' * len(_WRITTEN))})"
    " ON CONFLICT (id) DO UPDATE SET removed = 0, "
    + ", ".join(f"{c} = excluded.{c}" for c in _WRITTEN if c not in ("id", "added_at"))
)


@dataclass(frozen=True)
class Stored:
    """What happened to one article given to the store: added, updated or unchanged."""

    article: Article
    status: str


@dataclass(frozen=True)
class Pending:
    """An article the journal says the index lacks, and the content hash its row holds."""

    article: Article
    stored_hash: str

    @property
    def content_hash(self) -> str:
        return self.article.content_hash


class ArticleStore:
    """Articles in one SQLite file; safe to share between threads and processes.

    Every commit is on disk before it returns (WAL, synchronous=FULL): an article the store
    reported as added survives SIGKILL and power loss. Reads use their own connection, so
    they never wait behind a write.
    """

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = _connect(path)
        self._lock = threading.RLock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
        self._reader = _connect(path)
        self._read_lock = threading.Lock()

    def close(self) -> None:
        with self._read_lock:
            self._reader.close()
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self):
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def _reading(self):
        with self._read_lock:
            yield self._reader

    def put(self, articles: Iterable[Article]) -> list[Stored]:
        """Store articles, replacing earlier versions with the same id; one transaction."""
        now = _now()
        results = []
        with self._transaction() as db:
            for article in articles:
                row = db.execute(
                    "SELECT content_hash, removed FROM articles WHERE id = ?", (article.id,)
                ).fetchone()
                if row and row[0] == article.content_hash and not row[1]:
                    results.append(Stored(article, "unchanged"))
                    continue
                db.execute(_UPSERT, (*_row(article), article.origin, now, now))
                results.append(Stored(article, "updated" if row and not row[1] else "added"))
        return results

    def mark_indexed(self, pending: Iterable[Pending]) -> None:
        """Record that the search index now holds these versions of these articles.

        A row changed since it was read keeps its journal entry. The stored hash becomes the
        one the index was given, so a hash computed differently (an older release) heals."""
        with self._transaction() as db:
            db.executemany(
                "UPDATE articles SET indexed_hash = ?, content_hash = ?"
                " WHERE id = ? AND content_hash = ?",
                [(p.content_hash, p.content_hash, p.article.id, p.stored_hash) for p in pending],
            )

    def mark_removed(self, article_id: str) -> None:
        """Take an article out of the archive; purge() finishes once the index has dropped it."""
        with self._transaction() as db:
            db.execute("UPDATE articles SET removed = 1 WHERE id = ?", (article_id,))

    def purge(self, article_ids: Iterable[str]) -> None:
        with self._transaction() as db:
            db.executemany(
                "DELETE FROM articles WHERE id = ? AND removed = 1", [(i,) for i in article_ids]
            )

    def forget_indexed(self) -> None:
        """Record that the search index holds nothing: every article is to be indexed again."""
        with self._transaction() as db:
            db.execute("UPDATE articles SET indexed_hash = NULL WHERE indexed_hash IS NOT NULL")

    def unindexed(self, limit: int = -1) -> list[Pending]:
        """Articles whose current version the search index may not hold yet (at most `limit`)."""
        with self._reading() as db:
            rows = db.execute(
                f"SELECT {_COLUMNS}, content_hash FROM articles"
                " WHERE indexed_hash IS NOT content_hash AND removed = 0 LIMIT ?",
                (limit,),
            ).fetchall()
        return [Pending(_article(row[:-1]), row[-1]) for row in rows]

    def journal(self) -> set[str]:
        """The ids of every article the search index lacks or must still drop."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT id FROM articles WHERE indexed_hash IS NOT content_hash"
                " UNION SELECT id FROM articles WHERE removed = 1"
            )
            return {row[0] for row in rows}

    def removed(self) -> list[str]:
        with self._reading() as db:
            return [r[0] for r in db.execute("SELECT id FROM articles WHERE removed = 1")]

    def find(self, id_or_url: str) -> Article | None:
        """An article by its id or by its URL."""
        key = id_or_url.strip()
        with self._reading() as db:
            row = db.execute(
                f"SELECT {_COLUMNS} FROM articles WHERE removed = 0 AND (id = ? OR url_key = ?)"
                " LIMIT 1",
                (key, normalize_url(key) if "://" in key else None),
            ).fetchone()
        return _article(row) if row else None

    def articles(self) -> Iterator[Article]:
        """Every article, newest publication first (undated ones last)."""
        with self._reading() as db:
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM articles WHERE removed = 0"
                " ORDER BY published IS NULL, published DESC, added_at DESC"
            ).fetchall()
        return (_article(row) for row in rows)

    def versions(self) -> dict[str, str]:
        """{article id: content hash} of every article in the archive."""
        with self._reading() as db:
            rows = db.execute("SELECT id, content_hash FROM articles WHERE removed = 0")
            return dict(rows.fetchall())

    def count(self) -> int:
        with self._reading() as db:
            return db.execute("SELECT count(*) FROM articles WHERE removed = 0").fetchone()[0]

    def paragraph_count(self) -> int:
        """How many passages the search index should hold: every article's paragraphs."""
        with self._reading() as db:
            row = db.execute(
                "SELECT total(json_array_length(paragraphs)) FROM articles WHERE removed = 0"
            ).fetchone()
        return int(row[0])


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA synchronous=FULL")
    return db


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _row(article: Article) -> tuple:
    paragraphs = json.dumps([[p.text, p.heading] for p in article.paragraphs], ensure_ascii=False)
    return (
        article.id,
        article.url,
        normalize_url(article.url) if article.url else None,
        article.title,
        article.author,
        article.source,
        article.source_url,
        article.published,
        article.updated,
        paragraphs,
        article.content_hash,
    )


def _article(row) -> Article:
    article_id, url, title, author, source, source_url, published, updated, paragraphs, origin = row
    article = Article(
        title=title,
        paragraphs=tuple(Paragraph(text, heading) for text, heading in json.loads(paragraphs)),
        author=author,
        source=source,
        source_url=source_url,
        url=url,
        published=published,
        updated=updated,
        origin=origin,
    )
    if article.id != article_id:  # the source's own id, which nothing else reproduces
        article = replace(article, key=article_id)
    return article
