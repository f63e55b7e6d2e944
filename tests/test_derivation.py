"""A noun the archive lacks read as the verb it is made from ("closure", "closed"): stories
written for these tests, in a real archive."""

from __future__ import annotations

import pytest

from index.answering.derivation import made_from
from index.article import Article, Paragraph
from tests.test_reasons import SCHOOLS

CRASH = Article(
    title="Two killed in Route 9 crash",
    key="crash",
    paragraphs=(
        Paragraph("Two people died and three were injured in a crash on Route 9 on Sunday night."),
        Paragraph("State police said a pickup truck crossed the center line near Exit 14."),
    ),
)


@pytest.mark.parametrize(
    ("word", "held", "read"),
    [
        ("closure", {"closed"}, "closed"),
        ("closures", {"closed"}, "closed"),
        ("deaths", {"dead", "die"}, "dead"),  # the first form the archive holds
        ("injuries", {"injured"}, "injured"),
        ("layoffs", {"lay"}, "lay"),
        ("deaths", set(), None),  # nor any of its verb's forms
        ("Closure", {"closed"}, None),  # capitalised: a name, perhaps
        ("station", {"state"}, None),  # not made from "state"
    ],
)
def test_a_noun_is_read_as_the_form_of_its_verb_the_archive_holds(word, held, read):
    assert made_from(word, held.__contains__) == read


def test_a_question_naming_a_noun_the_archive_lacks_is_answered_from_its_verb(archive):
    archive.add([SCHOOLS, CRASH])
    answer = archive.ask("how many deaths were there in the route 9 crash?")
    assert answer.quotes and "Two people died" in answer.quotes[0].text
    answer = archive.ask("what caused the school closure?")
    assert answer.quotes and "water main break" in answer.quotes[0].text


def test_a_noun_the_archive_holds_is_searched_as_typed(archive):
    closure = Article(
        title="Route 9 closure extended",
        key="closure",
        paragraphs=(Paragraph("The closure of Route 9 at Exit 14 will last until Friday."),),
    )
    archive.add([SCHOOLS, CRASH, closure])
    answer = archive.ask("how long will the closure last?")
    assert answer.quotes and answer.quotes[0].citation.title == closure.title
