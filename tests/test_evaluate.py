"""The answer-quality measure's own tools: the answer-string match and the news layout."""

from __future__ import annotations

from index.article import Article, Paragraph
from index.evaluate import NEWS_PARAGRAPH, has_answer, news_layout

LONG = (
    "The council voted on Tuesday to delay the harbor bridge contract until engineers have "
    "reviewed the design of the cable anchors, which inspectors flagged in a report last month "
    "as corroding faster than the original plans assumed."
)


def test_news_layout_cuts_a_long_paragraph_into_one_or_two_sentences_each_verbatim():
    text = f"Ferries ran late. Riders waited. Buses too. {LONG} {LONG} The mayor declined. {LONG}"
    article = Article(title="Bridge", paragraphs=(Paragraph(text, heading="Council"),), key="b")

    laid = news_layout(article)

    assert [p.text for p in laid.paragraphs] == [
        "Ferries ran late. Riders waited.",
        f"Buses too. {LONG}",
        LONG,
        f"The mayor declined. {LONG}",
    ]
    assert all(p.heading == "Council" for p in laid.paragraphs)
    assert all(len(p.text) <= NEWS_PARAGRAPH for p in laid.paragraphs)
    assert " ".join(p.text for p in laid.paragraphs) == text
    assert laid.title == article.title and laid.key == article.key


def test_news_layout_keeps_short_paragraphs_as_they_are():
    article = Article(title="Pool", paragraphs=(Paragraph("The pool opens in June."),), key="p")

    assert news_layout(article) == article


def test_an_answer_matches_as_a_run_of_whole_folded_words():
    assert has_answer(("Sable Valley",), "Heat advisory for the sable valley, officials said.")
    assert has_answer(("Zurich",), "Talks moved to Zürich.")
    assert not has_answer(("Sable",), "Sables of the valley")
    assert not has_answer(("valley sable",), "the Sable Valley")
