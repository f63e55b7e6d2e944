"""JSON and JSON Lines: one article per object, in our field names or mapped from a CMS's."""

from __future__ import annotations

import json
import re

from index.article import Article, Paragraph
from index.dates import date_or_note
from index.errors import ReadError
from index.readers.html import fragment_paragraphs
from index.readers.mapping import FieldMapping
from index.readers.meta import clean, derive_title, outlet_for, usable_url

_KEY = re.compile(r"^[\w.:-]{1,80}$")
_TEXT_FIELDS = '"paragraphs" (a list), "body" (text) or "html" (HTML)'
MAX_CATEGORIES = 50

__all__ = ["FieldMapping", "article_of", "read_json", "read_json_line"]


def read_json(
    text: str, origin: str | None = None, mapping: FieldMapping | None = None
) -> list[Article | ReadError]:
    """A JSON object, a list of objects, or {"articles": [...]}; each object one article."""
    name = origin or "json"
    value = _parse(text, name)
    if isinstance(value, dict) and isinstance(value.get("articles"), list):
        value = value["articles"]
    items = value if isinstance(value, list) else [value]
    if not items:
        raise ReadError(name, "the JSON holds no articles (an empty list)")
    return [article_of(item, f"{name} item {n}", mapping) for n, item in enumerate(items, 1)]


def read_json_line(line: str, label: str, mapping: FieldMapping | None = None):
    """One line of JSON Lines: its article, or a ReadError naming the line."""
    try:
        return article_of(_parse(line, label), label, mapping)
    except ReadError as error:
        return error


def _parse(text: str, label: str):
    """JSON text -> value, every way it can fail told as a ReadError."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ReadError(label, f"not valid JSON (line {error.lineno}: {error.msg})") from None
    except RecursionError:
        raise ReadError(label, "not valid JSON for an article (nested too deeply)") from None
    except ValueError:  # a number of thousands of digits, longer than Python converts
        raise ReadError(label, "not valid JSON for an article (a number far too long)") from None


def article_of(item, label: str, mapping: FieldMapping | None = None) -> Article | ReadError:
    """One JSON object's article (its fields renamed by the mapping first), or the ReadError
    that says what is wrong with it."""
    try:
        if not isinstance(item, dict):
            kind = type(item).__name__
            raise ReadError(label, f"expected an object with article fields, got {kind}")
        return _article(mapping.apply(item, label) if mapping else item, label)
    except ReadError as error:
        return error


def _article(item: dict, label: str) -> Article:
    paragraphs = _paragraphs(item, label)
    url = _string(item, "url", label)
    if url is not None and usable_url(url) is None:
        raise ReadError(label, f'"url" is not a link that can be cited: {url[:100]!r}')
    source, source_url = outlet_for(url)
    key = item.get("id")
    if key is not None and not (isinstance(key, (str, int)) and _KEY.match(str(key))):
        raise ReadError(label, '"id" must be a short string of letters, digits, ".", ":" or "-"')
    title = _string(item, "title", label)
    notes: list[str] = []
    return Article(
        title=title or derive_title(paragraphs, url),
        paragraphs=tuple(paragraphs),
        author=_string(item, "author", label),
        source=_string(item, "source", label) or source,
        source_url=source_url,
        url=url,
        published=date_or_note(_string(item, "published", label), '"published"', notes),
        updated=date_or_note(_string(item, "updated", label), '"updated"', notes),
        key=str(key) if key is not None else None,
        origin=label,
        categories=_categories(item, label),
        derived=() if title else ("title",),
        notes=tuple(notes),
    )


def _paragraphs(item: dict, label: str) -> list[Paragraph]:
    if "paragraphs" in item:
        raw = item["paragraphs"]
        if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
            raise ReadError(label, '"paragraphs" must be a list of strings')
    elif isinstance(item.get("body"), str):
        raw = re.split(r"\n\s*\n", item["body"])
    elif isinstance(item.get("html"), str):
        paragraphs = fragment_paragraphs(item["html"])
        if not paragraphs:
            raise ReadError(label, "the article has no text")
        return paragraphs
    else:
        fields = ", ".join(sorted(map(str, item))[:20]) or "none"
        raise ReadError(label, f"needs {_TEXT_FIELDS}; its fields: {fields}")
    paragraphs = [Paragraph(text) for text in map(clean, raw) if text]
    if not paragraphs:
        raise ReadError(label, "the article has no text")
    return paragraphs


def _string(item: dict, key: str, label: str) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ReadError(label, f'"{key}" must be a string')
    return clean(value) or None


def _categories(item: dict, label: str) -> tuple[str, ...]:
    value = item.get("categories")
    if value is None:
        return ()
    values = value if isinstance(value, list) else [value]
    if not all(isinstance(v, str) for v in values):
        raise ReadError(label, '"categories" must be a string or a list of strings')
    cleaned = (clean(v) for v in values[:MAX_CATEGORIES])
    return tuple(dict.fromkeys(c for c in cleaned if c))
