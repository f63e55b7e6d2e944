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
"""
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


class ArticleStore:
    """Articles in one SQLite file; safe to share between threads and processes."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=60, check_same_thread=False, isolation_level=None)
        self._lock = threading.RLock()
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
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

    def mark_indexed(self, articles: Iterable[Article]) -> None:
        """Record that the search index now holds these versions of these articles."""
        with self._transaction() as db:
            db.executemany(
                "UPDATE articles SET indexed_hash = ? WHERE id = ? AND content_hash = ?",
                [(a.content_hash, a.id, a.content_hash) for a in articles],
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

    def unindexed(self) -> list[Article]:
        """Articles whose current version the search index may not hold yet."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM articles"
                " WHERE indexed_hash IS NOT content_hash AND removed = 0"
            ).fetchall()
        return [_article(row) for row in rows]

    def removed(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self._db.execute("SELECT id FROM articles WHERE removed = 1")]

    def find(self, id_or_url: str) -> Article | None:
        """An article by its id or by its URL."""
        key = id_or_url.strip()
        with self._lock:
            row = self._db.execute(
                f"SELECT {_COLUMNS} FROM articles WHERE removed = 0 AND (id = ? OR url_key = ?)"
                " LIMIT 1",
                (key, normalize_url(key) if "://" in key else None),
            ).fetchone()
        return _article(row) if row else None

    def articles(self) -> Iterator[Article]:
        """Every article, newest publication first (undated ones last)."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM articles WHERE removed = 0"
                " ORDER BY published IS NULL, published DESC, added_at DESC"
            ).fetchall()
        return (_article(row) for row in rows)

    def versions(self) -> dict[str, str]:
        """{article id: content hash} of every article in the archive."""
        with self._lock:
            rows = self._db.execute("SELECT id, content_hash FROM articles WHERE removed = 0")
            return dict(rows.fetchall())

    def count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM articles WHERE removed = 0").fetchone()[0]


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
