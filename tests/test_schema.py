"""The analyzer: folding, stemming, stop words, and the fast paths that must agree with it."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import fields

from index.search.schema import (
    CachedTermAnalyzer,
    name_analyzer,
    passage_schema,
    term_spans,
    terms_of,
    text_analyzer,
)
from tests.conftest import SAMPLES

CHAIN = text_analyzer()
INDEXING = CachedTermAnalyzer()


def chain_spans(text: str) -> list[tuple[str, int, int]]:
    return [(t.text, t.startchar, t.endchar) for t in CHAIN(text, chars=True, mode="index")]


def test_folding_stemming_and_stop_words():
    assert terms_of("Who are the proposed guarantors?") == ["who", "propos", "guarantor"]
    assert terms_of("Moscow’s “Café” don't") == ["moscow", "cafe", "dont"]
    assert terms_of("Moscow's") == terms_of("Moscow’s")


def test_a_months_abbreviation_is_its_name_and_a_lone_digit_is_kept():
    """News style writes "Dec. 8", people type "December 8": one term. Before, the two never
    matched, and "8", "District 4", "Ward 7" lost their digit with every one-letter word."""
    assert terms_of("Dec. 8") == terms_of("December 8") == ["decemb", "8"]
    assert terms_of("Jan. 1, Feb. 2, Aug. 3, Sept. 4, Oct. 5, Nov. 6") == terms_of(
        "January 1, February 2, August 3, September 4, October 5, November 6"
    )
    assert terms_of("District 4 in Ward 7") == ["district", "4", "ward", "7"]
    assert terms_of("a U.S. plan B") == terms_of("U.S. plan")  # one letter alone: still dropped
    assert terms_of("APR and Sep") == ["apr", "sep"]  # words of their own too: not months here


def test_an_irregular_verbs_past_forms_are_its_base_form():
    """The stemmer reads "write" and "writing" as one, but "wrote" and "written" as words of
    their own: "when did she write it?" never met "she wrote it"."""
    assert terms_of("wrote written writes") == terms_of("write write writing")
    assert terms_of("paid stole won fled") == terms_of("pay steal win flee")
    assert terms_of("Sold") == terms_of("sells")
    assert terms_of("left found saw") == ["left", "found", "saw"]  # words of their own too
    assert terms_of("made took") == ["made", "took"]  # the commonest: in every story
    assert terms_of("sued suing") == terms_of("sue sues")  # regular, yet apart


@pytest.mark.parametrize(
    ("word", "kin"),
    [
        ("investigated", "investigation"),
        ("investigating", "investigate"),
        ("died", "die"),
        ("dying", "dies"),
        ("evacuated", "evacuation"),
        ("operated", "operations"),
    ],
)
def test_a_verbs_forms_and_its_noun_are_one_term(word, kin):
    """Porter2's stems: Whoosh's default Porter read "investigated" apart from "investigate"
    and "investigation", so "who is investigating?" never met "the investigation"."""
    assert terms_of(word) == terms_of(kin)


def test_an_index_opened_by_another_version_of_the_code_reads_its_analyzer_afresh():
    """The schema Whoosh keeps in the index holds no analysis code: an index written before a
    change of the analyzer is read with the code's own (and one written after, by older code)."""
    schema = pickle.loads(pickle.dumps(passage_schema()))
    assert [t.text for t in schema["body"].analyzer("Dec. 8", mode="index")] == ["decemb", "8"]
    assert b"MonthFilter" not in pickle.dumps(passage_schema())


def test_fast_spans_agree_with_the_analyzer_on_real_text(story_path):
    texts = [story_path.read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in SAMPLES.iterdir()]
    for text in texts:
        assert list(term_spans(text)) == chain_spans(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_fast_spans_agree_with_the_analyzer_on_any_text(text):
    assert list(term_spans(text)) == chain_spans(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_the_indexing_analyzer_gives_the_chains_terms(text):
    fast = [t.text for t in INDEXING(text, mode="index")]
    assert fast == [t.text for t in CHAIN(text, mode="index")]
    assert [t.text for t in INDEXING(text, chars=True)] == fast  # the chain's own path


def test_the_indexing_analyzer_on_real_text(story_path):
    text = story_path.read_text(encoding="utf-8")
    fast = [t.text for t in INDEXING(text, mode="index")]
    assert len(fast) > 500 and fast == terms_of(text)


def whooshs_postings(analyzer, text: str) -> list:
    return list(fields.TEXT(analyzer=analyzer, phrase=False).index(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_passage_fields_give_whooshs_postings_for_any_text(text):
    schema = passage_schema()
    assert list(schema["body"].index(text)) == whooshs_postings(text_analyzer(), text)
    assert list(schema["author"].index(text)) == whooshs_postings(name_analyzer(), text)


def test_passage_fields_give_whooshs_postings_for_real_text(story_path):
    texts = [story_path.read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in SAMPLES.iterdir()]
    schema = passage_schema()
    for text in texts:
        postings = list(schema["body"].index(text))
        assert len(postings) > 20 and postings == whooshs_postings(text_analyzer(), text)
        assert list(schema["source"].index(text)) == whooshs_postings(name_analyzer(), text)
