"""Who holds a role: the quote naming a person by it answers, though it says something else
(stories written for these tests, in a real archive)."""

from __future__ import annotations

import pytest

from index.answering.roles import names_holder, role_asked
from index.article import Article, Paragraph
from tests.conftest import assert_verbatim

FARES = Article(
    title="Bus fares to rise 25 cents in March",
    source="Riverton Courier",
    key="fares",
    paragraphs=tuple(
        map(
            Paragraph,
            (
                "Riverton Transit will raise its base bus fare from $1.75 to $2 on March 1, the "
                "transit board decided Wednesday.",
                "Fares for seniors and riders with disabilities will stay at 85 cents.",
                "The agency faces a $3.2 million shortfall as federal pandemic aid runs out, "
                "general manager Paul Ng said.",
                "It is the first fare increase since 2019.",
            ),
        )
    ),
)
EARNINGS = Article(
    title="Harlow Tech profit falls as chip sales slow",
    source="Riverton Courier",
    key="earnings",
    paragraphs=tuple(
        map(
            Paragraph,
            (
                "Harlow Tech said Tuesday that its third-quarter profit fell 22 percent to $41 "
                "million, as sales of its networking chips slowed.",
                "Revenue was $612 million, down from $680 million a year earlier.",
                "Chief executive Nina Vogel said the company would cut about 5 percent of its "
                "workforce, or roughly 400 jobs, by the end of the year.",
            ),
        )
    ),
)
ROBBERY = Article(
    title="Police arrest suspect in bank robbery",
    source="Riverton Courier",
    key="robbery",
    paragraphs=tuple(
        map(
            Paragraph,
            (
                "Riverton police arrested a 34-year-old man Friday in connection with the robbery "
                "of a downtown bank.",
                "Investigators identified him using surveillance video, Police Chief Dana Kim "
                "said.",
            ),
        )
    ),
)


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("who is the transit general manager?", ("transit", "general", "manager")),
        ("who's harlow's chief executive?", ("chief", "executive")),
        ("Who was the police chief of Eastport?", ("police", "chief")),
        ("who is the judge in the pruitt case?", ("judge",)),
        ("who is Nina Vogel?", None),  # a name, not a role
        ("who is nina vogel?", None),
        ("who was the first person to climb the tower?", None),
        ("who won the election?", None),
        ("who is responsible for the design?", None),  # no noun, no role
        ("who was credited with the discovery?", None),
    ],
)
def test_the_role_a_question_asks_the_holder_of(question, role):
    assert role_asked(question) == role


@pytest.mark.parametrize(
    ("text", "role", "fewest", "named"),
    [
        (
            "The agency faces a shortfall, general manager Paul Ng said.",
            ("general", "manager"),
            2,
            True,
        ),
        ("…, general manager Paul Ng said.", ("transit", "general", "manager"), 2, True),
        ("Paul Ng, the agency's general manager, said", ("general", "manager"), 2, True),
        ("Health Director Dr. Anil Mehta said.", ("county", "health", "director"), 2, True),
        ("Police Chief Dana Kim said.", ("fire", "chief"), 2, False),
        ("Police Chief Dana Kim said.", ("fire", "chief"), 1, True),
        ("The general manager said the fares would rise.", ("general", "manager"), 2, False),
        ("The manager General Fares rose.", ("general", "manager"), 2, False),
        ("Judge Miriam Castellanos ordered him to repay it.", ("judge",), 1, True),
        ("Judge Miriam Castellanos ordered him to repay it.", ("judge",), 2, False),
    ],
)
def test_a_text_names_the_holder_by_the_role(text, role, fewest, named):
    assert names_holder(text, role, fewest) is named


def test_who_holds_a_role_is_answered_by_the_attribution_naming_them(archive):
    """The relevance model reads "The agency faces a … shortfall …, general manager Paul Ng
    said." as a sentence about the shortfall: the question was declined (0.16)."""
    archive.add([FARES, EARNINGS, ROBBERY])
    answer = archive.ask("who is the transit general manager?")
    assert answer.quotes
    top = answer.quotes[0]
    assert "general manager Paul Ng" in top.text
    assert_verbatim(top.text, FARES.paragraphs[2].text)
    assert top.unmentioned == ()


def test_the_holder_comes_before_a_quote_naming_the_company(archive):
    """ "CEO" is spelt out in news copy; the lede names Harlow Tech, and the quote naming its
    chief executive comes first."""
    archive.add([FARES, EARNINGS, ROBBERY])
    for question in ("who is the ceo of harlow tech?", "who is harlow's CEO?"):
        answer = archive.ask(question)
        assert answer.quotes, question
        assert "Chief executive Nina Vogel" in answer.quotes[0].text, question


def test_a_holder_of_another_role_or_elsewhere_is_no_answer(archive):
    archive.add([FARES, EARNINGS, ROBBERY])
    for question in ("who is the fire chief?", "who is the general manager of the eastport dam?"):
        answer = archive.ask(question)
        assert not any("Dana Kim" in q.text or "Paul Ng" in q.text for q in answer.quotes), question
