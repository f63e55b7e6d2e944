"""Asked who voted against something, the quote telling the vote against: stories written for
these tests, in a real archive."""

from __future__ import annotations

import pytest

from index.answering.cues import asks_dissent, tells_dissent
from index.article import Article
from tests.conftest import assert_verbatim, story


def _story(title: str, key: str, *paragraphs: str) -> Article:
    return story(title, key, *paragraphs, source="Harlow Courier", published="2026-11-24")


GARAGE = _story(
    "Harlow council approves downtown parking garage",
    "garage",
    "The Harlow City Council voted 5-2 on Tuesday to build a 300-space parking garage on the "
    "site of the old bus depot.",
    "The $18 million project will be paid for with parking revenue bonds, finance director "
    "Tom Reyes said.",
    "Council members Gina Alvarez and Ray Holt voted no, saying the city should invest in "
    "transit instead.",
    "Construction is expected to begin next summer.",
)
LEVY = _story(
    "Harlow voters reject school levy",
    "levy",
    "Harlow voters on Tuesday rejected a property tax levy that would have paid for a new "
    "middle school.",
    "Superintendent Dana Ortiz said the board would discuss next steps at its Dec. 3 meeting.",
)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("who voted against the garage?", True),
        ("Which council members voted no?", True),
        ("who opposed the garage?", True),
        ("who is opposed to the plan?", True),
        ("which justices dissented?", True),
        ("who cast the lone no vote?", True),
        ("who voted for the garage?", False),
        ("What state did the Quakers who opposed theatrical performances live in?", False),
        ("what was the vote?", False),
    ],
)
def test_a_question_asks_who_voted_against(question, asks):
    assert asks_dissent(question) is asks


@pytest.mark.parametrize(
    ("text", "tells"),
    [
        ("Council member Gina Alvarez cast the lone vote against, saying", True),
        ("Alvarez and Holt voted no.", True),
        ("Justice Paul Otero, in a dissent joined by Justice Amy Lau, wrote", True),
        ('She cast the only "no" vote.', True),
        ("The council voted 5-2 on Tuesday to build a garage.", False),  # who, it does not say
        ("Voters approved the levy.", False),
    ],
)
def test_a_text_tells_a_vote_against(text, tells):
    assert tells_dissent(text) is tells


@pytest.mark.parametrize(
    "question",
    ["who voted against the garage?", "which council members voted no on the garage?"],
)
def test_who_voted_against_is_the_paragraph_naming_them(archive, question):
    """Before, "who voted against the garage?" was quoted the lede (0.77): it names the garage
    and says "voted"; the paragraph naming who voted no does not name the garage."""
    archive.add([GARAGE, LEVY])
    answer = archive.ask(question)
    assert answer.quotes
    top = answer.quotes[0]
    assert "Alvarez and Ray Holt voted no" in top.text
    assert_verbatim(top.text, GARAGE.paragraphs[2].text)


def test_a_vote_against_is_not_taken_from_a_story_about_something_else(archive):
    archive.add([GARAGE, LEVY])
    answer = archive.ask("who voted against the stadium?")
    assert not any("voted no" in quote.text for quote in answer.quotes)
