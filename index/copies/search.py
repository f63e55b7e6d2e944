"""Searching by story: copies' passages are left out, and originals name the other outlets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from index.filters import Filters
from index.search.passages import Passage, PassageIndex
from index.store.articles import ArticleStore


class StoryPassages:
    """The passage index as the answerer sees it: each story once, quoted from its original,
    with what the store knows of each citation (other outlets' copies, fields made by readers).

    Which articles are copies of which is the store's record (set in the same transaction as
    the article itself), so the search index needs no rewrite when a copy arrives or goes,
    and stays rebuildable from the store. Everything but `search` is the index's own."""

    def __init__(self, passages: PassageIndex, store: ArticleStore):
        self._passages = passages
        self._store = store

    def search(
        self,
        words: Sequence[str],
        *,
        limit: int = 20,
        filters: Filters | None = None,
        headline: float = 0.0,
        beside: bool = False,
    ) -> list[Passage]:
        hidden = self._store.copies()
        if filters and filters.article:  # asked about one article by its id: that one it is
            hidden = hidden - {filters.article}
        found = self._passages.search(
            words, limit=limit, filters=filters, exclude=hidden, headline=headline, beside=beside
        )
        return self._cited(found)

    def stories(self, filters: Filters, *, limit: int = 5) -> list[Passage]:
        """The first passage of each of the newest articles the filters allow, originals only."""
        return self._cited(
            self._passages.stories(filters, limit=limit, exclude=self._store.copies())
        )

    def paragraph(self, article_id: str, number: int) -> Passage | None:
        """One paragraph of an article (counted from 1), if the index holds it."""
        found = self._passages.paragraph(article_id, number)
        return self._cited([found])[0] if found else None

    def paragraphs(self, article_id: str) -> list[Passage]:
        """Every paragraph of an article the index holds, in order."""
        return self._cited(self._passages.paragraphs(article_id))

    def _cited(self, found: list[Passage]) -> list[Passage]:
        """The passages with what the store knows of their citations."""
        ids = {p.article_id for p in found}
        others = self._store.also_published_by(ids)
        made = self._store.derived(ids)
        return [
            replace(
                p,
                citation=replace(
                    p.citation,
                    also_published_by=_besides(p, others.get(p.article_id, ())),
                    derived=made.get(p.article_id, ()),
                ),
            )
            if p.article_id in others or p.article_id in made
            else p
            for p in found
        ]

    def __getattr__(self, name: str):
        return getattr(self._passages, name)


def _besides(passage: Passage, copies):
    """The copies, without any that would read the same as the original's own citation."""
    own, url = (passage.citation.source or "").casefold(), passage.citation.url
    return tuple(c for c in copies if c.url != url or (c.source or "").casefold() != own)
