"""NewStory and MoreStories: the announcements of new stories, as plain data renderers show."""

from __future__ import annotations

from dataclasses import dataclass

from index.article import Article, Publication


@dataclass(frozen=True)
class NewStory:
    """A story new to the archive: its original article, and the other outlets that carried it
    (copies that arrived in the same polling cycle)."""

    article: Article
    also_published_by: tuple[Publication, ...] = ()


@dataclass(frozen=True)
class MoreStories:
    """New stories not announced one by one, because of the hourly limit: one message for all."""

    articles: tuple[Article, ...]  # newest first, at most MAX_HELD of them
    count: int  # how many there were in all
    per_hour: int  # the limit, to say why


Announcement = NewStory | MoreStories
