"""The Whoosh passage index behind one small interface: write, search, suggest, versions."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query, scoring, writing

from index.article import Article
from index.schema import passage_schema, terms_of

log = logging.getLogger(__name__)

WRITE_LOCK_TIMEOUT = 120.0  # seconds to wait for another process's writer to finish
_FIELD_WEIGHTS = {"body": 1.0, "heading": 0.4, "title": 0.3}


@dataclass(frozen=True)
class Filters:
    """Restrictions on which articles a search may quote."""

    author: str | None = None
    source: str | None = None
    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    title: str | None = None
    article: str | None = None  # one article's id

    def __bool__(self) -> bool:
        return any(vars(self).values())


@dataclass(frozen=True)
class Passage:
    """One paragraph found by a search, with its article's citation fields."""

    article_id: str
    paragraph: int
    text: str
    heading: str | None
    title: str
    author: str | None
    source: str | None
    source_url: str | None
    url: str | None
    published: str | None
    updated: str | None
    score: float
    matched: frozenset[str]  # the index terms of the question found in this passage


class PassageIndex:
    """A Whoosh index of paragraphs in a folder; safe to share between threads."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        if whoosh_index.exists_in(str(folder)):
            self._ix = whoosh_index.open_dir(str(folder))
        else:
            self._ix = whoosh_index.create_in(str(folder), passage_schema())
        self._searcher = None
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
        self._ix.close()

    def write(
        self, articles: Iterable[Article] = (), delete: Iterable[str] = (), *, only: bool = False
    ) -> None:
        """Replace these articles' passages and drop those of the deleted ids, in one commit.

        With `only`, the index afterwards holds these articles and nothing else (a rebuild).
        """
        writer = self._ix.writer(timeout=WRITE_LOCK_TIMEOUT)
        try:
            for article_id in delete:
                writer.delete_by_term("article", article_id)
            for article in articles:
                writer.delete_by_term("article", article.id)
                for number, paragraph in enumerate(article.paragraphs, 1):
                    writer.add_document(**_document(article, number, paragraph))
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=writing.CLEAR if only else None)

    def search(
        self, words: Sequence[str], *, limit: int = 20, filters: Filters | None = None
    ) -> list[Passage]:
        """The best passages for any of these words, best first (BM25F over text and headings)."""
        terms = list(dict.fromkeys(t for word in words for t in terms_of(word)))
        if not terms:
            return []
        clauses = [
            query.Term(field, term, boost=weight)
            for term in terms
            for field, weight in _FIELD_WEIGHTS.items()
        ]
        with self._lock:
            searcher = self._current_searcher()
            results = searcher.search(
                query.Or(clauses), limit=limit, filter=_filter_query(filters), terms=True
            )
            return [
                _passage(hit, frozenset(t.decode() for _, t in hit.matched_terms()))
                for hit in results
            ]

    def suggest(self, word: str) -> str | None:
        """The closest word the index holds to a word it does not, or None."""
        with self._lock:
            found = self._current_searcher().suggest("body", word.lower(), limit=1, maxdist=2)
        return found[0] if found and found[0] != word.lower() else None

    def knows(self, word: str) -> bool:
        """True if the word occurs in some passage's text (stop words count as known)."""
        terms = terms_of(word)
        with self._lock:
            searcher = self._current_searcher()
            return not terms or any(searcher.doc_frequency("body", t) > 0 for t in terms)

    def weights(self, terms: Sequence[str]) -> dict[str, float]:
        """How telling each term is (its inverse document frequency in the passages' text)."""
        with self._lock:
            searcher = self._current_searcher()
            return {term: searcher.idf("body", term) for term in terms}

    def versions(self) -> dict[str, str]:
        """{article id: content hash} of every article the index holds passages of."""
        with self._lock:
            reader = self._current_searcher().reader()
            held = {}
            for term in reader.lexicon("version"):
                if reader.postings("version", term).is_active():
                    article_id, _, content_hash = term.decode().rpartition("@")
                    held[article_id] = content_hash
            return held

    def passage_count(self) -> int:
        return self._ix.doc_count()

    def _current_searcher(self):
        # Searcher.refresh() reuses segment readers with stale deletions (whoosh 2.7 and its
        # forks), so a changed index gets a whole new searcher instead.
        if self._searcher is not None and not self._searcher.up_to_date():
            self._searcher.close()
            self._searcher = None
        if self._searcher is None:
            self._searcher = self._ix.searcher(weighting=scoring.BM25F())
        return self._searcher


def _document(article: Article, number: int, paragraph) -> dict:
    return {
        "passage": f"{article.id}/{number}",
        "article": article.id,
        "version": f"{article.id}@{article.content_hash}",
        "paragraph": number,
        "body": paragraph.text,
        "heading": paragraph.heading or "",
        "title": article.title,
        "author": article.author or "",
        "source": article.source or "",
        "source_url": article.source_url,
        "url": article.url,
        "published": article.published,
        "day": (article.published or "")[:10],
        "updated": article.updated,
    }


def _passage(hit, matched: frozenset[str]) -> Passage:
    fields = hit.fields()
    return Passage(
        article_id=fields["article"],
        paragraph=fields["paragraph"],
        text=fields["body"],
        heading=fields.get("heading") or None,
        title=fields["title"],
        author=fields.get("author") or None,
        source=fields.get("source") or None,
        source_url=fields.get("source_url"),
        url=fields.get("url"),
        published=fields.get("published") or None,
        updated=fields.get("updated"),
        score=hit.score,
        matched=matched,
    )


def _filter_query(filters: Filters | None):
    if not filters:
        return None
    parts = []
    if filters.article:
        parts.append(query.Term("article", filters.article))
    for field in ("author", "source", "title"):
        value = getattr(filters, field)
        if value:
            analyzer = passage_schema()[field].analyzer
            words = [token.text for token in analyzer(value)]
            parts.append(
                query.And([query.Term(field, w) for w in words]) if words else query.NullQuery
            )
    if filters.since or filters.until:
        parts.append(query.TermRange("day", filters.since, filters.until))
    return query.And(parts)
