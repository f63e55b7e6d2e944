"""index/answering/quotes.py: the quote in a paragraph: whole sentences if they fit, or clauses."""

from __future__ import annotations

from index.answering.quotes import ELLIPSIS, MAX_SENTENCES, QUOTE_BUDGET, quote_text, windows
from index.search.schema import terms_of

FERRY = (
    "The ferry leaves at noon. Fares rise by fifty cents in June, the port authority said. "
    "The new schedule starts on Monday. Nobody else commented."
)


def weights(question: str) -> dict[str, float]:
    return dict.fromkeys(terms_of(question), 1.0)


def test_the_best_sentence_and_its_neighbours_are_quoted_whole():
    question = "when do ferry fares rise?"
    best, *_ = windows(FERRY, weights(question), kind="date", question=question)
    quote, offset = quote_text(FERRY, best)
    assert quote.startswith("The ferry leaves at noon. Fares rise by fifty cents in June")
    assert not quote.startswith(ELLIPSIS) and not quote.endswith(ELLIPSIS) and offset == 0
    assert best.matched == {"ferri", "fare", "rise"}
    assert best.coverage == 0.75  # "do" is the one word of the question missing
    assert best.cue  # "June" answers "when"


def test_windows_do_not_overlap_and_the_best_comes_first():
    found = windows(FERRY, weights("new schedule Monday"), count=2)
    assert len(found) == 2
    first, second = found
    assert "new schedule starts on Monday" in FERRY[first.start : first.end]
    assert first.coverage == 1.0 and second.coverage < first.coverage
    assert first.end <= second.start or second.end <= first.start


def test_no_more_than_three_sentences_even_when_all_fit():
    text = " ".join(f"Sentence {n} is short." for n in range(8))
    best = windows(text, weights("short sentence"))[0]
    assert len(text[best.start : best.end].split(".")) - 1 <= MAX_SENTENCES


def test_a_sentence_over_the_budget_is_cut_at_clauses_and_the_cut_is_marked():
    clauses = ", ".join(f"clause {n} about the river and its many neighbours" for n in range(12))
    sentence = f"“When it comes to guarantees, {clauses}, and the guarantors would answer for it.”"
    text = f"{sentence} The end."
    assert len(sentence) > QUOTE_BUDGET
    best = windows(text, weights("who are the guarantors?"))[0]
    quote, offset = quote_text(text, best)
    assert "guarantors would answer" in quote
    assert best.end - best.start <= QUOTE_BUDGET
    assert best.cut_start and quote.startswith(ELLIPSIS)
    assert quote[best.start + offset : best.end + offset] == text[best.start : best.end]
    assert text[best.start - 2 : best.start] == ", "  # cut after a comma, not inside a clause


def test_a_smaller_budget_gives_a_shorter_quote():
    best = windows(FERRY, weights("ferry fares schedule"), budget=60)[0]
    assert best.end - best.start <= 60


def test_matched_words_close_together_are_nearer_than_scattered_ones():
    close = windows("The harbor bridge vote was put off again.", weights("harbor vote"))[0]
    apart = windows(
        "The harbor was calm that day, and after a long debate about parking and trees and the "
        "budget the council went home without a vote.",
        weights("harbor vote"),
    )[0]
    assert close.proximity > apart.proximity > 0


def test_text_without_the_questions_words_covers_none_of_it():
    [only] = windows("Nothing here matches.", weights("guarantors"))
    assert only.coverage == 0 and only.matched == frozenset()
