"""Asked why, the paragraph that gives the reason comes before the lede that only says what
happened: stories written for these tests, in a real archive."""

from __future__ import annotations

from index.article import Article, Paragraph
from tests.conftest import assert_verbatim

SCHOOLS = Article(
    title="Pellham schools cancel classes Thursday",
    source="Harbor City Ledger",
    key="schools",
    paragraphs=tuple(
        map(
            Paragraph,
            (
                "Pellham public schools will be closed Thursday, district officials announced "
                "Wednesday evening.",
                "Superintendent Dana Ortiz said the decision came after a water main break left "
                "three buildings without running water.",
                "Crews from the city utility department expect repairs to take at least 24 hours.",
                "Classes are scheduled to resume Friday on a normal schedule.",
            ),
        )
    ),
)
LIBRARY = Article(
    title="Eastport library to cut Sunday hours",
    source="Valley Wire",
    key="library",
    paragraphs=tuple(
        map(
            Paragraph,
            (
                "The Eastport Public Library will close on Sundays starting in January.",
                "The library board voted 4-1 for the change on Tuesday night.",
                "Library director Omar Haddad blamed a 12 percent cut in state aid, which he said "
                "left the library unable to pay weekend staff.",
            ),
        )
    ),
)
BRIDGE = Article(
    title="Council delays harbor bridge vote",
    source="Harbor City Ledger",
    key="bridge",
    paragraphs=tuple(
        map(
            Paragraph,
            (
                "The Harbor City council postponed its vote on the new harbor bridge on Tuesday, "
                "officials said.",
                "Council president Ray Soto said members wanted more time to review a "
                "consultant's report on the cable anchors.",
                "The vote is now scheduled for April 14.",
            ),
        )
    ),
)


def _top(archive, question: str, story: Article):
    answer = archive.ask(question)
    assert answer.quotes, question
    top = answer.quotes[0]
    assert top.citation.title == story.title
    assert_verbatim(top.text, story.paragraphs[top.paragraph - 1].text)
    return top


def test_asked_why_the_next_paragraph_gives_the_reason_in_words_of_its_own(archive):
    """Its reason shares no word with the question: the search never finds it, and it is
    read from the index after the lede."""
    archive.add([SCHOOLS, LIBRARY, BRIDGE])
    top = _top(archive, "why are pellham schools closed thursday?", SCHOOLS)
    assert top.paragraph == 2
    assert "water main break" in top.text


def test_asked_why_a_later_paragraph_naming_the_subject_gives_the_reason(archive):
    archive.add([SCHOOLS, LIBRARY, BRIDGE])
    top = _top(archive, "why is the eastport library closing on sundays?", LIBRARY)
    assert top.paragraph == 3
    assert "cut in state aid" in top.text


def test_a_lede_that_only_says_who_said_it_gives_no_reason(archive):
    archive.add([SCHOOLS, LIBRARY, BRIDGE])
    for question in ("why was the bridge vote delayed?", "what prompted the bridge vote delay?"):
        top = _top(archive, question, BRIDGE)
        assert top.paragraph == 2
        assert "more time to review" in top.text


def test_a_later_paragraph_that_only_says_who_said_what_is_no_reason(archive):
    """Every news paragraph says "said": the mayor's job fair names "job" and says "said",
    and is no reason for the layoffs; the paragraph after the lede gives it."""
    plant = Article(
        title="Pinecrest plant to cut 180 jobs",
        key="plant",
        paragraphs=tuple(
            map(
                Paragraph,
                (
                    "Pinecrest Foods will lay off 180 workers at its Lakeshore packaging plant by "
                    "March.",
                    "The company said demand for its frozen meals had fallen 15 percent and that "
                    "it would move some production to its Ohio plant.",
                    "Mayor Joan Ellery said the town would hold a job fair for affected workers "
                    "on Jan. 12.",
                ),
            )
        ),
    )
    archive.add([plant])
    top = _top(archive, "why is pinecrest cutting jobs?", plant)
    assert top.paragraph == 2


def test_a_lede_that_gives_the_reason_stays_first(archive):
    closed = Article(
        title="Pellham schools closed after water main break",
        key="closed",
        paragraphs=(
            Paragraph(
                "Pellham public schools were closed Thursday after a water main break left "
                "three buildings without running water."
            ),
            Paragraph("Superintendent Dana Ortiz said classes would resume Friday."),
        ),
    )
    archive.add([closed])
    top = _top(archive, "why were pellham schools closed thursday?", closed)
    assert top.paragraph == 1


def test_only_a_question_asking_why_reads_on_past_the_lede(archive):
    archive.add([SCHOOLS, LIBRARY, BRIDGE])
    top = _top(archive, "which schools will be closed thursday?", SCHOOLS)
    assert top.paragraph == 1


def test_a_long_opening_paragraph_is_no_lede(archive):
    """An encyclopedia's opening paragraph runs past a quote's length; the window quoted from
    it answers in its own way ("during the plague"), and the next paragraph does not take
    its place for saying "because"."""
    history = Article(
        title="Oxford",
        key="oxford",
        paragraphs=(
            Paragraph(
                "The town was first settled in Saxon times and grew around a river crossing "
                "used by drovers. Its university is the oldest in the English-speaking world, "
                "with teaching recorded in 1096. The town yielded to Parliamentarian forces in "
                "the siege of 1646. It later housed the court of King Charles II during the "
                "Great Plague of London in 1665 and 1666, when the king and his courtiers fled "
                "the capital. The town's population grew quickly in the next century, and "
                "canals and then railways reached it."
            ),
            Paragraph(
                "Buildings in the town show every English architectural period, because the "
                "colleges kept building through each of them."
            ),
        ),
    )
    archive.add([history])
    top = _top(archive, "why did king charles ii hold court in the town?", history)
    assert top.paragraph == 1
    assert "Great Plague" in top.text


def test_a_paragraph_is_read_by_its_story_and_number(archive):
    archive.add([SCHOOLS, LIBRARY])
    story = archive.ask("why are pellham schools closed thursday?").quotes[0].citation.article_id
    passage = archive.passages.paragraph(story, 3)
    assert passage is not None
    assert passage.text == SCHOOLS.paragraphs[2].text
    assert passage.citation.title == SCHOOLS.title
    assert archive.passages.paragraph(story, 9) is None


def test_asked_how_someone_died_the_cause_comes_before_the_obituarys_lede(archive):
    obituary = Article(
        title="Longtime Bayview teacher Martha Quinlan dies at 88",
        key="obituary",
        paragraphs=tuple(
            map(
                Paragraph,
                (
                    "Martha Quinlan, who taught English at Bayview High School for 41 years, "
                    "died Saturday at her home. She was 88.",
                    "Her family said she died of complications from pneumonia.",
                    "Quinlan was born in 1938 in Duluth, Minnesota.",
                ),
            )
        ),
    )
    archive.add([obituary, SCHOOLS])
    for question in ("what did quinlan die of?", "how did martha quinlan die?"):
        top = _top(archive, question, obituary)
        assert top.paragraph == 2, question
    assert _top(archive, "when did quinlan die?", obituary).paragraph == 1
