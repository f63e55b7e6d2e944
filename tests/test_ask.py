"""Asking: natural-language questions, verbatim quotes, highlights and citations."""

from __future__ import annotations

import pytest

from index.errors import QuestionError
from index.ingest.sources import ingest
from tests.conftest import SAMPLES, assert_verbatim


def test_the_guarantors_question_finds_its_passage_and_cites_the_original_outlet(
    seeded, story_text
):
    answer = seeded.ask("who are the proposed guarantors?")
    top = answer.quotes[0]
    assert "a group of guarantors" in top.text
    assert_verbatim(top.text, story_text)
    assert top.paragraph == 4
    assert top.citation.title == "Marenia dam talks"
    assert top.citation.author == "Mara Okonjo"
    assert top.citation.source == "North Sound Report"
    assert top.citation.domain == "northsoundreport.example"


def test_the_seed_articles_defining_question_finds_the_guarantors_passage(seed_archive, seed_path):
    answer = seed_archive.ask("who are the proposed guarantors?")
    top = answer.quotes[0]
    assert "a group of guarantors" in top.text
    assert_verbatim(top.text, seed_path.read_text(encoding="utf-8"))
    assert top.paragraph == 4
    assert top.citation.author == "Diane Duenez"
    assert top.citation.source == "Straight Arrow News"
    assert top.citation.domain == "straightarrownews.com"


def test_highlights_point_at_the_matched_words(seeded):
    top = seeded.ask("who are the proposed guarantors?").quotes[0]
    marked = {top.text[start:end].lower() for start, end in top.highlights}
    assert marked == {"proposed", "guarantors"}


# Query syntax around the word. The last also holds stray words (5, 2, z, x): whether a
# question that full of them is answered at all is the relevance model's call.
QUERY_SYNTAX = [
    "guarantors?",
    "guarantor*",
    "title:proposed guarantors",  # a field name of the index, read as a word
    '"group of guarantors',
    "(guarantors",
    "guarantors AND OR NOT",
    "NOT guarantors",
    "\\guarantors/ +guarantors -guarantors",
]


@pytest.mark.parametrize("question", [*QUERY_SYNTAX, "guarantors^5 ~2 [a TO z] {x}"])
def test_query_syntax_in_a_question_is_just_words(seeded, question):
    answer, candidates = seeded.explain(question)
    # The story's guarantors passages are found and re-scored whatever surrounds the word.
    # (Which of its two guarantors quotes comes first is the model's reading of the question.)
    assert any("group of guarantors" in c.text for c in candidates if c.reranked), question
    if question in QUERY_SYNTAX:
        assert any("group of guarantors" in quote.text for quote in answer.quotes), question


def test_a_question_of_only_filler_or_punctuation_has_no_answer(seeded):
    assert seeded.ask("what did they say about it?").quotes == ()
    assert seeded.ask("??? *** :::").quotes == ()


def test_every_quote_is_verbatim_from_its_article(archive):
    ingest(archive, [str(SAMPLES)])
    texts = {a.id: [p.text for p in a.paragraphs] for a in archive.articles()}
    for question in ["bridge vote", "transit pass price", "library mondays", "solar panels"]:
        answer = archive.ask(question)
        assert answer.quotes, question
        for quote in answer.quotes:
            paragraphs = texts[quote.citation.article_id]
            assert_verbatim(quote.text, paragraphs[quote.paragraph - 1])


def test_an_empty_or_overlong_question_is_refused_with_a_reason(archive):
    with pytest.raises(QuestionError, match="empty"):
        archive.ask("   \n\t ")
    with pytest.raises(QuestionError, match="limit is 1,000"):
        archive.ask("why " * 400)


def test_a_misspelt_word_is_corrected_from_the_archive(seeded):
    answer = seeded.ask("guarantours")
    assert answer.corrected == answer.suggestion == "guarantors"
    assert "guarantors" in answer.quotes[0].text
    assert any("group of guarantors" in quote.text for quote in answer.quotes)
