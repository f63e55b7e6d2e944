"""Answer, Quote and Fact: what answering hands to the surfaces (plain data, light to import)."""

from __future__ import annotations

from dataclasses import dataclass

from index.citation import Citation


@dataclass(frozen=True)
class Quote:
    """Words copied exactly from one paragraph ("…" marks a cut); highlights index `text`."""

    text: str
    paragraph: int  # the article's body paragraphs counted from 1
    score: float
    highlights: tuple[tuple[int, int], ...]
    heading: str | None
    citation: Citation
    # The question's words that the quote's story never uses, as typed ("fire", when asked
    # about the new fire chief and quoted the story of the new police chief)
    unmentioned: tuple[str, ...] = ()


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
    confidence: float | None = None  # the relevance model's belief that the top quote answers
    nearest: Citation | None = None  # with no quotes: the closest story, when one is close
    # With no quotes, asked of one author's or outlet's stories only: (("author", "Mei Lin"),
    # ("source", "Valley Wire")), the names as the records spell them. `nearest` is then the
    # story of the rest of the archive that answers, if one does.
    within: tuple[tuple[str, str], ...] = ()
