"""Near-duplicate bodies (syndicated copies): word shingles, MinHash, LSH bands, the original."""

from __future__ import annotations

import hashlib
import itertools
import re
import struct
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

SHINGLE_WORDS = 4  # words per shingle
MIN_SHINGLES = 30  # shorter bodies (about 33 words) are never judged copies: too little to tell
THRESHOLD = 0.5  # Jaccard similarity of the shingle sets at or above which two bodies are copies
BANDS = 24  # LSH: the signature is cut into this many bands of ROWS values; two bodies that
ROWS = 3  # agree on a whole band are candidates (found 96% of the time at 0.5, 99.6% at 0.6)
BUCKET_CAP = 32  # bodies kept per band value: a fuller one is template or boilerplate text
MAX_CANDIDATES = 8  # candidates checked per body, those sharing the most bands first
PARAGRAPH_MATCH = 0.5  # paragraphs this alike are the same paragraph, and must agree on figures

_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_HASHES = struct.Struct(f"<{BANDS * ROWS}I")
_FOLD = str.maketrans({"’": "'", "‘": "'"})


def words(text: str) -> list[str]:
    """The words of a text, folded (case, compatibility forms, curly apostrophes)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).translate(_FOLD).casefold())


def shingles(paragraphs: Sequence[str]) -> set[str]:
    """Every run of SHINGLE_WORDS consecutive words within a paragraph."""
    found: set[str] = set()
    for paragraph in paragraphs:
        w = words(paragraph)
        if 0 < len(w) < SHINGLE_WORDS:
            found.add(" ".join(w))
        found.update(" ".join(w[i : i + SHINGLE_WORDS]) for i in range(len(w) - SHINGLE_WORDS + 1))
    return found


def signature(found: set[str]) -> list[int]:
    """The MinHash signature: for each of BANDS * ROWS hash functions, the least shingle hash.

    The hash functions are the 32-bit words of one SHAKE-128 digest per shingle: independent,
    and the same in every process and release (Python's own hash() is neither)."""
    rows = [_HASHES.unpack(hashlib.shake_128(s.encode()).digest(_HASHES.size)) for s in found]
    return [min(column) for column in zip(*rows, strict=True)]


def band_keys(paragraphs: Sequence[str]) -> list[int]:
    """One signed 64-bit key per band of the signature; none for a body too short to judge."""
    found = shingles(paragraphs)
    if len(found) < MIN_SHINGLES:
        return []
    values = signature(found)
    keys = []
    for band in range(BANDS):
        chunk = struct.pack(f"<I{ROWS}I", band, *values[band * ROWS : (band + 1) * ROWS])
        keys.append(
            int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little", signed=True)
        )
    return keys


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def are_copies(first: Sequence[str], second: Sequence[str]) -> bool:
    """Whether two bodies (their paragraphs' texts) are copies of one story.

    Their shingle sets must be at least THRESHOLD alike, and paragraphs that match must
    carry the same figures: stories cut from one template (weather, results, briefs) differ
    mostly in their numbers, and are different stories."""
    a, b = shingles(first), shingles(second)
    if min(len(a), len(b)) < MIN_SHINGLES or jaccard(a, b) < THRESHOLD:
        return False
    return not _figures_differ(first, second)


def is_revision(old: Sequence[str], new: Sequence[str]) -> bool:
    """Whether a text read again from the same file is a revision of the one read before:
    at least THRESHOLD alike, figures free to change (a correction often changes one)."""
    return jaccard(shingles(old), shingles(new)) >= THRESHOLD


def _figures_differ(first: Sequence[str], second: Sequence[str]) -> bool:
    theirs = [(_pairs(p), set(_NUMBER.findall(p))) for p in second]
    for paragraph in first:
        numbers = set(_NUMBER.findall(paragraph))
        pairs = _pairs(paragraph)
        best = max(theirs, key=lambda t: jaccard(pairs, t[0]), default=None)
        if best and jaccard(pairs, best[0]) >= PARAGRAPH_MATCH and best[1] != numbers:
            return True
    return False


def _pairs(paragraph: str) -> set[str]:
    w = words(paragraph)
    return {f"{x} {y}" for x, y in itertools.pairwise(w)} or set(w)


@dataclass(frozen=True)
class Member:
    """What choosing a story's original needs to know of one copy."""

    id: str
    source: str | None
    domain: str | None
    credited: bool  # its `source` was read from a line naming the story's original outlet
    published: str | None
    added_at: str


def original(members: Sequence[Member]) -> Member:
    """The copy to cite: the one the others credit, else the earliest published, else the first.

    An article from an outlet that some copy names in an explicit source line comes first;
    then a copy carrying such a line (it cites the outlet it names); then the earliest
    publication date (undated ones last); then the first ingested."""
    credited = set().union(*(_names(m) for m in members if m.credited))

    def rank(m: Member) -> tuple:
        named = 0 if (_names(m) & credited and not m.credited) else 1 if m.credited else 2
        return (named, m.published is None, m.published or "", m.added_at, m.id)

    return min(members, key=rank)


def _names(member: Member) -> set[str]:
    """The outlet's name and its domain, folded, to match a credit line against."""
    return {n.casefold().strip() for n in (member.source, member.domain) if n}
