"""A word that only a story's headline holds finds that story: stories written for these
tests, in a real archive."""

from __future__ import annotations

from index.article import Article
from tests.conftest import assert_verbatim, story


def _story(title: str, key: str, *paragraphs: str) -> Article:
    return story(title, key, *paragraphs, source="Northfield Daily", published="2026-10-14")


# Its text says "thunderstorms", never "storm"
STORM = _story(
    "Storm knocks out power to 40,000 in Northfield",
    "storm",
    "A line of thunderstorms knocked out power to about 40,000 homes and businesses in the "
    "Northfield area Tuesday evening.",
    "Winds gusted to 70 mph at the airport, the National Weather Service said, and at least two "
    "barns were destroyed in Carver Township.",
    "Northfield Power said crews from three states were helping restore service.",
)
# Its text says "the governor", never her name
RENT = _story(
    "Whitmore signs rent relief bill",
    "rent",
    "The governor signed a bill Tuesday that gives tenants facing eviction up to $5,000 in back "
    "rent.",
    "The measure passed the legislature in June with support from both parties.",
)
BUDGET = _story(
    "Northfield council passes $212 million budget",
    "budget",
    "The Northfield City Council approved a $212 million budget for next year on Monday night.",
    "Most of the new money will go to hiring 12 police officers and repaving 40 miles of streets.",
)


def test_a_word_only_a_headline_holds_finds_its_story(archive):
    archive.add([STORM, RENT, BUDGET])
    answer = archive.ask("what damage did the storm do?")
    assert answer.quotes
    top = answer.quotes[0]
    assert top.citation.title == STORM.title
    assert_verbatim(top.text, STORM.paragraphs[top.paragraph - 1].text)
    assert "damage" in top.unmentioned  # no word of the story says it; the reader is told


def test_a_name_only_a_headline_holds_is_no_subject_the_archive_lacks(archive):
    """Before, "Whitmore" was a name no article holds, and the question got nothing at all."""
    archive.add([STORM, RENT, BUDGET])
    answer = archive.ask("what did Whitmore sign?")
    found = answer.quotes[0].citation if answer.quotes else answer.nearest
    assert found is not None
    assert found.title == RENT.title


def test_a_story_found_by_its_headline_still_answers_only_what_it_says(archive):
    archive.add([STORM, RENT, BUDGET])
    answer = archive.ask("how many people died in the storm?")
    assert answer.quotes == ()
    assert answer.nearest is not None
    assert answer.nearest.title == STORM.title


def test_the_index_tells_a_headline_word_from_a_text_word(archive):
    archive.add([STORM])
    passages = archive.passages
    assert passages.headlines_hold("storm")
    assert passages.headlines_hold("Storms")  # by its index term
    assert not passages.knows("storm")
    assert not passages.headlines_hold("thunderstorms")
    assert not passages.headlines_hold("in")  # a stop word is in no field
