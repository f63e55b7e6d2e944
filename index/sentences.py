"""Sentence and clause boundaries in a paragraph, as character offsets (syntok segments)."""

from __future__ import annotations

import re
from functools import lru_cache

import syntok.segmenter

_CLAUSE_BREAK = re.compile(r"(?<=[,;:])\s+|\s+[–—-]{1,2}\s+|(?<=…)(?=\S)")


@lru_cache(maxsize=4096)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of every sentence; "U.S.", "Aug. 15", "Mr. X" and quotes stay whole."""
    spans = []
    for paragraph in syntok.segmenter.analyze(text):
        for sentence in paragraph:
            first, last = sentence[0], sentence[-1]
            start, end = first.offset, last.offset + len(last.value)
            if text[start:end].strip():
                spans.append((start, end))
    return tuple(spans) or ((0, len(text)),)


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of one sentence (split after commas, semicolons, colons and at dashes)."""
    spans, cursor = [], start
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        if match.start() > cursor:
            spans.append((cursor, match.start()))
        cursor = match.end()
    if cursor < end:
        spans.append((cursor, end))
    return spans
