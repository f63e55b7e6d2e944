"""Near-duplicate bodies (syndicated copies): word shingles, MinHash, LSH bands, the original."""

from __future__ import annotations

import hashlib
import itertools
import re
import struct
import unicodedata
import zlib
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
SLOTS = BANDS * ROWS
_SPAN = (1 << 32) // SLOTS + 1  # CRC-32 values per slot
_EMPTY = 1 << 64
ESTIMATE_FLOOR = 0.4  # candidates whose signatures agree less than this are not compared
_FOLD = str.maketrans({"’": "'", "‘": "'"})


def words(text: str) -> list[str]:
    """The words of a text, folded (case, compatibility forms, curly apostrophes)."""
    if not text.isascii():  # NFKC and the folds change nothing in ASCII (nor, often, in more)
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        if "’" in text or "‘" in text:
            text = text.translate(_FOLD)
    return _WORD.findall(text.casefold())


def shingles(paragraphs: Sequence[str]) -> set[str]:
    """Every run of SHINGLE_WORDS consecutive words within a paragraph."""
    found: set[str] = set()
    for paragraph in paragraphs:
        w = words(paragraph)
        if 0 < len(w) < SHINGLE_WORDS:
            found.add(" ".join(w))
        runs = zip(*(w[i:] for i in range(SHINGLE_WORDS)), strict=False)  # each SHINGLE_WORDS
        found.update(map(" ".join, runs))
    return found


def signature(found: set[str]) -> list[int]:
    """A MinHash signature of SLOTS values by one-permutation hashing: each shingle's CRC-32
    falls in one slot, which keeps the least; empty slots borrow from the next filled one
    (densification, Shrivastava & Li 2014). One hash per shingle, the same in every process
    and release, unlike Python's own hash(); two signatures agree slot by slot about as often
    as the shingle sets are alike."""
    least = [_EMPTY] * SLOTS
    for shingle in found:
        slot, value = divmod(zlib.crc32(shingle.encode()), _SPAN)
        if value < least[slot]:
            least[slot] = value
    filled = [i for i, v in enumerate(least) if v != _EMPTY]
    if not filled:
        return []
    for i in range(SLOTS):
        if least[i] == _EMPTY:
            donor = next((j for j in filled if j > i), filled[0])
            least[i] = least[donor] + _SPAN * ((donor - i) % SLOTS)
    return least


def estimate(first: Sequence[int], second: Sequence[int]) -> float:
    """The share of slots two signatures agree on: an estimate of their shingles' Jaccard."""
    if not first or len(first) != len(second):
        return 0.0
    return sum(a == b for a, b in zip(first, second, strict=True)) / len(first)


def band_keys(paragraphs: Sequence[str], sig: Sequence[int] | None = None) -> list[int]:
    """One signed 64-bit key per band of the signature; none for a body too short to judge."""
    if sig is None:
        found = shingles(paragraphs)
        if len(found) < MIN_SHINGLES:
            return []
        sig = signature(found)
    keys = []
    for band in range(BANDS):
        chunk = struct.pack(f"<I{ROWS}Q", band, *sig[band * ROWS : (band + 1) * ROWS])
        keys.append(
            int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little", signed=True)
        )
    return keys


def pack(sig: Sequence[int]) -> bytes:
    return struct.pack(f"<{len(sig)}Q", *sig)


def unpack(blob: bytes | None) -> list[int]:
    return list(struct.unpack(f"<{len(blob) // 8}Q", blob)) if blob else []


def jaccard(a: set[str], b: set[str]) -> float:
    shared = len(a & b)  # the union's size follows: no need to build it
    return shared / (len(a) + len(b) - shared) if a or b else 0.0


def are_copies(
    first: Sequence[str], second: Sequence[str], first_shingles: set[str] | None = None
) -> bool:
    """Whether two bodies (their paragraphs' texts) are copies of one story.

    Their shingle sets must be at least THRESHOLD alike, and paragraphs that match must
    carry the same figures: stories cut from one template (weather, results, briefs) differ
    mostly in their numbers, and are different stories. `first_shingles`: the first body's
    shingles, when the caller has them already."""
    a = shingles(first) if first_shingles is None else first_shingles
    b = shingles(second)
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
