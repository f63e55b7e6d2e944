"""bot/render/jsonout.py: the JSON scripts rely on (`ask --json`, `list --json`)."""

from __future__ import annotations

import json
from dataclasses import replace

from bot.render.jsonout import answer_json, article_json, citation_json
from index.answering.answers import Answer, Fact, Quote
from index.article import Article, Paragraph, Publication
from index.citation import Citation

CITATION = Citation(
    article_id="af66",
    title="Harbor Bridge Vote Delayed",
    author="Priya Raman",
    source="The Millbrook Ledger",
    source_url="https://millbrookledger.example",
    url="https://millbrookledger.example/news/bridge",
    published="2026-03-03",
    updated="2026-03-04",
    also_published_by=(Publication("Valley Wire", "https://valleywire.example/bridge"),),
    derived=("title",),
)
QUOTE = Quote("The vote was delayed.", 3, 4.597612, ((4, 8), (9, 12)), "Why?", CITATION)


def test_an_answer_keeps_every_field_scripts_read():
    shown = answer_json(Answer("why the delay?", (QUOTE,), confidence=0.998812))
    assert list(shown) == [
        "question",
        "answers",
        "suggestion",
        "corrected",
        "facts",
        "confidence",
        "nearest",
        "within",
    ]
    [quoted] = shown["answers"]
    assert quoted == {
        "quote": "The vote was delayed.",
        "paragraph": 3,
        "score": 4.5976,
        "highlights": [[4, 8], [9, 12]],
        "heading": "Why?",
        "article": citation_json(CITATION),
        "unmentioned": [],
    }
    assert shown["confidence"] == 0.9988
    assert (shown["suggestion"], shown["corrected"], shown["facts"], shown["nearest"]) == (
        None,
        None,
        [],
        None,
    )
    assert json.loads(json.dumps(shown)) == shown  # plain JSON: no tuples, no objects


def test_a_quote_lists_the_question_words_its_story_never_uses():
    quote = replace(QUOTE, unmentioned=("fire", "Riverton"))
    [quoted] = answer_json(Answer("who is the Riverton fire chief?", (quote,)))["answers"]
    assert quoted["unmentioned"] == ["fire", "Riverton"]


def test_a_citation_names_its_other_outlets_and_derived_fields():
    assert citation_json(CITATION) == {
        "id": "af66",
        "title": "Harbor Bridge Vote Delayed",
        "author": "Priya Raman",
        "source": "The Millbrook Ledger",
        "source_url": "https://millbrookledger.example",
        "url": "https://millbrookledger.example/news/bridge",
        "published": "2026-03-03",
        "updated": "2026-03-04",
        "also_published_by": [
            {"source": "Valley Wire", "url": "https://valleywire.example/bridge"}
        ],
        "derived": ["title"],
    }


def test_facts_nearest_and_a_missing_confidence():
    answer = Answer(
        "who wrote the bridge story?",
        (),
        suggestion="who wrote the bridge story",
        corrected=None,
        facts=(Fact("author", "Priya Raman", CITATION), Fact("published", None, CITATION)),
        nearest=CITATION,
    )
    shown = answer_json(answer)
    assert shown["answers"] == [] and shown["confidence"] is None
    assert shown["facts"] == [
        {"field": "author", "value": "Priya Raman", "article": citation_json(CITATION)},
        {"field": "published", "value": None, "article": citation_json(CITATION)},
    ]
    assert shown["nearest"]["id"] == "af66"
    assert shown["suggestion"] == "who wrote the bridge story"


def test_an_article_is_listed_with_its_paragraph_count_and_categories():
    article = Article(
        title="Library hours",
        paragraphs=(Paragraph("Open Sundays."), Paragraph("From June.")),
        author="Ana Ruiz",
        categories=("Local", "Libraries"),
    )
    shown = article_json(article)
    assert shown["id"] == article.id
    assert (shown["paragraphs"], shown["categories"], shown["derived"]) == (
        2,
        ["Local", "Libraries"],
        [],
    )
    assert shown["author"] == "Ana Ruiz" and shown["source"] is None
