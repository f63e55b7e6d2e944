"""Readers, one per format; `read` picks one by name, content type or the bytes themselves."""

from __future__ import annotations

import io
import re
from pathlib import PurePosixPath

from index.article import Article
from index.errors import ReadError
from index.readers.decode import decode_text, looks_binary, looks_garbled
from index.readers.feed import read_feed
from index.readers.html import read_html
from index.readers.jsondocs import read_json
from index.readers.mapping import FieldMapping
from index.readers.markdown import read_markdown
from index.readers.stream import HEAD_BYTES, read_records
from index.readers.text import read_text
from index.readers.wxr import looks_like_wxr, read_wxr

SUFFIX_FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "xml",
}
CONTENT_TYPE_FORMATS = {
    "text/plain": "text",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
    "application/xml": "xml",
    "text/xml": "xml",
}
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.I)


def format_for(name: str, content_type: str | None = None) -> str | None:
    """The reader a file name or an HTTP content type calls for, or None to look at the bytes."""
    if content_type:
        kind = CONTENT_TYPE_FORMATS.get(content_type.split(";")[0].strip().lower())
        if kind:
            return kind
    return SUFFIX_FORMATS.get(PurePosixPath(name).suffix.lower())


def looks_like_feed(data: bytes, name: str, content_type: str | None = None) -> bool:
    """Whether bytes fetched from a feed's URL are an RSS or Atom feed (by type, or by root)."""
    if format_for(name, content_type) == "feed":
        return True
    return bool(_FEED_ROOT.search(data[:2048]))


def read(
    data: bytes,
    name: str,
    *,
    content_type: str | None = None,
    charset: str | None = None,
    url: str | None = None,
    mapping: FieldMapping | None = None,
) -> list[Article | ReadError]:
    """Every article in one source's bytes; bad items come back as ReadErrors among them.
    `mapping` renames a JSON export's fields to ours."""
    if not data.strip():
        raise ReadError(name, "the file is empty")
    if looks_binary(data):
        raise ReadError(name, "binary data, not an article (text, HTML, Markdown, JSON or a feed)")
    kind = format_for(name, content_type) or sniff(data)
    if kind in ("feed", "xml") and looks_like_wxr(data[:HEAD_BYTES]):
        return list(read_wxr(io.BytesIO(data), name))
    if kind == "xml":
        kind = "feed" if _FEED_ROOT.search(data[:2048]) else "html"
    if kind == "feed":
        return read_feed(data, name)
    if kind == "html":
        return [read_html(data, name, url=url)]
    # Plain text, Markdown and JSON: decoded here, checked for garbage first.
    try:
        text = decode_text(data, charset)
    except UnicodeDecodeError as error:
        raise ReadError(name, f"undecodable text: not valid {error.encoding}") from None
    if looks_garbled(text):
        raise ReadError(name, "undecodable text: mostly control characters, not words")
    if kind == "json":
        return read_json(text, name, mapping)
    if kind == "jsonl":
        encoded = text.encode("utf-8")
        lines, head = io.BytesIO(encoded), encoded[:HEAD_BYTES]
        return list(read_records(lines, name, kind, head, max_bytes=len(encoded), mapping=mapping))
    if kind == "markdown":
        return [read_markdown(text, name)]
    return [read_text(text, name)]


def sniff(data: bytes) -> str:
    """The format the first bytes of a file look like: "json", "jsonl", "xml", "markdown" or
    "text"."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"{", b"[")):
        return "jsonl" if head.startswith(b"{") and b"}\n{" in data.replace(b"\r", b"") else "json"
    if head.startswith(b"<"):
        return "xml"
    if head.startswith(b"---\n") or re.match(rb"#{1,6} ", head):
        return "markdown"
    return "text"
