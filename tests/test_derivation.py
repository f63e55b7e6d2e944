"""A noun the archive lacks read as the verb it is made from ("closure", "closed"), and a verb
it lacks as the noun made from it ("sued", "lawsuit"): stories written for these tests, in a
real archive."""

from __future__ import annotations

import pytest

from index.answering.derivation import made_from, made_into
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


RENT_CAP = Article(
    title="Court strikes down Harlow rent cap",
    key="rent-cap",
    paragraphs=(
        Paragraph(
            "The state Supreme Court on Monday struck down Harlow's cap on annual rent "
            "increases, ruling 5-2 that the city had exceeded its authority."
        ),
        Paragraph("The 2023 ordinance limited rent increases to 4 percent a year."),
        Paragraph(
            "The Harlow Landlords Association, which brought the lawsuit, called the ruling "
            "a win for property owners."
        ),
        Paragraph("Opponents of the cap had argued it discouraged new construction."),
    ),
)


@pytest.mark.parametrize(
    ("word", "held", "read"),
    [
        ("sued", {"lawsuit"}, "lawsuit"),
        ("suing", {"lawsuit"}, "lawsuit"),
        ("opposed", {"opposition", "opponent"}, "opponent"),  # the first noun the archive holds
        ("died", {"death"}, "death"),
        ("sued", set(), None),
        ("Sued", {"lawsuit"}, None),  # capitalised: a name, perhaps
        ("voted", {"vote"}, None),  # no noun made from it is listed
    ],
)
def test_a_verb_is_read_as_the_noun_made_from_it_the_archive_holds(word, held, read):
    assert made_into(word, held.__contains__) == read


def test_a_question_naming_a_verb_the_archive_lacks_is_answered_from_its_noun(archive):
    archive.add([RENT_CAP, CRASH])
    answer = archive.ask("who sued over the rent cap?")
    assert answer.quotes and "brought the lawsuit" in answer.quotes[0].text
    answer = archive.ask("who opposed the rent cap?")
    assert answer.quotes and answer.quotes[0].text.startswith("Opponents of the cap")


def test_a_verb_meets_its_noun_in_ion_through_the_stemmer(archive):
    """Porter2 joins "investigating" and "investigation", "evacuated" and "evacuation"."""
    fire = Article(
        title="Fire destroys Harlow warehouse",
        key="warehouse-fire",
        paragraphs=(
            Paragraph("A fire destroyed a vacant warehouse on Dock Street early Sunday."),
            Paragraph("The cause is under investigation by the state fire marshal's office."),
            Paragraph("An evacuation order for six nearby homes was lifted by noon."),
        ),
    )
    archive.add([fire, CRASH])
    answer = archive.ask("who is investigating the warehouse fire?")
    assert answer.quotes and "state fire marshal" in answer.quotes[0].text
    answer = archive.ask("were homes evacuated?")
    assert answer.quotes and "evacuation order" in answer.quotes[0].text
