"""Matched words marked in a quote: one loop for every surface, with its own escape and markers."""

from __future__ import annotations

from collections.abc import Callable, Sequence


def merge_spans(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Highlights in order, cut to the text; overlapping ones, and neighbours apart only by
    spaces, joined ("*a b*", not "*a* *b*"); empty ones dropped."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        start, end = max(start, 0), min(end, len(text))
        if start >= end:
            continue
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip(" ")):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mark(
    text: str,
    spans: Sequence[tuple[int, int]],
    open_mark: str,
    close_mark: str,
    escape: Callable[[str], str] = str,
) -> str:
    """The text escaped for its surface, each merged highlight between the two markers."""
    parts, last = [], 0
    for start, end in merge_spans(text, spans):
        parts += [escape(text[last:start]), open_mark, escape(text[start:end]), close_mark]
        last = end
    return "".join(parts) + escape(text[last:])
