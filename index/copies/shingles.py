"""Near-duplicate bodies (syndicated copies): word shingles, MinHash, LSH bands, the original."""

from __future__ import annotations

import hashlib
import itertools
import re
import struct
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

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
FORMAT = 2  # of shingle hashes and signatures; stored signatures of another are made anew
WORD_HASHES_KEPT = 500_000  # words whose hashes a process remembers
ESTIMATE_FLOOR = 0.4  # candidates whose signatures agree less than this are not compared
_FOLD = str.maketrans({"’": "'", "‘": "'"})


@cache
def _numpy():
    """numpy, imported at first use (answering a question never needs it), and the odd 64-bit
    multipliers: one per word of a shingle, one that mixes, one for borrowed slots."""
    import numpy

    seed = hashlib.blake2b(b"newsroom-shingles", digest_size=8 * (SHINGLE_WORDS + 2)).digest()
    odd = [int.from_bytes(seed[i : i + 8], "little") | 1 for i in range(0, len(seed), 8)]
    return numpy, [numpy.uint64(m) for m in odd]


_word_hash_of: dict[str, int] = {}


def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def _word_hashes(found: list[str]) -> list[int]:
    try:
        return list(map(_word_hash_of.__getitem__, found))
    except KeyError:  # (or another thread cleared the dict meanwhile)
        if len(_word_hash_of) > WORD_HASHES_KEPT:
            _word_hash_of.clear()
        hashes = []
        for word in found:
            value = _word_hash_of.get(word)
            if value is None:
                value = _word_hash_of[word] = _word_hash(word)
            hashes.append(value)
        return hashes


def _short_shingle(hashes: list[int]) -> int:
    """One hash for a paragraph of fewer than SHINGLE_WORDS words, apart from any run's."""
    value = len(hashes)
    for h in hashes:
        value = (value * 0x100000001B3 ^ h) & 0xFFFFFFFFFFFFFFFF
    return value


def _mixed(values):
    """Hash values with every bit depending on every input bit (slots read the top bits)."""
    np, odd = _numpy()
    values = values ^ (values >> np.uint64(31))
    values = values * odd[SHINGLE_WORDS]
    return values ^ (values >> np.uint64(29))


def words(text: str) -> list[str]:
    """The words of a text, folded (case, compatibility forms, curly apostrophes)."""
    if not text.isascii():  # NFKC and the folds change nothing in ASCII (nor, often, in more)
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        if "’" in text or "‘" in text:
            text = text.translate(_FOLD)
    return _WORD.findall(text.casefold())


def shingles(paragraphs: Sequence[str]):
    """The distinct shingles of a body, as sorted 64-bit hashes (a numpy array): every run of
    SHINGLE_WORDS consecutive words within a paragraph, and each shorter paragraph whole.

    A shingle's hash mixes its words' hashes, each word hashed once per process (words recur
    endlessly); the same in every process and release, unlike Python's own hash()."""
    np, odd = _numpy()
    hashes: list[int] = []
    lengths: list[int] = []
    short: list[int] = []
    for paragraph in paragraphs:
        found = _word_hashes(words(paragraph))
        if len(found) >= SHINGLE_WORDS:
            hashes += found
            lengths.append(len(found))
        elif found:
            short.append(_short_shingle(found))
    runs = np.empty(0, dtype=np.uint64)
    if hashes:
        word = np.array(hashes, dtype=np.uint64)
        n = len(word) - SHINGLE_WORDS + 1
        runs = word[:n] * odd[0]
        for i in range(1, SHINGLE_WORDS):
            runs += word[i : n + i] * odd[i]
        where = np.repeat(np.arange(len(lengths)), lengths)  # each word's paragraph
        runs = runs[where[:n] == where[SHINGLE_WORDS - 1 :]]  # no run across paragraphs
    found = _mixed(np.concatenate([runs, np.array(short, dtype=np.uint64)]))
    found.sort()
    return found[np.concatenate(([True], found[1:] != found[:-1]))] if len(found) else found


def signature(found) -> list[int]:
    """A MinHash signature of SLOTS values by one-permutation hashing: the shingle hashes,
    cut into SLOTS ranges, give each slot their least; empty slots borrow from the next
    filled one (densification, Shrivastava & Li 2014). Two signatures agree slot by slot
    about as often as the shingle sets are alike."""
    np, odd = _numpy()
    if len(found) == 0:
        return []
    slots = ((found >> np.uint64(32)) * np.uint64(SLOTS)) >> np.uint64(32)  # sorted, as found
    first = np.searchsorted(slots, np.arange(SLOTS, dtype=np.uint64))  # each slot's least
    filled = np.flatnonzero(
        slots[np.minimum(first, len(slots) - 1)] == np.arange(SLOTS, dtype=np.uint64)
    )
    first = first[filled]
    donors = np.searchsorted(filled, np.arange(SLOTS)) % len(filled)
    distance = (filled[donors].astype(np.int64) - np.arange(SLOTS)) % SLOTS
    least = found[first][donors] + distance.astype(np.uint64) * odd[SHINGLE_WORDS + 1]
    return least.tolist()


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


def jaccard(a, b) -> float:
    """How alike two bodies' shingles are: shared ones over all of them."""
    shared = len(_numpy()[0].intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared) if len(a) or len(b) else 0.0


def alike(a, b) -> bool:
    """Whether two bodies' shingles are enough, and alike enough, to call them one text."""
    return min(len(a), len(b)) >= MIN_SHINGLES and jaccard(a, b) >= THRESHOLD


def are_copies(
    first: Sequence[str], second: Sequence[str], first_shingles=None, second_shingles=None
) -> bool:
    """Whether two bodies (their paragraphs' texts) are copies of one story.

    Their shingle sets must be at least THRESHOLD alike, and paragraphs that match must
    carry the same figures: stories cut from one template (weather, results, briefs) differ
    mostly in their numbers, and are different stories. `first_shingles`, `second_shingles`:
    the bodies' shingles, where the caller has them already."""
    a = shingles(first) if first_shingles is None else first_shingles
    b = shingles(second) if second_shingles is None else second_shingles
    return alike(a, b) and not figures_differ(first, second)


def is_revision(old: Sequence[str], new: Sequence[str]) -> bool:
    """Whether a text read again from the same file is a revision of the one read before:
    at least THRESHOLD alike, figures free to change (a correction often changes one)."""
    return jaccard(shingles(old), shingles(new)) >= THRESHOLD


def figures_differ(first: Sequence[str], second: Sequence[str]) -> bool:
    """Whether paragraphs of two bodies that match carry different figures."""
    theirs = [(_pairs(p), set(_NUMBER.findall(p))) for p in second]
    for paragraph in first:
        numbers = set(_NUMBER.findall(paragraph))
        pairs = _pairs(paragraph)
        best = max(theirs, key=lambda t: _set_jaccard(pairs, t[0]), default=None)
        if best and _set_jaccard(pairs, best[0]) >= PARAGRAPH_MATCH and best[1] != numbers:
            return True
    return False


def _set_jaccard(a: set, b: set) -> float:
    shared = len(a & b)  # the union's size follows: no need to build it
    return shared / (len(a) + len(b) - shared) if a or b else 0.0


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
