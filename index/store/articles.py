"""The articles' source of truth: SQLite, with a journal of what the search index still lacks."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from index.article import Article, Paragraph, Publication, domain_of, normalize_url
from index.copies import store as stories
from index.copies.shingles import is_revision
from index.store.sqlite import open_database

log = logging.getLogger(__name__)

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
    changed_at TEXT NOT NULL,
    story TEXT,                       -- syndicated copies: the id of the story's original
    credits_source INTEGER NOT NULL DEFAULT 0, -- `source` came from a line crediting the original
    categories TEXT,                  -- JSON list of the source's sections or tags, if any
    derived TEXT                      -- JSON list of citation fields the reader made ("title")
);
-- earlier versions of articles that came back changed (the current one is in `articles`)
CREATE TABLE IF NOT EXISTS versions (
    article_id TEXT NOT NULL,
    number INTEGER NOT NULL,          -- 1: the first version stored
    title TEXT NOT NULL,
    author TEXT,
    source TEXT,
    source_url TEXT,
    url TEXT,
    published TEXT,
    updated TEXT,
    paragraphs TEXT NOT NULL,
    stored_at TEXT NOT NULL,          -- when this version arrived
    replaced_at TEXT NOT NULL,        -- when the next one replaced it
    PRIMARY KEY (article_id, number)
);
"""
_INDEXES = """
CREATE INDEX IF NOT EXISTS articles_url ON articles (url_key);
CREATE INDEX IF NOT EXISTS articles_story ON articles (story) WHERE story IS NOT NULL;
CREATE INDEX IF NOT EXISTS articles_origin ON articles (origin) WHERE url IS NULL;
-- the journal: rows the search index does not hold yet, and rows it must still drop
CREATE INDEX IF NOT EXISTS articles_unindexed ON articles (id)
    WHERE indexed_hash IS NOT content_hash;
CREATE INDEX IF NOT EXISTS articles_removed ON articles (id) WHERE removed = 1;
"""
BUSY_TIMEOUT = 600.0  # seconds a statement waits for another connection's transaction
_COLUMNS = (
    "id, url, title, author, source, source_url, published, updated, paragraphs, origin,"
    " categories, derived"
)
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
    "credits_source",
    "categories",
    "derived",
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
class Version:
    """One version of an article as the store kept it, and when it arrived and was replaced."""

    number: int
    article: Article
    stored_at: str
    replaced_at: str | None  # None: the current version


@dataclass(frozen=True)
class Pending:
    """An article the journal says the index lacks, the content hash its row holds, and the
    one the index was last given (None: never, as far as the store knows)."""

    article: Article
    stored_hash: str
    indexed_hash: str | None = None

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
        self._db = open_database(path, wait=BUSY_TIMEOUT, durable=True)
        self._lock = threading.RLock()
        with self._lock:
            self._db.executescript(_SCHEMA + stories.SCHEMA)
            self._migrate()
            self._db.executescript(_INDEXES)
        self._reader = open_database(path, wait=BUSY_TIMEOUT, durable=True)
        self._read_lock = threading.Lock()
        self._copies: tuple[int, frozenset[str]] | None = None

    def _migrate(self) -> None:
        """Bring a store written by an earlier release up to date (once, for all processes)."""
        with self._transaction() as db:
            columns = {row[1] for row in db.execute("PRAGMA table_info(articles)")}
            count = 0
            if "categories" not in columns:
                db.execute("ALTER TABLE articles ADD COLUMN categories TEXT")
                db.execute("ALTER TABLE articles ADD COLUMN derived TEXT")
            if "story" not in columns:
                db.execute("ALTER TABLE articles ADD COLUMN story TEXT")
                db.execute(
                    "ALTER TABLE articles ADD COLUMN credits_source INTEGER NOT NULL DEFAULT 0"
                )
                count = stories.backfill(db)
            count = stories.migrate(db) or count
            if count:
                log.warning("Looked for syndicated copies among %d stored article(s)", count)

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
        """Store articles, replacing earlier versions with the same id; one transaction.

        A changed article keeps its earlier version in `versions`. When its text (title or
        paragraphs) changed, `updated` becomes the source's own update time if that is newer
        than the stored one's, else the time the change was stored. A copy of another
        article's story joins that story (see index/copies/store.py)."""
        now = _now()
        results = []
        with self._transaction() as db:
            for article in articles:
                article = _revision_of(db, article)
                row = db.execute(
                    "SELECT content_hash, removed, updated, title, paragraphs FROM articles"
                    " WHERE id = ?",
                    (article.id,),
                ).fetchone()
                known = row is not None and not row[1]
                if known:
                    article = _carry_updated(article, row[2])
                    if row[0] == article.content_hash:
                        db.execute(
                            "UPDATE articles SET credits_source = ? WHERE id = ?",
                            (int(article.credits_source), article.id),
                        )
                        results.append(Stored(article, "unchanged"))
                        continue
                    if _text(article) != (row[3], row[4]) and article.updated == row[2]:
                        article = replace(article, updated=now)
                    _keep_version(db, article.id, now)
                else:
                    db.execute("DELETE FROM versions WHERE article_id = ?", (article.id,))
                db.execute(
                    _UPSERT,
                    (
                        *_row(article),
                        article.origin,
                        now,
                        now,
                        article.credits_source,
                        _json_list(article.categories),
                        _json_list(article.derived),
                    ),
                )
                stories.link(db, article.id, [p.text for p in article.paragraphs])
                results.append(Stored(article, "updated" if known else "added"))
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
            db.execute("DELETE FROM versions WHERE article_id = ?", (article_id,))
            stories.unlink(db, article_id)

    def purge(self, article_ids: Iterable[str]) -> None:
        with self._transaction() as db:
            db.executemany(
                "DELETE FROM articles WHERE id = ? AND removed = 1", [(i,) for i in article_ids]
            )

    def forget_indexed(self) -> None:
        """Record that the search index holds nothing: every article is to be indexed again."""
        with self._transaction() as db:
            db.execute("UPDATE articles SET indexed_hash = NULL WHERE indexed_hash IS NOT NULL")

    def unindexed(self, passages: int | None = None) -> list[Pending]:
        """Articles whose current version the search index may not hold yet: all of them, or
        the first whose paragraphs reach `passages` (at least one article)."""
        found: list[Pending] = []
        count = 0
        with self._reading() as db:
            rows = db.execute(
                f"SELECT {_COLUMNS}, content_hash, indexed_hash FROM articles"
                " WHERE indexed_hash IS NOT content_hash AND removed = 0"
            )
            for row in rows:  # read as needed: the journal may hold the whole archive
                found.append(Pending(_article(row[:-2]), row[-2], row[-1]))
                count += len(found[-1].article.paragraphs)
                if passages is not None and count >= passages:
                    break
        return found

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

    def data_version(self) -> int:
        """A number that changes whenever any connection, in any process, commits a change."""
        with self._reading() as db:
            return db.execute("PRAGMA data_version").fetchone()[0]

    def copies(self) -> frozenset[str]:
        """The ids of articles that are copies of another article's story (not its original)."""
        with self._reading() as db:
            version = db.execute("PRAGMA data_version").fetchone()[0]
            if self._copies is not None and self._copies[0] == version:
                return self._copies[1]
            rows = db.execute(
                "SELECT id FROM articles WHERE story IS NOT NULL AND story != id AND removed = 0"
            )
            self._copies = (version, frozenset(row[0] for row in rows))
            return self._copies[1]

    def also_published_by(self, ids: Iterable[str]) -> dict[str, tuple[Publication, ...]]:
        """{original's id: the other outlets' copies of its story}, earliest first."""
        rows = self._rows_for(
            ids,
            "SELECT story, source, source_url, url FROM articles WHERE story IN ({ids})"
            " AND id != story AND removed = 0"
            " ORDER BY published IS NULL, published, added_at, id",
        )
        found: dict[str, tuple[Publication, ...]] = {}
        for story, source, source_url, url in rows:
            copy = Publication(source or domain_of(source_url, url), url)
            if copy not in found.get(story, ()):
                found[story] = (*found.get(story, ()), copy)
        return found

    def derived(self, ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """{article id: the citation fields its reader made ("title")}, for those with any."""
        rows = self._rows_for(
            ids, "SELECT id, derived FROM articles WHERE id IN ({ids}) AND derived IS NOT NULL"
        )
        return {article_id: tuple(json.loads(fields)) for article_id, fields in rows}

    def _rows_for(self, ids: Iterable[str], query: str) -> list[tuple]:
        """The rows of a query about some articles; `{ids}` in it stands for their ids."""
        ids = sorted(set(ids))
        if not ids:
            return []
        with self._reading() as db:
            return db.execute(query.format(ids=", ".join("?" * len(ids))), ids).fetchall()

    def story_of(self, article_id: str) -> str | None:
        """The id of the original of the story this article is a copy of, if it is one."""
        with self._reading() as db:
            row = db.execute(
                "SELECT story FROM articles WHERE id = ? AND removed = 0", (article_id,)
            ).fetchone()
        return row[0] if row and row[0] != article_id else None

    def history(self, article_id: str) -> list[Version]:
        """Every version of an article the store holds, oldest first, the current one last."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT number, article_id, url, title, author, source, source_url, published,"
                " updated, paragraphs, NULL, NULL, NULL, stored_at, replaced_at FROM versions"
                " WHERE article_id = ? ORDER BY number",
                (article_id,),
            ).fetchall()
            current = db.execute(
                f"SELECT {_COLUMNS}, changed_at FROM articles WHERE id = ? AND removed = 0",
                (article_id,),
            ).fetchone()
        found = [Version(r[0], _article(r[1:13]), r[13], r[14]) for r in rows]
        if current:
            found.append(Version(len(found) + 1, _article(current[:-1]), current[-1], None))
        return found

    def paragraph_count(self) -> int:
        """How many passages the search index should hold: every article's paragraphs."""
        with self._reading() as db:
            row = db.execute(
                "SELECT total(json_array_length(paragraphs)) FROM articles WHERE removed = 0"
            ).fetchone()
        return int(row[0])


def _revision_of(db: sqlite3.Connection, article: Article) -> Article:
    """An article known only by its text, read again from the same file with its text revised,
    is a new version of the stored one: it takes that one's id."""
    if article.key or article.url or not article.origin:
        return article
    if db.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone():
        return article
    rows = db.execute(
        "SELECT id, paragraphs FROM articles WHERE origin = ? AND url IS NULL AND removed = 0",
        (article.origin,),
    ).fetchall()
    texts = [p.text for p in article.paragraphs]
    for article_id, paragraphs in rows:
        if is_revision([text for text, _ in json.loads(paragraphs)], texts):
            return replace(article, key=article_id)
    return article


def _carry_updated(article: Article, stored: str | None) -> Article:
    """The stored update time, unless the source gives a newer one of its own."""
    if stored and article.updated and _later(article.updated, stored):
        return article
    return replace(article, updated=stored) if stored else article


def _later(first: str, second: str) -> bool:
    try:
        a, b = datetime.fromisoformat(first), datetime.fromisoformat(second)
        a = a if a.tzinfo else a.replace(tzinfo=UTC)
        b = b if b.tzinfo else b.replace(tzinfo=UTC)
        return a > b
    except ValueError:
        return first > second


def _text(article: Article) -> tuple[str, str]:
    """What readers read (title, paragraphs) as the store keeps it, to tell a correction."""
    return article.title, _row(article)[9]


def _keep_version(db: sqlite3.Connection, article_id: str, now: str) -> None:
    """Copy the stored version of an article into `versions` before it is replaced."""
    db.execute(
        "INSERT INTO versions SELECT id,"
        " (SELECT count(*) + 1 FROM versions WHERE article_id = ?1), title, author, source,"
        " source_url, url, published, updated, paragraphs, changed_at, ?2"
        " FROM articles WHERE id = ?1",
        (article_id, now),
    )


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


def _json_list(values: tuple[str, ...]) -> str | None:
    return json.dumps(list(values), ensure_ascii=False) if values else None


def _article(row) -> Article:
    article_id, url, title, author, source, source_url, published, updated, paragraphs = row[:9]
    origin, categories, derived = row[9:]
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
        categories=tuple(json.loads(categories)) if categories else (),
        derived=tuple(json.loads(derived)) if derived else (),
    )
    if article.id != article_id:  # the source's own id, which nothing else reproduces
        article = replace(article, key=article_id)
    return article
