"""What changed between two versions of an article: fields, and paragraphs added, cut, reworded."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from index.article import Article

FIELDS = ("title", "author", "source", "url", "published", "updated")
_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Change:
    """One difference: a field's value, or a paragraph added, removed or changed.

    Paragraph numbers count body paragraphs from 1, `old_number` in the earlier version and
    `new_number` in the later; `words` spells a changed paragraph out as ("=" | "-" | "+", text)
    runs, so that a reader sees the edited words in place."""

    kind: str  # "field", "added", "removed", "changed"
    name: str | None = None  # the field's name
    old: str | None = None
    new: str | None = None
    old_number: int | None = None
    new_number: int | None = None
    words: tuple[tuple[str, str], ...] = ()


def changes(old: Article, new: Article) -> list[Change]:
    """Every difference between two versions, fields first, then paragraphs in order."""
    found = [
        Change("field", name, getattr(old, name), getattr(new, name))
        for name in FIELDS
        if getattr(old, name) != getattr(new, name)
    ]
    before = [p.text for p in old.paragraphs]
    after = [p.text for p in new.paragraphs]
    for op, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(paired):
            a, b = before[i1 + k], after[j1 + k]
            found.append(Change("changed", None, a, b, i1 + k + 1, j1 + k + 1, word_diff(a, b)))
        for i in range(i1 + paired, i2):
            found.append(Change("removed", None, before[i], None, i + 1, None))
        for j in range(j1 + paired, j2):
            found.append(Change("added", None, None, after[j], None, j + 1))
    return found


def word_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """The two texts as runs of kept ("="), removed ("-") and added ("+") words."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    runs: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            runs.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("+", "".join(b[j1:j2])))
    return tuple(runs)
