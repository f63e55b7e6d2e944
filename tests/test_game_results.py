"""Asked a game's result, the quote telling the score and who won: stories written for these
tests, in a real archive."""

from __future__ import annotations

import pytest

from index.answering.cues import asks_result, tells_result
from index.article import Article
from tests.conftest import assert_verbatim, story


def _story(title: str, key: str, *paragraphs: str) -> Article:
    return story(title, key, *paragraphs, source="Bayview Herald", published="2026-11-24")


GAME = _story(
    "Bayview Bears fall to Kingston in playoff opener",
    "game",
    "The Bayview Bears lost 24-17 to the Kingston Knights on Friday night in the first round of "
    "the state playoffs, ending their season at 9-3.",
    "Kingston quarterback Jalen Brooks threw for 260 yards and two touchdowns.",
    "Bayview running back Marcus Tate rushed for 152 yards in his final high school game.",
)
RULING = _story(
    "State Supreme Court strikes down Bayview rent cap",
    "ruling",
    "The state Supreme Court on Monday struck down Bayview's cap on annual rent increases, ruling "
    "5-2 that the city had exceeded its authority.",
    "The Bayview Apartment Association, which brought the lawsuit, called the ruling a victory "
    "for property owners.",
)
GARAGE = _story(
    "Bayview council approves new downtown parking garage",
    "garage",
    "The Bayview City Council voted 6-1 on Tuesday to build a 400-space parking garage.",
)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("what was the final score?", True),
        ("What was the score of the Bears game?", True),
        ("who won the bayview game?", True),
        ("who won the election?", False),
        ("what was the vote?", False),
    ],
)
def test_a_question_asks_a_games_result(question, asks):
    assert asks_result(question) is asks


@pytest.mark.parametrize(
    ("text", "tells"),
    [
        ("The Bayview Bears lost 24-17 to the Kingston Knights", True),
        ("Lakeshore High beat Brookfield 64-61 in overtime", True),
        ("The Broncos defeated the Steelers in the divisional round, 23–16", True),
        ("The council voted 6-1 on Tuesday to build a garage.", False),  # a vote, not a game
        ("Kingston won the toss.", False),  # no score
    ],
)
def test_a_text_tells_a_games_result(text, tells):
    assert tells_result(text) is tells


def test_the_final_score_is_the_paragraph_telling_it(archive):
    """Before, the question was declined (0.20): no paragraph holds "score"."""
    archive.add([GAME, RULING, GARAGE])
    answer = archive.ask("what was the final score?")
    assert answer.quotes
    top = answer.quotes[0]
    assert "lost 24-17" in top.text
    assert_verbatim(top.text, GAME.paragraphs[0].text)


def test_who_won_the_game_is_not_a_victory_in_court(archive):
    """Before, the apartment association's "victory" came first (0.54)."""
    archive.add([GAME, RULING, GARAGE])
    top = archive.ask("who won the bayview game?").quotes[0]
    assert "lost 24-17 to the Kingston Knights" in top.text


def test_a_result_is_not_taken_from_a_story_about_another_game(archive):
    archive.add([GAME, RULING, GARAGE])
    answer = archive.ask("what was the final score of the soccer match?")
    assert not any("24-17" in quote.text for quote in answer.quotes)
