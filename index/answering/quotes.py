"""Choosing the quote inside a paragraph: the best sentence and up to two neighbours, or clauses."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from math import fsum

from index.answering.cues import offers
from index.search.schema import term_spans
from index.sentences import clause_spans, sentence_spans

QUOTE_BUDGET = 450  # the most characters a quote grows to; the mean stays well under 400
MAX_SENTENCES = 3
GROW_TO = 240  # a window without more of the question grows toward what follows to this length
CUE_WEIGHT = 0.15
LENGTH_PENALTY = 0.1
ELLIPSIS = "…"
# A sentence opening with one of these names who or what it is about in the sentence before it
PRONOUN_LED = re.compile(
    r"^[\"“‘']?(it|its|he|his|she|her|they|their|them|this|these|those)\b", re.I
)


@dataclass(frozen=True)
class Window:
    """A stretch of a paragraph worth quoting, and how well it answers."""

    start: int
    end: int
    coverage: float  # share of the question's weight (IDF) found in the window
    proximity: float  # 1.0 when the matched words sit close together, toward 0 when scattered
    cue: bool  # the window offers the kind of answer the question wants
    cut_start: bool  # the window starts inside a sentence
    cut_end: bool  # the window ends inside a sentence
    matched: frozenset[str]


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    sentence: int  # which sentence of the paragraph the unit belongs to
    whole: bool  # the unit is a whole sentence, not a clause


def windows(
    text: str,
    weights: dict[str, float],
    kind: str | None = None,
    question: str = "",
    budget: int | None = None,
    count: int = 2,
) -> list[Window]:
    """Up to `count` windows that do not overlap, the best first."""
    budget = budget or QUOTE_BUDGET
    total = sum(weights.values()) or 1.0
    hits = [(term, start, end) for term, start, end in term_spans(text) if term in weights]
    units = _units(text, budget)
    unit_terms = [_terms_in(hits, unit.start, unit.end) for unit in units]
    free = [(0, len(units))]  # runs of units not yet quoted: [lo, hi)
    found: list[tuple[float, Window]] = []
    for _ in range(count):
        spans = [
            _best_span(text, units, unit_terms, weights, total, kind, question, budget, lo, hi)
            for lo, hi in free
            if hi > lo
        ]
        if not spans:
            break
        value, first, last, lo, hi = max(spans)
        while grown := _grow(units, unit_terms, weights, first, last, budget, lo, hi):
            first, last = grown
        found.append(
            (
                value,
                _window(text, units, unit_terms, hits, weights, total, first, last, kind, question),
            )
        )
        free.remove((lo, hi))
        free += [(lo, first), (last + 1, hi)]
    return [window for _, window in found]


def _window(text, units, unit_terms, hits, weights, total, first, last, kind, question) -> Window:
    start, end = units[first].start, units[last].end
    matched = frozenset().union(*unit_terms[first : last + 1])
    return Window(
        start=start,
        end=end,
        coverage=fsum(weights[t] for t in matched) / total,
        proximity=_proximity(hits, start, end),
        cue=offers(kind, text[start:end], question),
        cut_start=not units[first].whole and units[first].start > _sentence_start(units, first),
        cut_end=not units[last].whole and units[last].end < _sentence_end(units, last),
        matched=matched,
    )


def quote_text(text: str, window: Window) -> tuple[str, int]:
    """The quote with "…" where it was cut, and the offset of its first copied character."""
    lead = ELLIPSIS if window.cut_start else ""
    tail = ELLIPSIS if window.cut_end else ""
    return lead + text[window.start : window.end] + tail, len(lead) - window.start


def with_antecedent(text: str, window: Window, taken: Sequence[tuple[int, int]] = ()) -> Window:
    """The window reaching back to the sentence before it when it opens with a pronoun, so the
    quote says who "he" is ("Peyton Manning became … He is also the oldest quarterback …"):
    within the budget, and not into a stretch of `taken` (another quote's)."""
    if window.cut_start or not PRONOUN_LED.match(text[window.start : window.end]):
        return window
    before = [start for start, end in sentence_spans(text) if end <= window.start]
    if not before or window.end - before[-1] > QUOTE_BUDGET:
        return window
    start = before[-1]
    if any(s < window.start and e > start for s, e in taken):
        return window
    return replace(window, start=start)


def _units(text: str, budget: int) -> list[_Unit]:
    units = []
    for number, (start, end) in enumerate(sentence_spans(text)):
        if end - start <= budget:
            units.append(_Unit(start, end, number, True))
        else:
            units += [_Unit(s, e, number, False) for s, e in clause_spans(text, start, end)]
    return units


def _best_span(text, units, unit_terms, weights, total, kind, question, budget, lo, hi):
    """(value, first, last, lo, hi): the run of units in [lo, hi) with the most of the question."""
    best, best_value = (lo, lo), float("-inf")
    for first in range(lo, hi):
        have: frozenset[str] = frozenset()
        for last in range(first, hi):
            length = units[last].end - units[first].start
            sentences = units[last].sentence - units[first].sentence + 1
            if last > first and (length > budget or sentences > MAX_SENTENCES):
                break
            have |= unit_terms[last]
            value = fsum(weights[t] for t in have) / total
            value += CUE_WEIGHT * offers(kind, text[units[first].start : units[last].end], question)
            value -= LENGTH_PENALTY * length / budget
            if value > best_value:
                best, best_value = (first, last), value
    return best_value, best[0], best[1], lo, hi


def _grow(units, unit_terms, weights, first: int, last: int, budget: int, lo: int, hi: int):
    """Widen the window by one unit, toward new matched words, within the budget; or None."""
    sentences = units[last].sentence - units[first].sentence + 1
    have = frozenset().union(*unit_terms[first : last + 1])
    short = units[last].end - units[first].start < GROW_TO
    options = []
    for i, span in ((first - 1, (first - 1, last)), (last + 1, (first, last + 1))):
        if not lo <= i < hi:
            continue
        unit = units[i]
        new_length = max(units[last].end, unit.end) - min(units[first].start, unit.start)
        new_sentences = sentences + (
            unit.sentence not in (units[first].sentence, units[last].sentence)
        )
        if new_length > budget or new_sentences > MAX_SENTENCES:
            continue
        gain = fsum(weights[t] for t in unit_terms[i] - have)
        same_sentence = unit.sentence in (units[first].sentence, units[last].sentence)
        if not (same_sentence or gain > 0 or short):
            continue
        # Finish a sentence that was cut; otherwise grow toward words of the question, and
        # then toward what follows (where answers tend to be) while the window is short.
        priority = (same_sentence, gain > 0, gain, i > last)
        options.append((priority, span))
    return max(options)[1] if options else None


def _terms_in(hits, start: int, end: int) -> frozenset[str]:
    return frozenset(term for term, s, e in hits if s >= start and e <= end)


def _proximity(hits, start: int, end: int) -> float:
    """How tightly the distinct matched words cluster: their shortest covering span."""
    inside = [(term, s) for term, s, e in hits if s >= start and e <= end]
    distinct = {term for term, _ in inside}
    if len(distinct) < 2:
        return 0.0
    best = end - start
    for i, (_, s) in enumerate(inside):
        seen = set()
        for term, s2 in inside[i:]:
            seen.add(term)
            if len(seen) == len(distinct):
                best = min(best, s2 - s)
                break
    return min(1.0, 12.0 * len(distinct) / (best + 1))


def _sentence_start(units: list[_Unit], i: int) -> int:
    return min(u.start for u in units if u.sentence == units[i].sentence)


def _sentence_end(units: list[_Unit], i: int) -> int:
    return max(u.end for u in units if u.sentence == units[i].sentence)
