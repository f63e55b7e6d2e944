"""Files of many articles read record by record, so an archive of any size streams in; the
size limit applies to one article, never to a whole export."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from index.article import Article
from index.errors import ReadError
from index.readers.decode import decode_text, looks_binary
from index.readers.feed import stream_feed
from index.readers.jsondocs import FieldMapping, article_of, read_json_line
from index.readers.rewound import Rewound
from index.readers.wxr import looks_like_wxr, read_wxr

HEAD_BYTES = 64 * 1024  # bytes looked at to tell a file's format
_CHUNK = 1 << 20  # bytes of an over-long line skipped at a time
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


@dataclass(frozen=True)
class LeftOut:
    """What a file held that is not an article and was passed over on purpose (a warning)."""

    origin: str
    text: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.text}"


def streamable(kind: str, head: bytes) -> bool:
    """Whether a file of this kind is read record by record (else: as one article)."""
    if head.startswith(_WIDE_BOMS):  # UTF-16 and UTF-32 lines cannot be split as bytes
        return False
    return kind in ("jsonl", "json", "feed") or (kind == "xml" and looks_like_wxr(head))


def read_records(
    file: BinaryIO,
    name: str,
    kind: str,
    head: bytes,
    *,
    max_bytes: int,
    mapping: FieldMapping | None = None,
) -> Iterator[Article | ReadError | LeftOut]:
    """Every article in a file of many, as it is read; a bad or oversized record is a
    ReadError naming its line or item, and the records after it still come. What was passed
    over on purpose (a WordPress export's drafts and pages) is told by a LeftOut at the end."""
    if not head.strip():
        raise ReadError(name, "the file is empty")
    if looks_binary(head):
        raise ReadError(name, "binary data, not an article (text, HTML, Markdown, JSON or a feed)")
    if looks_like_wxr(head):
        items = read_wxr(file, name, max_bytes=max_bytes)
        yield from items
        if items.skipped:
            kinds = ", ".join(f"{n:,} {kind}" for kind, n in items.skipped_kinds.most_common())
            yield LeftOut(name, f"{items.skipped:,} items left out, not published posts ({kinds})")
    elif kind == "jsonl":
        yield from _json_lines(file, name, max_bytes, mapping)
    elif kind == "json":
        yield from _json_items(file, name, head, max_bytes, mapping)
    else:
        yield from stream_feed(file, name, max_bytes=max_bytes)


def _json_lines(
    file: BinaryIO, name: str, max_bytes: int, mapping: FieldMapping | None
) -> Iterator[Article | ReadError]:
    number = 0
    found = False
    while line := file.readline(max_bytes + 1):
        number += 1
        label = f"{name} line {number}"
        if len(line) > max_bytes and not line.endswith(b"\n"):
            size = len(line) + _skip_line(file)
            found = True
            yield ReadError(label, f"{size:,} bytes, over the {max_bytes:,}-byte limit per article")
            continue
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        if not line.strip():
            continue
        found = True
        yield read_json_line(decode_text(line), label, mapping)
    if not found:
        raise ReadError(name, "the file holds no JSON lines")


def _skip_line(file: BinaryIO) -> int:
    """Read past the rest of an over-long line; how many bytes that was."""
    skipped = 0
    while chunk := file.readline(_CHUNK):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _json_items(
    file: BinaryIO, name: str, head: bytes, max_bytes: int, mapping: FieldMapping | None
) -> Iterator[Article | ReadError]:
    """A JSON array of articles, or {"articles": [...]}, item by item; a file within the
    limit per article is read whole (it may be one article of its own)."""
    import ijson

    whole = file.read(max_bytes + 1)
    if len(whole) <= max_bytes:
        from index.readers import read  # (the package imports this module)

        yield from read(whole, name, mapping=mapping)
        return
    opening = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    prefix = "item" if opening == b"[" else "articles.item"
    count = 0
    try:
        for count, item in enumerate(ijson.items(Rewound(whole, file), prefix, use_float=True), 1):
            label = f"{name} item {count}"
            size = len(json.dumps(item, ensure_ascii=False).encode())
            if size > max_bytes:
                yield ReadError(label, f"{size:,} bytes, over the {max_bytes:,}-byte limit")
                continue
            yield article_of(item, label, mapping)
    except ijson.JSONError as error:
        yield ReadError(name, f"not valid JSON after item {count} ({error})")
        return
    if not count:
        raise ReadError(name, f"one JSON object over the {max_bytes:,}-byte limit per article")
