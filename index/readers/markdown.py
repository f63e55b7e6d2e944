"""Markdown articles with optional YAML front matter (title, author, source, url, dates)."""

from __future__ import annotations

import datetime as dt
import re

import yaml
from markdown_it import MarkdownIt

from index.article import Article, Paragraph
from index.dates import date_or_note
from index.errors import ReadError
from index.readers.meta import clean, derive_title, outlet_for, usable_url

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def read_markdown(text: str, origin: str | None = None) -> Article:
    """Read one article: front matter for metadata, headings for sections, blocks for text."""
    name = origin or "markdown"
    meta, body = _front_matter(text.lstrip("\ufeff"), name)
    title, paragraphs = _body(body, _text(meta.get("title")))
    if not paragraphs:
        raise ReadError(name, "no article text found")
    url = usable_url(_text(meta.get("url") or meta.get("link") or meta.get("canonical_url")))
    source, source_url = outlet_for(url)
    notes: list[str] = []
    return Article(
        title=title or derive_title(paragraphs, origin),
        paragraphs=tuple(paragraphs),
        author=_text(meta.get("author") or meta.get("authors") or meta.get("byline")),
        source=_text(meta.get("source") or meta.get("outlet") or meta.get("publisher")) or source,
        source_url=source_url,
        url=url,
        published=_date(meta.get("published") or meta.get("date"), "the date", notes),
        updated=_date(
            meta.get("updated") or meta.get("lastmod") or meta.get("modified"),
            "the update date",
            notes,
        ),
        origin=origin,
        derived=() if title else ("title",),
        notes=tuple(notes),
    )


def _front_matter(text: str, name: str) -> tuple[dict, str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or getattr(error, "reason", None) or "unreadable"
        raise ReadError(name, f"front matter is not valid YAML ({problem})") from None
    except RecursionError:
        raise ReadError(name, "front matter is not valid YAML (nested too deeply)") from None
    if not isinstance(meta, dict):
        raise ReadError(name, "front matter must be a mapping of keys to values")
    return {str(k).lower(): v for k, v in meta.items()}, text[match.end() :]


_SCALARS = (str, int, float, dt.date)


def _text(value) -> str | None:
    """A front matter value as text: a scalar, or a list of scalars ("authors"). Anything
    nested is ignored, which also defuses YAML alias bombs (a tiny file, a huge structure)."""
    if isinstance(value, list) and all(isinstance(v, _SCALARS) for v in value[:20]):
        value = ", ".join(str(v) for v in value[:20])
    if not isinstance(value, _SCALARS):
        return None
    return clean(str(value))[:1000] or None


def _date(value, field: str, notes: list[str]) -> str | None:
    return date_or_note(value if isinstance(value, dt.date) else _text(value), field, notes)


def _body(body: str, title: str | None) -> tuple[str | None, list[Paragraph]]:
    """(title from the first level-one heading if the front matter gave none, paragraphs)."""
    tokens = MarkdownIt("commonmark").parse(body)
    paragraphs: list[Paragraph] = []
    heading = None
    for i, token in enumerate(tokens):
        if token.type != "inline":
            continue
        text = clean(_inline_text(token))
        opener = tokens[i - 1]
        if opener.type == "heading_open":
            leading = opener.tag == "h1" and not paragraphs and heading is None
            if leading and title in (None, text):
                title = text
            else:
                heading = text or heading
        elif text:
            paragraphs.append(Paragraph(text, heading))
    return title, paragraphs


def _inline_text(token) -> str:
    parts = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)
