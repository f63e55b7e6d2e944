"""Answer -> text for a terminal, with the matched words in bold where the terminal can show it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.render.marks import mark
from index.answering.answers import Answer, Fact, Quote
from index.citation import Citation

BOLD, RESET = "\033[1m", "\033[0m"
NO_ANSWER = "Nothing in the archive answers that."  # every surface says it in these words
NEAREST = "The nearest story is"  # followed by the story's citation
WITHIN = (("author", "by"), ("source", "from"))  # whose stories a no-answer was asked of
# How the chat renderers label a fact from an article's record ("who wrote …")
FACT_LABELS = {"author": "Written by", "published": "Published", "source": "Outlet"}


def render_answer(answer: Answer, *, color: bool = False) -> str:
    lines = [f"(Showing results for: {answer.corrected})", ""] if answer.corrected else []
    for number, quote in enumerate(answer.quotes, 1):
        lines.append(f"[{number}] {emphasize(quote, color)}")
        lines.append(f"    — {citation_line(quote.citation, quote.paragraph)}")
        if quote.unmentioned:
            lines.append(f"    {unmentioned_line(quote.unmentioned)}")
        if quote.citation.also_published_by:
            lines.append(f"    also published by {also_published_by(quote.citation)}")
        if quote.citation.url:
            lines.append(f"    {quote.citation.url}")
        elif quote.citation.source_url:
            lines.append(
                f"    {quote.citation.source_url} (the outlet; no link to the article itself)"
            )
        lines.append("")
    for fact in answer.facts:
        lines.append(fact_line(fact))
        lines.append(f"    — {citation_line(fact.citation, None)}")
        lines.append("")
    if not answer.quotes and not answer.facts:
        lines.append(no_answer_line(answer))
        if answer.nearest:
            lines.append(f"{NEAREST} {citation_line(answer.nearest, None)}")
            if answer.nearest.url:
                lines.append(f"    {answer.nearest.url}")
    if answer.suggestion:
        lines.append(f"Did you mean: {answer.suggestion}")
    return "\n".join(lines).rstrip() + "\n"


def no_answer_line(answer: Answer, shown: Callable[[str], str] = str) -> str:
    """NO_ANSWER; or, asked of one author's or outlet's stories, whose: "Nothing by Mei Lin
    answers that.", "Nothing from Valley Wire answers that." `shown` escapes and clips a name
    for the surface."""
    names = dict(answer.within)
    whose = [f"{by} {shown(names[field])}" for field, by in WITHIN if field in names]
    return f"Nothing {' '.join(whose)} answers that." if whose else NO_ANSWER


def unmentioned_line(words: Sequence[str], shown: Callable[[str], str] = str) -> str:
    """The question's words a quote's story never uses: "The story never mentions “fire”."
    (so a story about the police chief, asked about the fire chief, reads as the near miss it
    is). `shown` escapes a word for the surface."""
    quoted = [f"“{shown(word)}”" for word in words]
    listed = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    return f"The story never mentions {listed}."


def emphasize(quote: Quote, color: bool) -> str:
    if not color:
        return quote.text
    return mark(quote.text, quote.highlights, BOLD, RESET)


def fact_line(fact: Fact) -> str:
    """One sentence from an article's record: who wrote it, when, where it was published."""
    title = f"“{fact.citation.title}”"
    if fact.value is None:
        missing = {
            "author": "who wrote",
            "published": "when it published",
            "source": "who published",
        }
        return f"The archive does not record {missing[fact.field]} {title}."
    if fact.field == "author":
        return f"{title} was written by {fact.value}."
    if fact.field == "published":
        day = fact.value[:10]
        return f"{title} was published {'on' if len(day) == 10 else 'in'} {day}."
    return f"{title} was published by {fact.value}."


def also_published_by(citation: Citation) -> str:
    """The other outlets' copies of the story: "Harbor Daily News (https://…), Valley Wire"."""
    shown = []
    for copy in citation.also_published_by:
        name = copy.source or "another outlet"
        shown.append(f"{name} ({copy.url})" if copy.url else name)
    return ", ".join(shown)


def citation_line(citation: Citation, paragraph: int | None) -> str:
    """“Title”, Author, Outlet (domain), 2025-08-24, updated 2025-08-25, paragraph 4"""
    parts = [citation.author] if citation.author else []
    outlet = citation.source or ""
    domain = citation.domain
    if domain and domain.lower() != outlet.lower():
        outlet = f"{outlet} ({domain})" if outlet else domain
    parts += [outlet] if outlet else []
    parts += [citation.published[:10]] if citation.published else []
    parts += [f"updated {citation.updated[:10]}"] if citation.updated else []
    if paragraph is not None:
        parts.append(f"paragraph {paragraph}")
    return ", ".join([f"“{citation.title}”", *parts])
