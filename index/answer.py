"""Question -> Answer: ranked, trimmed, verbatim quotes with citations, or an honest nothing."""

from __future__ import annotations

from dataclasses import dataclass, replace

from index.article import domain_of
from index.cues import answer_type
from index.question import Question
from index.quotes import Window, quote_text, windows
from index.schema import term_spans, terms_of
from index.search import Passage, PassageIndex

CANDIDATES = 20  # passages read closely per question
MIN_COVERAGE = 0.5  # below this share of the question's weight, a passage does not answer
PEER_SHARE = 0.75  # articles whose best quote scores this share of the top one take turns
CORRECTION_GAIN = 1.1  # a corrected question must rank this much better to replace the asked one
WINDOWS = 3  # quotes a paragraph may offer, not overlapping
SECOND_PENALTY = 0.1  # each later window of a paragraph ranks this much lower
BM25_WEIGHT = 0.35
PROXIMITY_WEIGHT = 0.15
CUE_BONUS = 0.1
CONTEXT_SHARE = 0.5  # a question word in the heading or title counts half as much as in the text


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
    """Words copied exactly from one paragraph ("…" marks a cut); highlights index `text`."""

    text: str
    paragraph: int  # the article's body paragraphs counted from 1
    score: float
    highlights: tuple[tuple[int, int], ...]
    heading: str | None
    citation: Citation


@dataclass(frozen=True)
class Fact:
    """An answer from an article's metadata ("who wrote ..."): the field, its value, the article."""

    field: str  # "author", "published" or "source"
    value: str | None  # None: the archive does not record it
    citation: Citation


@dataclass(frozen=True)
class Answer:
    """The quotes that answer a question, best first; none when the archive holds no answer."""

    question: str
    quotes: tuple[Quote, ...]
    suggestion: str | None = None  # the question with unknown words replaced by known ones
    corrected: str | None = None  # the corrected question these quotes answer, if it was corrected
    facts: tuple[Fact, ...] = ()


@dataclass(frozen=True)
class _Candidate:
    passage: Passage
    window: Window
    score: float


class Answerer:
    """Finds and quotes the passages that answer questions, over one passage index."""

    def __init__(self, passages: PassageIndex):
        self._passages = passages

    def answer(self, question: Question, limit: int = 5) -> Answer:
        if question.about:
            return self._facts(question)
        found = self._rank(question)
        correction = self._correction(question)
        if correction is None:
            return Answer(question.text, _choose(found, limit))
        corrected = self._rank(correction)
        if corrected and (not found or corrected[0].score > found[0].score * CORRECTION_GAIN):
            quotes = _choose(corrected, limit)
            return Answer(question.text, quotes, correction.text, correction.text)
        suggestion = None if found else correction.text
        return Answer(question.text, _choose(found, limit), suggestion)

    def _rank(self, question: Question) -> list[_Candidate]:
        """Passages that answer, best first, each with the window worth quoting."""
        terms = list(dict.fromkeys(t for word in question.words for t in terms_of(word)))
        passages = self._passages.search(question.words, limit=CANDIDATES, filters=question.filters)
        if not passages:
            return []
        weights = self._passages.weights(terms)
        total = sum(weights.values()) or 1.0
        kind = answer_type(question.text)
        top = passages[0].score or 1.0
        candidates = []
        for passage in passages:
            above = set(terms_of(passage.heading or "")) | set(terms_of(passage.title))
            found = windows(passage.text, weights, kind, question.text, count=WINDOWS)
            for rank, window in enumerate(found):
                lifted = sum(weights[t] for t in above & weights.keys() - window.matched)
                coverage = window.coverage + CONTEXT_SHARE * lifted / total
                if coverage < MIN_COVERAGE:
                    continue
                score = (
                    coverage
                    + BM25_WEIGHT * passage.score / top
                    + PROXIMITY_WEIGHT * window.proximity
                    + CUE_BONUS * window.cue
                    - SECOND_PENALTY * rank
                )
                candidates.append(_Candidate(passage, window, score))
        return sorted(candidates, key=lambda c: -c.score)

    def _correction(self, question: Question) -> Question | None:
        """The question with each word the archive lacks replaced by its closest known word."""
        text, words, changed = question.text, list(question.words), False
        for i, word in enumerate(words):
            if word.isalpha() and not self._passages.knows(word):
                close = self._passages.suggest(word)
                if close:
                    text = text.replace(word, close, 1)
                    words[i], changed = close, True
        return replace(question, text=text, words=tuple(words)) if changed else None

    def _facts(self, question: Question) -> Answer:
        """Who wrote it, when it was published, which outlet: from the article's record."""
        passages = self._passages.search(question.words, limit=1, filters=question.filters)
        if not question.words and not question.filters:
            passages = []
        facts = []
        for passage in passages:
            cited = citation(passage)
            value = {"author": cited.author, "published": cited.published}.get(question.about)
            if question.about == "source":
                value = cited.source or cited.domain
            facts.append(Fact(question.about, value, cited))
        return Answer(question.text, (), facts=tuple(facts))


def _choose(candidates: list[_Candidate], limit: int) -> tuple[Quote, ...]:
    """The best quote of each strong article first, then the rest; no quote twice."""
    if not candidates:
        return ()
    bar = candidates[0].score * PEER_SHARE
    firsts, rest, seen_articles = [], [], set()
    for candidate in candidates:
        article = candidate.passage.article_id
        if candidate.score >= bar and article not in seen_articles:
            firsts.append(candidate)
            seen_articles.add(article)
        else:
            rest.append(candidate)
    quotes, seen_texts = [], set()
    for candidate in firsts + rest:
        quote = _quote(candidate)
        key = " ".join(quote.text.lower().split())
        if key not in seen_texts:
            seen_texts.add(key)
            quotes.append(quote)
        if len(quotes) == limit:
            break
    return tuple(quotes)


def _quote(candidate: _Candidate) -> Quote:
    passage, window = candidate.passage, candidate.window
    text, shift = quote_text(passage.text, window)
    return Quote(
        text=text,
        paragraph=passage.paragraph,
        score=candidate.score,
        highlights=tuple(
            (start + shift, end + shift)
            for term, start, end in term_spans(passage.text)
            if term in window.matched and start >= window.start and end <= window.end
        ),
        heading=passage.heading,
        citation=citation(passage),
    )


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
