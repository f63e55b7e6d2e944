"""Answer -> the JSON shape scripts rely on (`ask --json`)."""

from __future__ import annotations

from index.answering.answers import Answer
from index.article import Article
from index.citation import Citation


def answer_json(answer: Answer) -> dict:
    return {
        "question": answer.question,
        "answers": [
            {
                "quote": quote.text,
                "paragraph": quote.paragraph,
                "score": round(quote.score, 4),
                "highlights": [list(span) for span in quote.highlights],
                "heading": quote.heading,
                "article": citation_json(quote.citation),
                "unmentioned": list(quote.unmentioned),
            }
            for quote in answer.quotes
        ],
        "suggestion": answer.suggestion,
        "corrected": answer.corrected,
        "facts": [
            {"field": f.field, "value": f.value, "article": citation_json(f.citation)}
            for f in answer.facts
        ],
        "confidence": None if answer.confidence is None else round(float(answer.confidence), 4),
        "nearest": citation_json(answer.nearest) if answer.nearest else None,
        "within": dict(answer.within) or None,
    }


def citation_json(citation: Citation) -> dict:
    return {
        "id": citation.article_id,
        "title": citation.title,
        "author": citation.author,
        "source": citation.source,
        "source_url": citation.source_url,
        "url": citation.url,
        "published": citation.published,
        "updated": citation.updated,
        "also_published_by": [
            {"source": copy.source, "url": copy.url} for copy in citation.also_published_by
        ],
        "derived": list(citation.derived),
    }


def article_json(article: Article) -> dict:
    shown = citation_json(Citation.of(article))
    del shown["also_published_by"]  # an article's own record: its copies are the story's
    return {
        **shown,
        "paragraphs": len(article.paragraphs),
        "categories": list(article.categories),
    }
