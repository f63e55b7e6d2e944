"""A web page's publication and update dates, from the metadata its publisher wrote."""

from __future__ import annotations

import json

import lxml.html

_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.created",
    "dc.date",
    "date",
)
_UPDATED_META = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified")
_MAX_JSON_LD = 200_000  # characters of one JSON-LD block worth reading


def page_dates(data: bytes | str) -> tuple[str | None, str | None]:
    """(published, updated) as the page's own metadata writes them (meta tags, JSON-LD,
    <time datetime> marked as the publication time), unparsed; None where it writes none."""
    try:
        root = lxml.html.document_fromstring(data)
    except (lxml.etree.ParserError, ValueError):
        return None, None
    metas: dict[str, str] = {}
    for meta in root.iter("meta"):
        name = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = (meta.get("content") or "").strip()
        if name and content:
            metas.setdefault(name, content)
    linked = _json_ld(root)
    published = next((metas[n] for n in _PUBLISHED_META if n in metas), None)
    published = published or linked.get("datePublished") or _time_element(root)
    updated = next((metas[n] for n in _UPDATED_META if n in metas), None)
    return published, updated or linked.get("dateModified")


def _json_ld(root) -> dict[str, str]:
    """datePublished and dateModified of the page's first JSON-LD item that has them."""
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            value = json.loads(script.text[:_MAX_JSON_LD])
        except (ValueError, RecursionError):
            continue
        for item in _items(value):
            dates = {k: item[k] for k in ("datePublished", "dateModified") if k in item}
            if all(isinstance(v, str) for v in dates.values()) and dates:
                return dates
    return {}


def _items(value) -> list[dict]:
    """The objects of a JSON-LD value: itself, a list of them, or its @graph."""
    items = value if isinstance(value, list) else [value]
    found: list[dict] = []
    for item in items[:50]:
        if isinstance(item, dict):
            found.append(item)
            graph = item.get("@graph")
            if isinstance(graph, list):
                found += [g for g in graph[:50] if isinstance(g, dict)]
    return found


def _time_element(root) -> str | None:
    for time in root.iter("time"):
        marked = time.get("itemprop") == "datePublished" or time.get("pubdate") is not None
        if marked and time.get("datetime"):
            return time.get("datetime")
    return None
