"""Citation: everything a fact-checker needs to find a quote in its article (plain data, light)."""

from __future__ import annotations

from dataclasses import dataclass

from index.article import Article, Publication, domain_of


@dataclass(frozen=True)
class Citation:
    """An article's citation fields: who, where, when, and the other outlets' copies."""

    article_id: str
    title: str
    author: str | None
    source: str | None
    source_url: str | None
    url: str | None
    published: str | None
    updated: str | None
    also_published_by: tuple[Publication, ...] = ()  # other outlets' copies of this story
    derived: tuple[str, ...] = ()  # fields the source did not give: "title" made from its text

    @property
    def domain(self) -> str | None:
        return domain_of(self.source_url, self.url)

    @classmethod
    def of(cls, article: Article) -> Citation:
        """An article's own citation (its copies elsewhere are the store's to tell)."""
        return cls(
            article_id=article.id,
            title=article.title,
            author=article.author,
            source=article.source,
            source_url=article.source_url,
            url=article.url,
            published=article.published,
            updated=article.updated,
            derived=tuple(article.derived),
        )
