"""RSS and Atom feeds: every entry an article, with its full content where the feed has it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO
from xml.sax.saxutils import escape

import feedparser
import lxml.etree

from index.article import Article, Paragraph
from index.dates import NotADate, source_date
from index.errors import ReadError
from index.readers.html import fragment_paragraphs
from index.readers.meta import clean, derive_title, outlet_for, usable_url
from index.readers.rewound import Rewound

_ATOM = "http://www.w3.org/2005/Atom"
_FULL_TIME = re.compile(r"\d{4}.*\d{1,2}:\d{2}|\d{1,2}:\d{2}.*\d{4}")


@dataclass
class FeedRead:
    """A feed's articles and errors, which of them came from a summary alone, and its TTL."""

    items: list[Article | ReadError] = field(default_factory=list)
    summary_only: set[str] = field(default_factory=set)  # ids of articles read from summaries
    ttl_minutes: int | None = None  # the feed's own <ttl>: how long it may be cached


def read_feed(data: bytes, origin: str | None = None) -> list[Article | ReadError]:
    """One article per entry; an entry without text is a ReadError beside the others."""
    return read_feed_entries(data, origin).items


def read_feed_entries(data: bytes, origin: str | None = None, first: int = 1) -> FeedRead:
    """read_feed, telling also which entries carried only a summary, and the feed's TTL.
    `first`: the number the first entry is called by in errors."""
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
    for number, entry in enumerate(parsed.entries, first):
        paragraphs, full = _entry_paragraphs(entry)
        label = f"{name} entry {number}" + (f" ({entry.title!r})" if entry.get("title") else "")
        if not paragraphs:
            results.append(ReadError(label, "the entry has no text"))
            continue
        link = usable_url(entry.get("link"))
        entry_source, entry_source_url = outlet_for(link)
        title = clean(entry.get("title") or "")
        notes: list[str] = []
        published = _date(entry, "published", notes) or _date(entry, "updated", notes)
        article = Article(
            title=title or derive_title(paragraphs, link),
            paragraphs=tuple(paragraphs),
            author=clean(entry.get("author") or "") or None,
            source=source or entry_source,
            source_url=source_url or entry_source_url,
            url=link,
            published=published,
            updated=_updated(entry, published),
            origin=label,
            derived=() if title else ("title",),
            notes=tuple(notes),
        )
        results.append(article)
        if not full:
            read.summary_only.add(article.id)
    return read


def stream_feed(file: BinaryIO, name: str, *, max_bytes: int) -> Iterator[Article | ReadError]:
    """A feed file of any size: one within `max_bytes` read whole, a larger one entry by entry
    (each parsed by feedparser inside an envelope holding the feed's own title and link)."""
    whole = file.read(max_bytes + 1)
    if len(whole) <= max_bytes:
        yield from read_feed(whole, name)
        return
    source = Rewound(whole, file)
    channel: dict[str, str] = {}
    number = 0
    events = lxml.etree.iterparse(
        source, events=("end",), resolve_entities=False, no_network=True, huge_tree=True
    )
    try:
        for _, element in events:
            tag = lxml.etree.QName(element).localname if isinstance(element.tag, str) else ""
            parent = element.getparent()
            if tag in ("title", "link") and parent is not None and _is_channel(parent):
                channel.setdefault(tag, element.get("href") or (element.text or "").strip())
            if tag not in ("item", "entry"):
                continue
            number += 1
            envelope = _envelope(element, channel)
            if len(envelope) > max_bytes:
                yield ReadError(f"{name} entry {number}", f"over the {max_bytes:,}-byte limit")
            else:
                yield from read_feed_entries(envelope, name, first=number).items
            element.clear()
            while element.getprevious() is not None:
                del parent[0]
    except lxml.etree.XMLSyntaxError as error:
        yield ReadError(name, f"not well-formed XML after entry {number} ({error})")


def _is_channel(element) -> bool:
    return lxml.etree.QName(element).localname in ("channel", "feed")


def _envelope(entry, channel: dict[str, str]) -> bytes:
    """One entry as a feed of its own, with the feed's title and link."""
    title, link = escape(channel.get("title", "")), escape(channel.get("link", ""), {'"': "&quot;"})
    body = lxml.etree.tostring(entry)
    if lxml.etree.QName(entry).namespace == _ATOM:
        return (
            f'<feed xmlns="{_ATOM}"><title>{title}</title><link href="{link}"/>'.encode()
            + body
            + b"</feed>"
        )
    return (
        f'<rss version="2.0"><channel><title>{title}</title><link>{link}</link>'.encode()
        + body
        + b"</channel></rss>"
    )


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


def _updated(entry, published: str | None) -> str | None:
    """The entry's update time, when it differs from its publication time."""
    if not _field(entry, "published"):
        return None  # the update time stood in for the publication time
    updated = _date(entry, "updated", [])
    return updated if updated != published else None


def _date(entry, key: str, notes: list[str]) -> str | None:
    """A date to the precision the feed wrote it. For a full time, feedparser's reading (in
    UTC) is taken: it knows every zone name RFC 822 allows, and feeds' own odd formats."""
    raw, parsed = _field(entry, key), _field(entry, f"{key}_parsed")
    try:
        given = source_date(raw)
    except NotADate as problem:
        if parsed and _FULL_TIME.search(str(raw)):
            return source_date(parsed)
        notes.append(f"the {key} date left out: {problem}")
        return None
    return source_date(parsed) if given and len(given) > 10 and parsed else given


def _field(entry, key: str):
    """A field as the feed gave it, without feedparser's deprecated fallbacks between fields."""
    return dict.get(entry, key)
