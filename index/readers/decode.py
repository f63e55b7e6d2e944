"""Bytes to text: byte-order marks, declared charsets, UTF-8, then Windows-1252."""

from __future__ import annotations

import codecs
import unicodedata

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
            return data.decode(encoding)  # UnicodeDecodeError: the caller names the file
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


# File types that are never articles, by their first bytes: images, PDF, archives, programs.
_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"%PDF-",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\xfd7zXZ\x00",
    b"7z\xbc\xaf",
    b"Rar!",
    b"\x7fELF",
    b"\xd0\xcf\x11\xe0",
    b"\x00asm",
    b"\x28\xb5\x2f\xfd",
)
_TEXT_CONTROLS = frozenset(b"\t\n\r\x0c\x1b")
_MOSTLY_TEXT = 0.9  # share of text characters below which data is taken as binary or garbage


def looks_binary(data: bytes) -> bool:
    """True for data that is not text in any encoding we read: a known binary file type, NUL
    bytes outside UTF-16/32, or more control bytes than text ever holds."""
    head = data[:4096]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    if head.startswith(_MAGIC) or b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in _TEXT_CONTROLS)
    return controls > len(head) * (1 - _MOSTLY_TEXT)


def looks_garbled(text: str) -> bool:
    """True for decoded text that is mostly control characters or replacement marks."""
    head = text[:4096]
    if not head:
        return False
    odd = sum(
        1
        for c in head
        if c == "\ufffd"
        or (unicodedata.category(c) in ("Cc", "Co", "Cn") and c not in "\t\n\r\x0c")
    )
    return odd > len(head) * (1 - _MOSTLY_TEXT)
