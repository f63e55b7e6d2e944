"""Plain-text articles, including syndicated copies with source lines, bylines and footers."""

from __future__ import annotations

import re

from index.article import Article, Paragraph
from index.dates import date_or_note
from index.errors import ReadError
from index.readers.meta import clean, derive_title, outlet_for, usable_url

_HEADER = re.compile(
    r"^(title|headline|author|by|byline|source|outlet|url|link|date|published|updated)\s*:\s*(.+)$",
    re.I,
)
_HEADER_ALIASES = {
    "headline": "title",
    "by": "author",
    "byline": "author",
    "outlet": "source",
    "link": "url",
    "date": "published",
}
_BYLINE = re.compile(r"^[Bb]y\s+([A-Z][\w.'’-]*(?:\s+(?:and\s+)?[A-Z][\w.'’-]*){0,5})$")
_URL = re.compile(r"https?://[^\s,;)\]>\"“”]+")
_SOURCE_LINE = re.compile(
    r"^(click (this|the|here)\b.*\b(original|source)\b|originally (published|appeared)\b|"
    r"this (article|story) (was )?(originally|first) (published|appeared)\b|read the original\b)",
    re.I,
)
_COPYRIGHT_LINE = re.compile(
    r"^(©|\(c\)|copyright\b)|all rights reserved|owned and copyrighted|content is courtesy of",
    re.I,
)
_COPYRIGHT_HOLDER = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?([A-Z][\w&.'’ -]{2,60}?)[.,]")
_SENTENCE_END = re.compile(r"[.!…,;:\"”’')\]]$")
_QUOTE_START = re.compile(r"^[\"“‘'(\[-]")


def read_text(text: str, origin: str | None = None) -> Article:
    """Read one article from plain text: optional header lines, body, optional footer."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    meta, lines = _take_header(lines)
    blocks = _blocks(lines)
    blocks, footer_meta = _take_footer(blocks)
    for key, value in footer_meta.items():
        meta.setdefault(key, value)
    blocks = _take_title_and_byline(blocks, meta)
    paragraphs = _paragraphs(blocks)
    if not paragraphs:
        raise ReadError(origin or "text", "no article text found")
    return _article(meta, paragraphs, origin)


def _article(meta: dict[str, str], paragraphs: list[Paragraph], origin: str | None) -> Article:
    url = usable_url(meta.get("url"))
    source, source_url = outlet_for(meta.get("source_url") or url)
    if meta.get("source") and not meta["source"].startswith("http"):
        source = meta["source"]
    elif meta.get("source"):
        source, source_url = outlet_for(meta["source"])
    notes: list[str] = []
    title = meta.get("title")
    return Article(
        title=title or derive_title(paragraphs, origin),
        paragraphs=tuple(paragraphs),
        author=meta.get("author"),
        source=source,
        source_url=source_url,
        url=url,
        published=date_or_note(meta.get("published"), "the date", notes),
        updated=date_or_note(meta.get("updated"), "the update date", notes),
        origin=origin,
        credits_source=bool(meta.get("credit") and source),
        derived=() if title else ("title",),
        notes=tuple(notes),
    )


def _take_header(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """Email-style "Key: value" lines at the very top, ended by a blank line."""
    meta: dict[str, str] = {}
    for i, line in enumerate(lines):
        if not line.strip():
            return (meta, lines[i + 1 :]) if meta else ({}, lines)
        match = _HEADER.match(line.strip())
        if not match:
            return {}, lines
        key = _header_key(match.group(1))
        meta[key] = clean(match.group(2))
    return {}, lines


def _header_key(name: str) -> str:
    name = name.lower()
    return _HEADER_ALIASES.get(name, name)


def _take_title_and_byline(blocks: list[str], meta: dict[str, str]) -> list[str]:
    """A title line and a "By ..." line at the top, in either order."""
    while blocks:
        if "author" not in meta and (byline := _BYLINE.match(blocks[0])):
            meta["author"] = byline.group(1)
        elif "title" not in meta and len(blocks) > 1 and _is_heading(blocks[0]):
            meta["title"] = blocks[0]
        else:
            break
        blocks = blocks[1:]
    return blocks


def _blocks(lines: list[str]) -> list[str]:
    """Paragraph-sized blocks: blank-line separated (wrapped lines joined), else one per line."""
    if not any(not line.strip() for line in _trim(lines)):
        return [clean(line) for line in lines if line.strip()]
    blocks: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.strip())
            continue
        if current:
            longest = max(len(x) for x in current)
            if len(current) > 1 and _is_heading(current[0]) and len(current[0]) < 0.6 * longest:
                blocks.append(clean(current.pop(0)))
            blocks.append(clean(" ".join(current)))
            current = []
    return blocks


def _trim(lines: list[str]) -> list[str]:
    start = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    end = len(lines) - next((i for i, line in enumerate(reversed(lines)) if line.strip()), 0)
    return lines[start:end]


def _take_footer(blocks: list[str]) -> tuple[list[str], dict[str, str]]:
    """Syndication lines at the end: source link line, "Key: value" lines, copyright notice."""
    meta: dict[str, str] = {}
    while blocks:
        line = blocks[-1]
        if field := _HEADER.match(line):
            meta.setdefault(_header_key(field.group(1)), clean(field.group(2)))
        elif byline := _BYLINE.match(line):
            meta.setdefault("author", byline.group(1))
        elif _SOURCE_LINE.match(line) or _COPYRIGHT_LINE.search(line):
            if _SOURCE_LINE.match(line):
                meta.setdefault("credit", "yes")
            if urls := _URL.findall(line):
                meta.setdefault("source_url", urls[0].rstrip("."))
            if holder := _COPYRIGHT_HOLDER.search(line):
                meta.setdefault("source", holder.group(1).strip())
        else:
            break
        blocks = blocks[:-1]
    return blocks, meta


def _is_heading(block: str) -> bool:
    """A subheading: a short line that does not end like a sentence (questions do count)."""
    words = block.split()
    if not words or len(block) > 120 or len(words) > 16:
        return False
    if _QUOTE_START.match(block):
        return False
    return block.endswith("?") or not _SENTENCE_END.search(block)


def _paragraphs(blocks: list[str]) -> list[Paragraph]:
    """Body paragraphs, each carrying the last subheading above it; headings are not quoted."""
    paragraphs: list[Paragraph] = []
    heading = None
    for i, block in enumerate(blocks):
        is_last = i == len(blocks) - 1
        if not is_last and _is_heading(block) and not _is_heading(blocks[i + 1]):
            heading = block
        else:
            paragraphs.append(Paragraph(block, heading))
    return paragraphs
