"""Question -> Answer: the passages that answer it, quoted verbatim, with their citations."""

from __future__ import annotations

from dataclasses import dataclass

from index.article import domain_of
from index.question import Question
from index.schema import term_spans
from index.search import Passage, PassageIndex


@dataclass(frozen=True)
class Citation:
    """Everything a fact-checker needs to find the quote in its article."""

    article_id: str
    title: str
    author: str | None
    source: str | None
    source_url: str | None
    url: str | None
    published: str | None
    updated: str | None

    @property
    def domain(self) -> str | None:
        return domain_of(self.source_url, self.url)


@dataclass(frozen=True)
class Quote:
    """Words copied exactly from one paragraph; highlights are offsets into `text`."""

    text: str
    paragraph: int  # the article's body paragraphs counted from 1
    score: float
    highlights: tuple[tuple[int, int], ...]
    heading: str | None
    citation: Citation


@dataclass(frozen=True)
class Answer:
    """The quotes that answer a question, best first; none when the archive holds no answer."""

    question: str
    quotes: tuple[Quote, ...]
    suggestion: str | None = None  # the question with unknown words replaced by known ones
    corrected: str | None = None  # the corrected question these quotes answer, if it was corrected


class Answerer:
    """Finds and quotes the passages that answer questions, over one passage index."""

    def __init__(self, passages: PassageIndex):
        self._passages = passages

    def answer(self, question: Question, limit: int = 5) -> Answer:
        found = self._passages.search(question.words, limit=limit, filters=question.filters)
        quotes = tuple(_quote(passage) for passage in found)
        return Answer(question.text, quotes, self._suggestion(question) if not quotes else None)

    def _suggestion(self, question: Question) -> str | None:
        """The question with each word the index lacks replaced by its closest known word."""
        text = question.text
        changed = False
        for word in question.words:
            if not self._passages.knows(word) and (close := self._passages.suggest(word)):
                text = text.replace(word, close, 1)
                changed = True
        return text if changed else None


def _quote(passage: Passage) -> Quote:
    return Quote(
        text=passage.text,
        paragraph=passage.paragraph,
        score=passage.score,
        highlights=highlights(passage.text, passage.matched),
        heading=passage.heading,
        citation=citation(passage),
    )


def highlights(text: str, terms: frozenset[str]) -> tuple[tuple[int, int], ...]:
    """Offsets of the words of `text` whose index terms are among `terms`."""
    return tuple((start, end) for term, start, end in term_spans(text) if term in terms)


def citation(passage: Passage) -> Citation:
    return Citation(
        article_id=passage.article_id,
        title=passage.title,
        author=passage.author,
        source=passage.source,
        source_url=passage.source_url,
        url=passage.url,
        published=passage.published,
        updated=passage.updated,
    )
