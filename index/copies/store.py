"""Syndicated copies in the store: LSH band rows per article, and each copy's story's original."""

from __future__ import annotations

import json
import sqlite3
from collections import OrderedDict
from collections.abc import Iterable, Sequence

from index.article import domain_of
from index.copies.shingles import (
    BUCKET_CAP,
    ESTIMATE_FLOOR,
    FORMAT,
    MAX_CANDIDATES,
    MIN_SHINGLES,
    Member,
    alike,
    band_keys,
    estimate,
    figures_differ,
    original,
    pack,
    shingles,
    signature,
    unpack,
)

SHINGLES_KEPT = 2048  # candidates' shingles a process remembers (about 8 KB each)

SCHEMA = """
CREATE TABLE IF NOT EXISTS bands (
    key INTEGER NOT NULL,             -- one band of an article's MinHash signature
    article TEXT NOT NULL,
    PRIMARY KEY (key, article)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS bands_article ON bands (article);
CREATE TABLE IF NOT EXISTS signatures (
    article TEXT PRIMARY KEY,         -- an article's MinHash signature, to weigh candidates
    sig BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS band_format (
    version INTEGER NOT NULL          -- syndication.FORMAT of the bands and signatures
);
"""
_kept_shingles: OrderedDict[tuple[str, str], object] = OrderedDict()


def link(db: sqlite3.Connection, article_id: str, texts: Sequence[str]) -> None:
    """Place a just-stored article among the stories: its copies join one story, whose
    `story` column then names the original in every member. Runs in the caller's transaction."""
    unlink(db, article_id)
    found = shingles(texts)
    if len(found) < MIN_SHINGLES:
        return
    sig = signature(found)
    keys = band_keys(texts, sig)
    db.execute("INSERT OR REPLACE INTO signatures VALUES (?, ?)", (article_id, pack(sig)))
    db.executemany(
        "INSERT OR IGNORE INTO bands SELECT ?1, ?2"
        " WHERE (SELECT count(*) FROM bands WHERE key = ?1) < ?3",
        [(key, article_id, BUCKET_CAP) for key in keys],
    )
    marks = ", ".join("?" * len(keys))
    sharing = db.execute(  # removed articles have no bands (unlink), hence no join here: 3x faster
        f"SELECT article FROM bands WHERE key IN ({marks}) AND article != ?"
        " GROUP BY article ORDER BY count(*) DESC, article LIMIT ?",
        (*keys, article_id, MAX_CANDIDATES),
    ).fetchall()
    ids = [row[0] for row in sharing]
    details = {
        row[0]: row[1:]
        for row in db.execute(
            "SELECT a.id, s.sig, a.content_hash FROM articles a"
            " LEFT JOIN signatures s ON s.article = a.id"
            f" WHERE a.id IN ({', '.join('?' * len(ids))}) AND a.removed = 0",
            ids,
        )
    }
    candidates = []  # (id, content hash), those sharing the most bands first
    for candidate in ids:
        theirs, version = details.get(candidate, (None, None))
        if version and (not theirs or estimate(sig, unpack(theirs)) >= ESTIMATE_FLOOR):
            candidates.append((candidate, version))
    group = {article_id}
    for candidate, version in candidates:
        if candidate in group or not alike(found, _shingles_of(db, candidate, version)):
            continue
        if not figures_differ(texts, _texts(db, candidate)):
            group.add(candidate)
            group |= _members(db, _story_of(db, candidate))
    if len(group) > 1:
        _settle(db, group)


def unlink(db: sqlite3.Connection, article_id: str) -> None:
    """Take an article out of its story (it was removed, or changed); the rest settle again."""
    story = _story_of(db, article_id)
    db.execute("DELETE FROM bands WHERE article = ?", (article_id,))
    db.execute("DELETE FROM signatures WHERE article = ?", (article_id,))
    db.execute("UPDATE articles SET story = NULL WHERE id = ?", (article_id,))
    if story:
        _settle(db, _members(db, story) - {article_id})


def backfill(db: sqlite3.Connection) -> int:
    """Band rows and stories for articles stored before stories existed; returns how many."""
    rows = db.execute("SELECT id, paragraphs FROM articles WHERE removed = 0").fetchall()
    for article_id, paragraphs in rows:
        link(db, article_id, [text for text, _ in json.loads(paragraphs)])
    return len(rows)


def migrate(db: sqlite3.Connection) -> int:
    """Make bands and signatures anew if they were made in another FORMAT (an earlier
    release's); returns how many articles were placed again (0: nothing to do)."""
    row = db.execute("SELECT version FROM band_format").fetchone()
    if row and row[0] == FORMAT:
        return 0
    count = 0
    if db.execute("SELECT 1 FROM signatures LIMIT 1").fetchone():
        db.execute("DELETE FROM bands")
        db.execute("DELETE FROM signatures")
        db.execute("UPDATE articles SET story = NULL")
        count = backfill(db)
    db.execute("DELETE FROM band_format")
    db.execute("INSERT INTO band_format VALUES (?)", (FORMAT,))
    return count


def _shingles_of(db: sqlite3.Connection, article_id: str, version: str):
    """A stored article's shingles, remembered by id and content hash."""
    key = (article_id, version)
    found = _kept_shingles.get(key)
    if found is None:
        found = _kept_shingles[key] = shingles(_texts(db, article_id))
        while len(_kept_shingles) > SHINGLES_KEPT:
            _kept_shingles.popitem(last=False)
    else:
        _kept_shingles.move_to_end(key)
    return found


def _settle(db: sqlite3.Connection, ids: Iterable[str]) -> None:
    """Name the original of a group of copies in each member (none for a group of one)."""
    ids = sorted(ids)
    if not ids:
        return
    marks = ", ".join("?" * len(ids))
    if len(ids) == 1:
        db.execute("UPDATE articles SET story = NULL WHERE id = ?", ids)
        return
    rows = db.execute(
        "SELECT id, source, source_url, url, credits_source, published, added_at FROM articles"
        f" WHERE id IN ({marks})",
        ids,
    ).fetchall()
    members = [
        Member(row[0], row[1], domain_of(row[2], row[3]), bool(row[4]), row[5], row[6])
        for row in rows
    ]
    chosen = original(members)
    db.execute(
        f"UPDATE articles SET story = ? WHERE id IN ({marks}) AND story IS NOT ?",
        (chosen.id, *ids, chosen.id),
    )


def _story_of(db: sqlite3.Connection, article_id: str) -> str | None:
    row = db.execute("SELECT story FROM articles WHERE id = ?", (article_id,)).fetchone()
    return row[0] if row else None


def _members(db: sqlite3.Connection, story: str | None) -> set[str]:
    if not story:
        return set()
    rows = db.execute("SELECT id FROM articles WHERE story = ? AND removed = 0", (story,))
    return {row[0] for row in rows}


def _texts(db: sqlite3.Connection, article_id: str) -> list[str]:
    row = db.execute("SELECT paragraphs FROM articles WHERE id = ?", (article_id,)).fetchone()
    return [text for text, _ in json.loads(row[0])] if row else []
