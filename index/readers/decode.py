"""Bytes to text: byte-order marks, declared charsets, UTF-8, then Windows-1252."""

from __future__ import annotations

import codecs

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Bytes that Windows-1252 leaves undefined; Latin-1 maps them to C1 controls instead of failing.
_CP1252_HOLES = frozenset(b"\x81\x8d\x8f\x90\x9d")


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode text the way a reader of the file would expect, never failing on valid bytes.

    A byte-order mark wins, then a charset the source declared (an HTTP header), then UTF-8;
    text that is not UTF-8 is taken as Windows-1252, the superset of Latin-1 that newsroom
    tools write, with Latin-1 for the five bytes 1252 leaves undefined.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding)
    if declared:
        try:
            return data.decode(_codec_name(declared))
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _CP1252_HOLES.isdisjoint(data):
        return data.decode("cp1252")
    return data.decode("latin-1")


def _codec_name(declared: str) -> str:
    name = codecs.lookup(declared.strip().strip("\"'")).name
    # Browsers read "latin-1" and "ascii" labels as Windows-1252 (WHATWG Encoding Standard).
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def looks_binary(data: bytes) -> bool:
    """True for data that is not text in any encoding we read (NUL bytes outside UTF-16/32)."""
    head = data[:4096]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    return b"\x00" in head
