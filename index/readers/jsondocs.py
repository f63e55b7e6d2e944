"""JSON and JSON Lines: one article per object, with "paragraphs" or a blank-line "body"."""

from __future__ import annotations

import datetime as dt
import json
import re

from index.article import Article, Paragraph
from index.errors import ReadError
from index.readers.meta import clean, derive_title, outlet_for, usable_url

_KEY = re.compile(r"^[\w.:-]{1,80}$")
_FIELDS = {"id", "title", "author", "source", "url", "published", "updated", "paragraphs", "body"}


def read_json(text: str, origin: str | None = None) -> list[Article | ReadError]:
    """A JSON object, a list of objects, or {"articles": [...]}; each object one article."""
    name = origin or "json"
    value = _parse(text, name)
    if isinstance(value, dict) and isinstance(value.get("articles"), list):
        value = value["articles"]
    items = value if isinstance(value, list) else [value]
    if not items:
        raise ReadError(name, "the JSON holds no articles (an empty list)")
    return [_item(item, f"{name} item {n}") for n, item in enumerate(items, 1)]


def read_json_lines(text: str, origin: str | None = None) -> list[Article | ReadError]:
    """One JSON object per line; a bad line is a ReadError naming its line number."""
    name = origin or "jsonl"
    results: list[Article | ReadError] = []
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        if not line.strip():
            continue
        label = f"{name} line {number}"
        try:
            results.append(_item(_parse(line, label), label))
        except ReadError as error:
            results.append(error)
    if not results:
        raise ReadError(name, "the file holds no JSON lines")
    return results


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


def _item(item, label: str) -> Article | ReadError:
    try:
        return _article(item, label)
    except ReadError as error:
        return error


def _article(item, label: str) -> Article:
    if not isinstance(item, dict):
        raise ReadError(label, f"expected an object with article fields, got {type(item).__name__}")
    paragraphs = _paragraphs(item, label)
    url = _string(item, "url", label)
    if url is not None and usable_url(url) is None:
        raise ReadError(label, f'"url" is not a link that can be cited: {url[:100]!r}')
    source, source_url = outlet_for(url)
    key = item.get("id")
    if key is not None and not (isinstance(key, (str, int)) and _KEY.match(str(key))):
        raise ReadError(label, '"id" must be a short string of letters, digits, ".", ":" or "-"')
    return Article(
        title=_string(item, "title", label) or derive_title(paragraphs, url),
        paragraphs=tuple(paragraphs),
        author=_string(item, "author", label),
        source=_string(item, "source", label) or source,
        source_url=source_url,
        url=url,
        published=_date(item, "published", label),
        updated=_date(item, "updated", label),
        key=str(key) if key is not None else None,
        origin=label,
    )


def _paragraphs(item: dict, label: str) -> list[Paragraph]:
    if "paragraphs" in item:
        raw = item["paragraphs"]
        if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
            raise ReadError(label, '"paragraphs" must be a list of strings')
    elif isinstance(item.get("body"), str):
        raw = re.split(r"\n\s*\n", item["body"])
    else:
        known = ", ".join(sorted(_FIELDS))
        raise ReadError(label, f'needs "paragraphs" (a list) or "body" (a string); fields: {known}')
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


def _date(item: dict, key: str, label: str) -> str | None:
    value = _string(item, key, label)
    if value is None:
        return None
    parse = dt.date.fromisoformat if len(value) == 10 else dt.datetime.fromisoformat
    try:
        return parse(value).isoformat()
    except ValueError:
        raise ReadError(label, f'"{key}" is not an ISO 8601 date: {value!r}') from None
