"""RSS and Atom feeds: every entry an article, with its full content where the feed has it."""

from __future__ import annotations

from dataclasses import dataclass, field

import feedparser

from index.article import Article, Paragraph
from index.errors import ReadError
from index.readers.html import fragment_paragraphs
from index.readers.meta import clean, derive_title, iso_date, outlet_for, usable_url


@dataclass
class FeedRead:
    """A feed's articles and errors, which of them came from a summary alone, and its TTL."""

    items: list[Article | ReadError] = field(default_factory=list)
    summary_only: set[str] = field(default_factory=set)  # ids of articles read from summaries
    ttl_minutes: int | None = None  # the feed's own <ttl>: how long it may be cached


def read_feed(data: bytes, origin: str | None = None) -> list[Article | ReadError]:
    """One article per entry; an entry without text is a ReadError beside the others."""
    return read_feed_entries(data, origin).items


def read_feed_entries(data: bytes, origin: str | None = None) -> FeedRead:
    """read_feed, telling also which entries carried only a summary, and the feed's TTL."""
    parsed = feedparser.parse(data)
    name = origin or "feed"
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        reason = f"not a readable feed ({problem})" if problem else "the feed has no entries"
        raise ReadError(name, reason)
    feed = parsed.feed
    source, source_url = outlet_for(feed.get("link"))
    source = clean(feed.get("title") or "") or source
    ttl = str(feed.get("ttl") or "").strip()
    read = FeedRead(
        ttl_minutes=int(ttl) if ttl.isascii() and ttl.isdigit() and len(ttl) < 7 else None
    )
    results = read.items
    for number, entry in enumerate(parsed.entries, 1):
        paragraphs, full = _entry_paragraphs(entry)
        label = f"{name} entry {number}" + (f" ({entry.title!r})" if entry.get("title") else "")
        if not paragraphs:
            results.append(ReadError(label, "the entry has no text"))
            continue
        link = usable_url(entry.get("link"))
        entry_source, entry_source_url = outlet_for(link)
        article = Article(
            title=clean(entry.get("title") or "") or derive_title(paragraphs, link),
            paragraphs=tuple(paragraphs),
            author=clean(entry.get("author") or "") or None,
            source=source or entry_source,
            source_url=source_url or entry_source_url,
            url=link,
            published=iso_date(
                _field(entry, "published_parsed") or _field(entry, "updated_parsed")
            ),
            updated=_updated(entry),
            origin=label,
        )
        results.append(article)
        if not full:
            read.summary_only.add(article.id)
    return read


def _entry_paragraphs(entry) -> tuple[list[Paragraph], bool]:
    """The entry's paragraphs, and whether they are its full content (not only a summary)."""
    contents = [(c, True) for c in entry.get("content", [])]
    for content, full in [*contents, (entry.get("summary_detail"), False)]:
        if not content or not content.get("value"):
            continue
        if content.get("type") == "text/plain":
            chunks = content["value"].split("\n")
            paragraphs = [Paragraph(text) for text in map(clean, chunks) if text]
        else:
            paragraphs = fragment_paragraphs(content["value"])
        if paragraphs:
            return paragraphs, full
    return [], False


def _updated(entry) -> str | None:
    """The entry's update time, when it differs from its publication time."""
    published, updated = _field(entry, "published_parsed"), _field(entry, "updated_parsed")
    return iso_date(updated) if published and updated and updated != published else None


def _field(entry, key: str):
    """A field as the feed gave it, without feedparser's deprecated fallbacks between fields."""
    return dict.get(entry, key)
