"""The archive: articles in SQLite and their passages in Whoosh, kept in step; ask it questions."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from index.answer import Answer, Answerer
from index.article import Article
from index.errors import NotFound
from index.question import MAX_QUESTION_CHARS, follow_up, parse_question
from index.search import PassageIndex
from index.store import ArticleStore, Stored

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Consistency:
    """How the search index differs from the store: article ids in each list."""

    missing: list[str]  # in the store, not in the index
    stale: list[str]  # in both, but the index holds an older version
    extra: list[str]  # in the index, not in the store

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.extra)


class Archive:
    """One data directory: the store is the truth, the index is rebuilt from it when needed."""

    def __init__(self, data_dir: Path, *, max_question_chars: int = MAX_QUESTION_CHARS):
        self.data_dir = Path(data_dir)
        self.store = ArticleStore(self.data_dir / "articles.sqlite3")
        self.passages = PassageIndex(self.data_dir / "passages")
        self._answerer = Answerer(self.passages)
        self._max_question_chars = max_question_chars
        self.sync()

    def close(self) -> None:
        self.passages.close()
        self.store.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def add(self, articles: Iterable[Article]) -> list[Stored]:
        """Store and index articles; an article already held is updated in place."""
        stored = self.store.put(articles)
        changed = [s.article for s in stored if s.status != "unchanged"]
        if changed:
            self.passages.write(changed)
            self.store.mark_indexed(changed)
        return stored

    def remove(self, id_or_url: str) -> Article:
        """Take an article out of the archive, by its id or URL."""
        article = self.find(id_or_url)
        self.store.mark_removed(article.id)
        self.passages.write(delete=[article.id])
        self.store.purge([article.id])
        return article

    def find(self, id_or_url: str) -> Article:
        article = self.store.find(id_or_url)
        if article is None:
            raise NotFound(f"No article with the id or URL {id_or_url!r} is in the archive.")
        return article

    def articles(self) -> list[Article]:
        """Every article, newest first."""
        return list(self.store.articles())

    def ask(self, question: str, limit: int = 5, context: str | None = None) -> Answer:
        """The quotes that answer a question in plain words, with their citations.

        `context` is the first question of a conversation that this one follows up.
        """
        parsed = parse_question(question, self._max_question_chars)
        if context:
            parsed = follow_up(parsed, parse_question(context, self._max_question_chars))
        return self._answerer.answer(parsed, limit)

    def sync(self) -> int:
        """Finish what an interrupted run left undone; returns how many articles it repaired."""
        pending = self.store.unindexed()
        removed = self.store.removed()
        if pending or removed:
            log.warning(
                "Repairing the search index from the store: %d article(s) to index, %d to drop",
                len(pending),
                len(removed),
            )
            self.passages.write(pending, delete=removed)
            self.store.mark_indexed(pending)
            self.store.purge(removed)
        return len(pending) + len(removed)

    def check(self) -> Consistency:
        """Compare the store with what the index actually holds."""
        stored = self.store.versions()
        indexed = self.passages.versions()
        return Consistency(
            missing=sorted(set(stored) - set(indexed)),
            stale=sorted(i for i in set(stored) & set(indexed) if stored[i] != indexed[i]),
            extra=sorted(set(indexed) - set(stored)),
        )

    def reindex(self) -> int:
        """Rebuild the whole search index from the store; returns the number of articles."""
        articles = list(self.store.articles())
        self.passages.write(articles, only=True)
        self.store.mark_indexed(articles)
        return len(articles)
