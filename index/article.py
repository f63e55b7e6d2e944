"""Article and Paragraph: the one shape every reader produces and the store keeps."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid)$", re.I)


@dataclass(frozen=True)
class Paragraph:
    """One quotable body paragraph and the section heading it sits under."""

    text: str
    heading: str | None = None


@dataclass(frozen=True)
class Publication:
    """Another outlet's copy of a story: the outlet's name and the copy's own link."""

    source: str | None
    url: str | None


@dataclass(frozen=True)
class Article:
    """A news article: citation fields plus its body paragraphs, in order."""

    title: str
    paragraphs: tuple[Paragraph, ...]
    author: str | None = None
    source: str | None = None  # the outlet's name, e.g. "Straight Arrow News"
    source_url: str | None = None  # the outlet's home, e.g. "https://straightarrownews.com"
    url: str | None = None  # the article's own canonical URL
    published: str | None = None  # ISO 8601
    updated: str | None = None  # ISO 8601
    key: str | None = None  # the source's own id for the article (a JSON "id"), if it has one
    origin: str | None = field(default=None, compare=False)  # the file or URL it was read from
    # `source` was read from a line naming the story's original outlet ("Click here to read
    # the original…", "Originally published by…"): this copy credits that outlet.
    credits_source: bool = field(default=False, compare=False)
    categories: tuple[str, ...] = ()  # the source's own sections or tags (a CMS's categories)
    # Citation fields the source did not give, which the reader made ("title": from the text).
    derived: tuple[str, ...] = ()
    # What the reader left out and why ("Date: Tuesday" is no date), for the ingest report.
    notes: tuple[str, ...] = field(default=(), compare=False)

    @cached_property
    def id(self) -> str:
        """Stable identity: the source's own id, else the canonical URL, else the body's text."""
        if self.key:
            return self.key
        if self.url:
            key = "url:" + normalize_url(self.url)
        else:
            key = "text:" + "\n".join(p.text for p in self.paragraphs)
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    @cached_property
    def content_hash(self) -> str:
        """Changes whenever anything the index or a citation shows changes."""
        shown = [self.title, self.author, self.source, self.source_url, self.url]
        shown += [self.published, self.updated, [[p.heading, p.text] for p in self.paragraphs]]
        if self.categories or self.derived:  # (absent, the hashes of earlier versions hold)
            shown += [list(self.categories), list(self.derived)]
        return hashlib.sha256(json.dumps(shown).encode("utf-8")).hexdigest()[:16]

    @property
    def domain(self) -> str | None:
        return domain_of(self.source_url, self.url)


def normalize_url(url: str) -> str:
    """The form of a URL used for identity: no fragment, no tracking parameters."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and (parts.scheme, parts.port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{parts.port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not _TRACKING_PARAMS.match(k)])
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), host, path, query, ""))


def domain_of(*links: str | None) -> str | None:
    """The bare host name of the first link given ("straightarrownews.com"), for citations."""
    for link in links:
        if link and (host := urlsplit(link).hostname):
            return host.removeprefix("www.")
    return None
