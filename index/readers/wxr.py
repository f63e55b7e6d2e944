"""WordPress exports (WXR): published posts streamed out of a file of any size, as articles."""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import re
from collections import Counter
from collections.abc import Iterator
from typing import BinaryIO

import lxml.etree

from index.article import Article
from index.errors import ReadError
from index.readers.meta import clean, derive_title, outlet_for, usable_url
from index.readers.post_body import body_paragraphs

_WXR_NAMESPACE = re.compile(rb"""xmlns:\w+\s*=\s*["']https?://wordpress\.org/export/\d""")
_NAMESPACES = {  # namespace URI -> the prefix exports use, for reading an item's fields by name
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
}
_GMT = re.compile(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})")
# RFC 822 as WordPress writes it; a year of "-0001" (its "no date") or no zone is no date.
_RFC822 = re.compile(
    r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?\s+"
    r"(?:[+-]\d{4}|GMT|UTC?|Z|[ECMP][SD]T)"
)


def looks_like_wxr(head: bytes) -> bool:
    """Whether a file's first few kilobytes declare the WordPress export namespace."""
    return bool(_WXR_NAMESPACE.search(head))


def read_wxr(file: BinaryIO, origin: str, *, max_bytes: int | None = None) -> WxrItems:
    """Every published post of a WordPress export, read as the file streams by (`file` needs
    only a `read(size)`); a post that cannot be read, or whose HTML is over `max_bytes`, is a
    ReadError among them. Drafts, pages, attachments and the rest are counted in `skipped`,
    not yielded."""
    return WxrItems(file, origin, max_bytes=max_bytes)


class WxrItems(Iterator[Article | ReadError]):
    """The articles of one WXR file, in order; `skipped` counts items that are not published
    posts (by kind in `skipped_kinds`), `source` is the site's name once its channel is read."""

    def __init__(self, file: BinaryIO, origin: str, *, max_bytes: int | None = None):
        self.origin = origin
        self.max_bytes = max_bytes
        self.skipped_kinds: Counter[str] = Counter()
        self.source: str | None = None
        self.source_url: str | None = None
        self._authors: dict[str, str] = {}  # author_login -> author_display_name
        self._items = self._read(file)

    @property
    def skipped(self) -> int:
        return self.skipped_kinds.total()

    def __next__(self) -> Article | ReadError:
        return next(self._items)

    def _read(self, file: BinaryIO) -> Iterator[Article | ReadError]:
        events = lxml.etree.iterparse(
            file,
            events=("end",),
            tag=("item", "title", "link", "{*}author"),
            resolve_entities=False,  # a billion laughs or an external file expands to nothing
            no_network=True,
            load_dtd=False,
            huge_tree=True,  # one post's HTML may pass libxml2's 10 MB limit per text node
            remove_comments=True,
            remove_pis=True,
        )
        number = yielded = 0
        try:
            for _, element in events:
                parent = element.getparent()
                if element.tag == "item":
                    number += 1
                    item = self._item(element, number)
                    element.clear(keep_tail=True)
                    while element.getprevious() is not None:  # read items: memory stays flat
                        del parent[0]
                    if item is not None:
                        yielded += 1
                        yield item
                elif parent is None or parent.tag != "channel":
                    continue
                elif element.tag == "title":
                    self.source = clean(_text(element)) or self.source
                elif element.tag == "link":
                    name, self.source_url = outlet_for(_text(element))
                    self.source = self.source or name
                elif _prefix(element) == "wp":
                    self._author(element)
        except lxml.etree.XMLSyntaxError as error:
            problem = ReadError(self.origin, f"not well-formed XML ({error})")
            if not yielded:
                raise problem from None
            yield problem  # the posts before the break went in; say where it broke

    def _author(self, element) -> None:
        fields = _fields(element)
        login = clean(fields.get("wp:author_login", ""))
        if login:
            self._authors[login] = clean(fields.get("wp:author_display_name", "")) or login

    def _item(self, element, number: int) -> Article | ReadError | None:
        fields = _fields(element)
        kind, status = fields.get("wp:post_type", "").strip(), fields.get("wp:status", "").strip()
        if kind != "post" or status != "publish" or fields.get("wp:post_password", "").strip():
            self.skipped_kinds[_kind(kind, status)] += 1
            return None
        title = clean(html.unescape(fields.get("title", "")))
        label = f"{self.origin} item {number}" + (f" ({title!r})" if title else "")
        try:
            return self._article(element, fields, title, f"{self.origin} item {number}", label)
        except (ValueError, LookupError, TypeError, lxml.etree.LxmlError) as error:
            return ReadError(label, f"could not be read ({error})")

    def _article(self, element, fields: dict[str, str], title: str, place: str, label: str):
        content = fields.get("content:encoded", "")
        if self.max_bytes is not None and len(content) * 4 > self.max_bytes:
            size = len(content.encode("utf-8"))
            if size > self.max_bytes:
                limit = f"over the {self.max_bytes:,}-byte limit per article"
                return ReadError(label, f"{size:,} bytes, {limit}")
        paragraphs = body_paragraphs(content)
        if not paragraphs:
            return ReadError(label, "the post has no text")
        link = _link(fields.get("link")) or _permalink_guid(element)
        published = _gmt(fields.get("wp:post_date_gmt")) or _rfc822(fields.get("pubDate"))
        updated = _gmt(fields.get("wp:post_modified_gmt"))
        login = clean(fields.get("dc:creator", ""))
        notes = () if published else (f"{label}: no publication date given",)
        return Article(
            title=title or derive_title(paragraphs, link),
            paragraphs=tuple(paragraphs),
            author=self._authors.get(login, login) or None,
            source=self.source or outlet_for(link)[0],
            source_url=self.source_url or outlet_for(link)[1],
            url=link,
            published=published,
            updated=updated if updated and (not published or updated > published) else None,
            origin=place,
            categories=_categories(element),
            derived=() if title else ("title",),
            notes=notes,
        )


def _fields(element) -> dict[str, str]:
    """An element's children by prefixed name ("wp:status", "content:encoded", "title"): the
    first of each, as text."""
    fields: dict[str, str] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        local = lxml.etree.QName(child).localname
        prefix = _prefix(child)
        fields.setdefault(f"{prefix}:{local}" if prefix else local, _text(child))
    return fields


def _prefix(element) -> str:
    namespace = lxml.etree.QName(element).namespace or ""
    if namespace.startswith(("http://wordpress.org/export/", "https://wordpress.org/export/")):
        return "excerpt" if namespace.rstrip("/").endswith("excerpt") else "wp"
    return _NAMESPACES.get(namespace, "other" if namespace else "")


def _text(element) -> str:
    """An element's text; an entity the parser left unexpanded stays out of it."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _kind(kind: str, status: str) -> str:
    if kind == "post" and status == "publish":
        return "password-protected post"
    return f"{status or 'unknown'} post" if kind == "post" else kind or "unknown"


def _link(value: str | None) -> str | None:
    url = usable_url(value)
    return url if url and url.startswith(("http://", "https://")) else None


def _permalink_guid(element) -> str | None:
    for guid in element.iterchildren("guid"):
        if (guid.get("isPermaLink") or "true").strip().lower() == "true":
            return _link(_text(guid))
    return None


def _categories(element) -> tuple[str, ...]:
    names = []
    for category in element.iterchildren("category"):
        if category.get("domain") in ("category", "post_tag"):
            name = clean(html.unescape(_text(category)))
            if name and name not in names:
                names.append(name)
    return tuple(names)


def _gmt(value: str | None) -> str | None:
    """WordPress's "YYYY-MM-DD HH:MM:SS" in UTC as ISO 8601; zeros are its "not given"."""
    match = _GMT.fullmatch((value or "").strip())
    if not match:
        return None
    try:
        moment = dt.datetime(*map(int, match.groups()), tzinfo=dt.UTC)
    except ValueError:  # 0000-00-00 00:00:00, or no such day
        return None
    return moment.isoformat()


def _rfc822(value: str | None) -> str | None:
    """An RSS pubDate in UTC as ISO 8601, if it gives a year and a time zone."""
    text = clean(value or "")
    if not _RFC822.fullmatch(text):
        return None
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (ValueError, TypeError, IndexError):
        return None
    if moment.tzinfo is None:  # "-0000": UTC, its local zone unknown
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat()
