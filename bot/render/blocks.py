"""Answer -> Slack Block Kit blocks and a plain-text fallback; escaping and limits live here."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace

from bot.chat.announcements import MoreStories, NewStory
from bot.render.fitting import longest
from bot.render.help import asking_help
from bot.render.marks import mark
from bot.render.plain import FACT_LABELS, NEAREST, no_answer_line, unmentioned_line
from index.answering.answers import Answer, Quote
from index.article import Article, Publication
from index.citation import Citation
from index.ingest.report import IngestReport

MAX_BLOCKS = 50  # Slack rejects a message with more
SECTION_CHARS = 3000  # the most text one section (or one context element) may carry
FALLBACK_CHARS = 1000  # the notification text: a glimpse, never the whole answer
PAGE = 3  # quotes shown at first, and added by each press of "More"
MAX_QUOTES = 9  # the most quotes one answer can grow to
ACTION_MORE = "answer_more"
ACTION_VOTE_UP = "answer_vote_up"
ACTION_VOTE_DOWN = "answer_vote_down"

Message = dict  # {"text": fallback, "blocks": [...]}: the keyword arguments of chat.postMessage


def escape(text: str) -> str:
    """Slack's three control characters, so that article text never mentions or links anyone."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def visible(answer: Answer, shown: int = PAGE) -> tuple[Quote, ...]:
    """The quotes a message shows: the first `shown`, as many as fit in Slack's 50 blocks."""
    room = (MAX_BLOCKS - 3) // 2  # two blocks a quote; a header, a correction, the buttons
    return answer.quotes[: max(0, min(shown, room))]


def answer_message(
    answer: Answer, *, answer_id: str | None = None, shown: int = PAGE, asked_by: str | None = None
) -> Message:
    """The quotes as quotations with citations; "More" and 👍 / 👎 buttons when `answer_id`."""
    if not answer.quotes and getattr(answer, "facts", ()):
        return facts_message(answer, asked_by=asked_by)
    if not answer.quotes:
        return no_answer_message(answer, asked_by=asked_by)
    blocks = _header(answer, asked_by)
    quotes = visible(answer, shown)
    for quote in quotes:
        blocks.append(_section(quote_mrkdwn(quote)))
        cited = citation_mrkdwn(quote.citation, quote.paragraph, quote.heading)
        if quote.unmentioned:
            cited += "\n" + _unmentioned(quote.unmentioned)
        blocks.append(_context(cited))
    if answer_id:
        blocks.append(_buttons(answer_id, len(quotes), len(answer.quotes), asked_by))
    return {"text": _fallback(answer, quotes), "blocks": blocks[:MAX_BLOCKS]}


def no_answer_message(answer: Answer, *, asked_by: str | None = None) -> Message:
    """The honest no-answer, the nearest story when one is close, and the suggestion."""
    lines = [no_answer_line(answer, lambda name: escape(_clip(name, 200)))]
    fallback = [no_answer_line(answer, lambda name: _clip(name, 80))]
    if answer.nearest:
        lines.append(nearest_mrkdwn(answer.nearest))
        fallback.append(f"{NEAREST} “{_clip(answer.nearest.title or 'Untitled', 80)}”.")
    if answer.suggestion:
        lines.append(f"Did you mean: *{escape(_clip(answer.suggestion, 500))}*?")
        fallback.append(f"Did you mean: {_clip(answer.suggestion, 80)}?")
    text = "\n".join(lines)  # one section, or one a line when a long headline would not fit
    shown = [_section(text)] if len(text) <= SECTION_CHARS else [_section(t) for t in lines]
    fallback_text = escape(_clip(" ".join(fallback), FALLBACK_CHARS))
    return {"text": fallback_text, "blocks": [*_header(answer, asked_by), *shown]}


def nearest_mrkdwn(citation: Citation) -> str:
    """The nearest story is “<link|Headline>”, Author, <site|Outlet>, 2025-08-24"""
    headline = f"“{link(citation.url, _clip(citation.title or 'Untitled', 300))}”"
    return f"{NEAREST} " + ", ".join([headline, *_byline(citation)])


def _byline(citation: Citation, *, by: str = "", updated: bool = True) -> list[str]:
    """Author (after `by`), outlet (linked to its site), date, update: escaped, each clipped."""
    parts = [by + escape(_clip(citation.author, 200))] if citation.author else []
    outlet = citation.source or citation.domain
    if outlet:
        parts.append(link(citation.source_url, _clip(outlet, 200)))
    if citation.published:
        parts.append(escape(citation.published[:10]))
    if updated and citation.updated:
        parts.append(f"updated {escape(citation.updated[:10])}")
    return parts


def facts_message(answer: Answer, *, asked_by: str | None = None) -> Message:
    """Answers from articles' records ("who wrote …"): the field's value, with the citation."""
    blocks = _header(answer, asked_by)
    lines = []
    for fact in answer.facts[: (MAX_BLOCKS - 2) // 2]:
        label = FACT_LABELS.get(fact.field, fact.field.capitalize())
        value = escape(_clip(fact.value, 500)) if fact.value else "_not recorded in the archive_"
        if fact.value and fact.field in ("published", "updated"):
            value = escape(fact.value[:10])
        blocks.append(_section(f"*{label}:* {value}"))
        blocks.append(_context(citation_mrkdwn(fact.citation)))
        lines.append(f"{label}: {fact.value or 'not recorded'} ({fact.citation.title})")
    return {"text": escape(_clip("; ".join(lines), FALLBACK_CHARS)), "blocks": blocks}


def quote_mrkdwn(quote: Quote, limit: int = SECTION_CHARS) -> str:
    """The quote as a mrkdwn quotation, matched words in bold, cut with "…" to fit `limit`."""
    spans = quote.highlights
    rendered = _quotation(quote.text, spans)
    if len(rendered) <= limit:
        return rendered
    cut = lambda n: _quotation(_cut(quote.text, n), spans, cut=True)  # noqa: E731
    return longest(cut, len(quote.text), limit)


def citation_mrkdwn(
    citation: Citation, paragraph: int | None = None, heading: str | None = None
) -> str:
    """Headline (linked to the article), author, outlet (linked to its site), date, paragraph."""
    parts = [link(citation.url, _clip(citation.title, 300)), *_byline(citation)]
    if paragraph is not None:
        where = f"paragraph {paragraph}"
        if heading:
            where += f", under “{escape(_clip(heading, 300))}”"
        parts.append(where)
    if citation.also_published_by:
        parts.append("also published by " + _copies(citation.also_published_by))
    return clip_mrkdwn(" · ".join(parts), SECTION_CHARS)


def _copies(copies: Sequence[Publication]) -> str:
    """The other outlets' copies, each linked: "Harbor Daily News, Valley Wire" (ten at most)."""
    return ", ".join(
        link(c.url, _clip(c.source or c.url or "another outlet", 100)) for c in copies[:10]
    )


def _whole_lines(mrkdwn: str, limit: int = SECTION_CHARS) -> str:
    """As many whole lines as fit in `limit`, then "…" (a line alone too long is cut safely)."""
    if len(mrkdwn) <= limit:
        return mrkdwn
    return clip_mrkdwn(mrkdwn[: limit - 1].rsplit("\n", 1)[0] + "\n…", limit)


def link(url: str | None, label: str) -> str:
    """`<url|label>` for web links only; any other scheme is shown as its label, never linked."""
    text = escape(label).replace("|", "¦")
    web = url and url.lower().startswith(("http://", "https://"))
    if not web or any(c.isspace() for c in url):
        return text
    return f"<{escape(url).replace('|', '%7C')}|{text}>"


def notice(text: str) -> Message:
    """A short message in plain words (an error safe to show, a refusal, a thank-you)."""
    return {"text": escape(text)}


def apology() -> Message:
    return notice(
        "Sorry, something went wrong on my side while doing that. "
        "It has been logged for the people who run me; please try again in a little while."
    )


def slack_trouble() -> Message:
    """Slack, not the bot, failed: said plainly, sent only if a later try gets through."""
    return notice(
        "Slack is having trouble right now, so your answer could not be delivered. "
        "Nothing is wrong with your question: please ask again in a few minutes."
    )


def slow_down(per_minute: int) -> Message:
    return notice(
        f"You are asking faster than I can keep up with (at most {per_minute} questions a minute). "
        "Please wait a minute before your next question."
    )


def help_message() -> Message:
    """How to ask: the ways in, then filters and questions about an article (bot/render/help)."""
    text = (
        "Ask me about the newsroom's articles and I answer with their own words, cited.\n"
        "• Mention me with a question: `@newsbot who are the proposed guarantors?`\n"
        "• Write to me directly, or use `/ask your question`.\n"
        "• Reply in my answer's thread to ask a follow-up.\n"
        "• Editors add articles with `/ingest https://…` (or `ingest https://…` to me directly) "
        "and manage the watched feeds with `/feeds`."
    )
    asking = asking_help(lambda words: f"*{words}*", ask="/ask ")
    return {"text": text, "blocks": [_section(text), _section(asking)]}


# --- new stories in the news channel (bot/chat/announce.py) -----------------------------------


def story_message(story: NewStory) -> Message:
    """A new story: its headline linked, the byline (author, outlet, date) and its link."""
    article = story.article
    headline = f"*New story:* *{link(article.url, _clip(article.title or 'Untitled', 300))}*"
    lines = [byline_mrkdwn(article)]
    if story.also_published_by:
        lines.append("Also published by " + _copies(story.also_published_by))
    if _web(article.url):
        lines.append(link(article.url, _clip(article.url, 500)))
    blocks = [_section(headline), _context("\n".join(line for line in lines if line))]
    fallback = f"New story: {_clip(article.title or 'Untitled', 300)}"
    if article.author:
        fallback += f", by {_clip(article.author, 100)}"
    return {"text": escape(fallback), "blocks": blocks}


def more_stories_message(more: MoreStories, listed: int = 15) -> Message:
    """The new stories left over by the hourly limit, in one message: linked headlines."""
    noun = "story" if more.count == 1 else "stories"
    head = f"*{more.count} more new {noun}* (announcements are limited to {more.per_hour} an hour):"
    lines = [head]
    for article in more.articles[:listed]:
        line = f"• {link(article.url, _clip(article.title or 'Untitled', 150))}"
        meta = _byline_parts(article, with_author=False)
        lines.append(line + (f" — {' · '.join(meta)}" if meta else ""))
    if more.count > min(listed, len(more.articles)):
        lines.append(f"… and {more.count - min(listed, len(more.articles))} more")
    text = "\n".join(lines)
    text = _whole_lines(text)
    return {"text": f"{more.count} more new {noun}", "blocks": [_section(text)]}


def byline_mrkdwn(article: Article) -> str:
    """By Author · Outlet (linked to its site) · 2026-05-04"""
    return " · ".join(_byline_parts(article, with_author=True))


def _byline_parts(article: Article, *, with_author: bool) -> list[str]:
    cited = Citation.of(article)
    return _byline(cited if with_author else replace(cited, author=None), by="By ", updated=False)


def _web(url: str | None) -> bool:
    return bool(url) and url.lower().startswith(("http://", "https://"))


def ingest_message(report: IngestReport) -> Message:
    """What an ingest added, updated or could not read, one line each."""
    lines = [f"Added: {link(a.url, a.title)}" for a in report.added]
    lines += [f"Updated: {link(a.url, a.title)}" for a in report.updated]
    lines += [f"Already in the archive: {link(a.url, a.title)}" for a in report.unchanged]
    lines += [f"Could not add {escape(line)}" for line in report.failed]
    text = "\n".join(lines) or "Nothing to add: no article was found there."
    text = _whole_lines(text)
    return {"text": text, "blocks": [_section(text)]}


def more_value(answer_id: str, shown: int, asked_by: str | None) -> str:
    return json.dumps({"answer": answer_id, "shown": shown, "by": asked_by})


def _header(answer: Answer, asked_by: str | None) -> list[dict]:
    lines = []
    if asked_by:
        lines.append(f"<@{escape(asked_by)}> asked: {escape(_clip(answer.question, 500))}")
    if answer.corrected:
        lines.append(f"Showing results for: *{escape(_clip(answer.corrected, 500))}*")
    return [_context(line) for line in lines]


def _buttons(answer_id: str, shown: int, available: int, asked_by: str | None) -> dict:
    elements = []
    if shown < available:
        value = more_value(answer_id, shown, asked_by)
        elements.append(_button(f"More ({available - shown})", ACTION_MORE, value))
    elements.append(_button("👍 Helpful", ACTION_VOTE_UP, answer_id))
    elements.append(_button("👎 Not helpful", ACTION_VOTE_DOWN, answer_id))
    return {"type": "actions", "block_id": "answer_actions", "elements": elements}


def _button(label: str, action_id: str, value: str) -> dict:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "action_id": action_id,
        "value": value,
    }


def clip_mrkdwn(mrkdwn: str, limit: int) -> str:
    """Escaped mrkdwn cut with "…" to `limit`, never inside an entity (`&amp;`) or a link."""
    if len(mrkdwn) <= limit:
        return mrkdwn
    cut = mrkdwn[: limit - 1]
    for opening, closing in (("&", ";"), ("<", ">")):
        if cut.rfind(opening) > cut.rfind(closing):
            cut = cut[: cut.rfind(opening)]
    return cut + "…"


def _section(mrkdwn: str) -> dict:
    text = clip_mrkdwn(mrkdwn, SECTION_CHARS)
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(mrkdwn: str) -> dict:
    text = clip_mrkdwn(mrkdwn, SECTION_CHARS)
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _quotation(text: str, spans: Sequence[tuple[int, int]], cut: bool = False) -> str:
    body = mark(text, spans, "*", "*", escape) + ("…" if cut else "")
    return "\n".join(f">{line}" for line in body.split("\n"))


def _cut(text: str, length: int) -> str:
    """The first `length` characters at most, cut at a space (the caller marks the cut)."""
    cut = text[:length]
    if length < len(text) and " " in cut.strip():
        cut = cut[: cut.rstrip().rfind(" ")]
    return cut.rstrip()


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _unmentioned(words: Sequence[str]) -> str:
    """The question's words the story never uses, in italics; plain when a word holds "_",
    which mrkdwn cannot escape and would end the italics inside it."""
    line = unmentioned_line(words, lambda word: escape(_clip(word, 100)))
    return line if any("_" in word for word in words) else f"_{line}_"


def _fallback(answer: Answer, quotes: Sequence[Quote]) -> str:
    first = quotes[0]
    more = f" (and {len(quotes) - 1} more)" if len(quotes) > 1 else ""
    text = f"“{_clip(first.text, 300)}” — {first.citation.title}{more}"
    return escape(_clip(text, FALLBACK_CHARS))
