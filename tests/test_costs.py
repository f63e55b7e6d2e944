"""Asked what something costs, the quote telling the sum, though it names the thing only as "the
project": stories written for these tests, in a real archive."""

from __future__ import annotations

import pytest

from index.answering.cues import asks_cost, tells_cost
from index.article import Article
from tests.conftest import assert_verbatim, story
from tests.test_votes_against import GARAGE  # its paragraph 1: "The $18 million project …"


def _story(title: str, key: str, *paragraphs: str) -> Article:
    return story(title, key, *paragraphs, source="Harlow Courier", published="2026-11-24")


POOL = _story(
    "Harlow pool to reopen after repairs",
    "pool",
    "The Harlow municipal pool will reopen on June 1 after a winter of repairs to its filters "
    "and deck.",
    "Parks director Ana Ruiz said the work came in at $640,000, under the budget the council set.",
    "Swim lessons start the second week of June.",
)
LIBRARY = _story(
    "Harlow library extends weekend hours",
    "library",
    "The Harlow Public Library will open on Sundays from noon to 5 p.m. starting in January.",
    "Director Sam Okafor said more than 200 residents asked for Sunday hours in a survey.",
)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("how much will the garage cost?", True),
        ("How much did the city spend on the pool?", True),
        ("what is the price tag of the bridge?", True),
        ("what's the total cost of the stadium?", True),
        ("what will the new school cost?", True),
        ("and how much does a ride on the ferry cost?", True),
        ("how much rain fell on Tuesday?", False),
        ("how many spaces will the garage have?", False),
        ("What kind of cost is incurred in higher-order logic expression?", False),
        ("who paid for the garage?", False),
    ],
)
def test_a_question_asks_what_something_costs(question, asks):
    assert asks_cost(question) is asks


@pytest.mark.parametrize(
    ("text", "tells"),
    [
        ("The $18 million project will be paid for with bonds", True),
        ("the work came in at $640,000", True),
        ("a grant of 3 billion euros", True),
        ("nearly twenty million dollars", True),
        ("a bushel of wheat cost twice as much as it did in 1720", True),
        ("The archive can be read free of charge.", True),
        ("The city has 22 million residents", False),
        ("Swim lessons start the second week of June.", False),
    ],
)
def test_a_text_tells_a_cost(text, tells):
    assert tells_cost(text) is tells


@pytest.mark.parametrize(
    ("question", "article", "paragraph", "sum_told"),
    [
        ("how much will the garage cost?", GARAGE, 1, "$18 million"),
        ("what will the garage cost?", GARAGE, 1, "$18 million"),
        ("how much did the pool repairs cost?", POOL, 1, "$640,000"),
    ],
)
def test_a_cost_is_the_paragraph_telling_the_sum(archive, question, article, paragraph, sum_told):
    """Before, "how much will the garage cost?" was declined with the story offered (0.34): no
    story says "cost", and the paragraph telling the sum calls the garage "the project"."""
    archive.add([GARAGE, POOL, LIBRARY])
    answer = archive.ask(question)
    assert answer.quotes, answer
    top = answer.quotes[0]
    assert sum_told in top.text
    assert top.citation.article_id == article.id
    assert_verbatim(top.text, article.paragraphs[paragraph].text)


def test_a_cost_is_not_taken_from_a_story_about_something_else(archive):
    archive.add([GARAGE, POOL, LIBRARY])
    answer = archive.ask("how much will the stadium cost?")
    assert not any("$" in quote.text for quote in answer.quotes)


def test_a_story_telling_no_sum_is_not_made_to(archive):
    """The library's story names no sum: the question is answered (or declined) as before, with
    no quote of another story's money."""
    archive.add([GARAGE, POOL, LIBRARY])
    answer = archive.ask("how much will the library's sunday hours cost?")
    assert not any("$" in quote.text for quote in answer.quotes)


LEDGER = _story(
    "Harlow museum shows a 1770 grain ledger",
    "ledger",
    "A bushel of wheat cost twice as much in Harlow in 1770 as it had in 1720, a merchant's "
    "ledger on show at the county museum records.",
    "The museum bought the ledger for $12,000 at an auction in 1998.",
)


def test_a_cost_told_in_words_is_not_pushed_behind_another_sum(archive):
    """The ledger's price is no price of wheat: the quote telling it in words stays first."""
    archive.add([LEDGER, GARAGE, POOL])
    answer = archive.ask("how much did a bushel of wheat cost in 1770?")
    assert answer.quotes
    assert "twice as much" in answer.quotes[0].text
