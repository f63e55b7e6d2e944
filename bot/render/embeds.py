"""Answer -> Discord message parts (content, embed dicts, buttons), escaped and within limits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from bot.chat.announcements import MoreStories, NewStory
from bot.render.discord_text import clip, clip_escaped, escape, fit, length
from bot.render.help import asking_help
from bot.render.marks import mark
from bot.render.plain import FACT_LABELS, NEAREST, no_answer_line, unmentioned_line
from index.answering.answers import Answer, Fact, Quote
from index.article import Article, Publication
from index.citation import Citation
from index.ingest.report import Ingested

# Discord's limits, counted in UTF-16 code units: never fewer than Discord's own count.
CONTENT_MAX = 2000
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
AUTHOR_MAX = 256
EMBED_TOTAL_MAX = 6000  # all embeds of one message together
EMBEDS_MAX = 10
URL_MAX = 2048
CUSTOM_ID_MAX = 100

QUOTES_SHOWN = 3  # quotes per message; "More" shows the next ones
SOURCES_SHOWN = 15
COLOR = 0x2B6CB0
# Parsed by the adapter's buttons; the answer id is FeedbackStore's.
VOTE_TEMPLATE = r"newsbot:vote:(?P<vote>up|down):(?P<answer>[0-9a-f]{1,32})"
MORE_TEMPLATE = r"newsbot:more:(?P<answer>[0-9a-f]{1,32}):(?P<offset>[0-9]{1,4})"


def _no_mentions() -> dict:
    return {"parse": [], "replied_user": False}


@dataclass(frozen=True)
class Button:
    custom_id: str
    label: str | None = None
    emoji: str | None = None
    style: str = "secondary"  # or "primary"


@dataclass(frozen=True)
class Message:
    """One Discord message: plain data; `allowed_mentions` parses nothing, always."""

    content: str = ""
    embeds: tuple[dict, ...] = ()
    buttons: tuple[Button, ...] = ()
    allowed_mentions: dict = field(default_factory=_no_mentions)


# --- answers ---------------------------------------------------------------------------------


def answer_message(
    answer: Answer, *, answer_id: str | None = None, more_from: int | None = None
) -> Message:
    """The first QUOTES_SHOWN quotes of `answer` as embeds, with vote and "More" buttons.

    `more_from` is the number of quotes shown so far, including these, when more remain.
    """
    quotes = answer.quotes[:QUOTES_SHOWN]
    if not quotes and answer.facts:
        return facts_message(answer)
    if not quotes:
        return Message(content=_no_answer(answer))
    parts = [_quote_parts(q) for q in quotes]
    fixed = sum(p.fixed for p in parts)
    share = (EMBED_TOTAL_MAX - fixed) // len(parts)
    embeds = tuple(p.embed(min(share, DESCRIPTION_MAX - p.citation_size)) for p in parts)
    buttons: tuple[Button, ...] = ()
    if answer_id:
        buttons = (
            Button(f"newsbot:vote:up:{answer_id}", emoji="👍"),
            Button(f"newsbot:vote:down:{answer_id}", emoji="👎"),
        )
        if more_from is not None:
            buttons += (
                Button(f"newsbot:more:{answer_id}:{more_from}", label="More", style="primary"),
            )
    return Message(content=_answer_content(answer), embeds=embeds, buttons=buttons)


def facts_message(answer: Answer) -> Message:
    """Answers from articles' records ("who wrote …"): one embed per fact, with its citation."""
    embeds: list[dict] = []
    used = 0
    for fact in answer.facts[:EMBEDS_MAX]:
        embed = _fact_embed(fact)
        size = length(embed["title"]) + length(embed["description"])
        if used + size > EMBED_TOTAL_MAX:
            break
        embeds.append(embed)
        used += size
    return Message(content=_answer_content(answer), embeds=tuple(embeds))


def _fact_embed(fact: Fact) -> dict:
    c = fact.citation
    label = FACT_LABELS.get(fact.field, fact.field.capitalize())
    if not fact.value:
        value = "*not recorded in the archive*"
    elif fact.field in ("published", "updated"):
        value = escape(fact.value[:10])
    else:
        value = clip_escaped(fact.value, 500)
    embed = {
        "type": "rich",
        "title": clip_escaped(c.title or "Untitled", TITLE_MAX),
        "description": f"**{label}:** {value}\n\n{citation_markdown(c)}",
        "color": COLOR,
    }
    if url := http_url(c.url):
        embed["url"] = url
    return embed


def _answer_content(answer: Answer) -> str:
    if answer.corrected:
        return "Showing results for: " + clip_escaped(answer.corrected, CONTENT_MAX - 40)
    return "**Q:** " + clip_escaped(answer.question, CONTENT_MAX - 10)


def _no_answer(answer: Answer) -> str:
    """The honest no-answer, the nearest story when one is close, and the suggestion."""
    lines = [no_answer_line(answer, lambda name: clip_escaped(name, 100))]
    if answer.nearest:
        lines.append(nearest_markdown(answer.nearest))
    if answer.suggestion:
        room = CONTENT_MAX - length("\n".join(lines)) - 40
        lines.append(f"Did you mean: *{clip_escaped(answer.suggestion, room)}*")
    return "\n".join(lines)


def nearest_markdown(c: Citation) -> str:
    """The nearest story is [“Headline”](<link>), Author, [Outlet](<site>), 2025-08-24

    At most about 1,200 characters; links in <> so that Discord shows no preview of them."""
    parts = [_masked_link(f"“{clip_escaped(c.title or 'Untitled', 200)}”", c.url, 500)]
    if c.author:
        parts.append(clip_escaped(c.author, 100))
    outlet = c.source or c.domain
    if outlet:
        parts.append(_masked_link(clip_escaped(outlet, 100), c.source_url, 200))
    if c.published:
        parts.append(escape(c.published[:10]))
    if c.updated:
        parts.append(f"updated {escape(c.updated[:10])}")
    return f"{NEAREST} " + ", ".join(parts)


def _masked_link(label: str, url: str | None, longest: int) -> str:
    """[label](<url>) when the url is a web link of at most `longest` characters, else label."""
    link = http_url(url)
    target = _link_target(link) if link else ""
    return f"[{label}](<{target}>)" if target and length(target) <= longest else label


@dataclass(frozen=True)
class _QuoteParts:
    quote: Quote
    title: str
    url: str | None
    citation: str
    footer: str | None

    @property
    def citation_size(self) -> int:
        return length(self.citation) + 2  # "\n\n" between quote and citation

    @property
    def fixed(self) -> int:
        return length(self.title) + length(self.footer or "") + self.citation_size

    def embed(self, room: int) -> dict:
        embed = {
            "type": "rich",
            "title": self.title,
            "description": quote_markdown(self.quote.text, self.quote.highlights, room)
            + "\n\n"
            + self.citation,
            "color": COLOR,
        }
        if self.url:
            embed["url"] = self.url
        if self.footer:
            embed["footer"] = {"text": self.footer}
        return embed


def _quote_parts(quote: Quote) -> _QuoteParts:
    c = quote.citation
    return _QuoteParts(
        quote=quote,
        title=clip_escaped(c.title or "Untitled", TITLE_MAX),
        url=http_url(c.url),
        citation=citation_markdown(c, quote.paragraph) + _unmentioned(quote),
        footer=clip(f"§ {quote.heading}", 200) if quote.heading else None,
    )


def _unmentioned(quote: Quote) -> str:
    """The question's words the quote's story never uses, in italics on a line of its own."""
    if not quote.unmentioned:
        return ""
    return f"\n*{unmentioned_line(quote.unmentioned, lambda word: clip_escaped(word, 100))}*"


def quote_markdown(text: str, highlights: Sequence[tuple[int, int]], limit: int) -> str:
    """The quote as a block quote, matched words in bold, escaped, cut to `limit`."""

    def render(n: int, cut: Callable[[str, int], str]) -> str:
        shown = cut(text, n)
        kept = len(shown) if shown == text else len(shown) - 1  # without the "…"
        return _block_quote(mark(shown[:kept], highlights, "**", "**", escape) + shown[kept:])

    return fit(render, len(text), max(limit, 3))


def _block_quote(text: str) -> str:
    return "\n".join("> " + line for line in text.split("\n"))


def citation_markdown(c: Citation, paragraph: int | None = None) -> str:
    """— Author · [Outlet](home page) · 2025-08-24 (updated 2025-08-25) · paragraph 4"""
    parts = [clip_escaped(c.author, 100)] if c.author else []
    parts += _outlet(c.source or c.domain, c.source_url)
    if c.published:
        date = escape(c.published[:10])
        if c.updated:
            date += f" (updated {escape(c.updated[:10])})"
        parts.append(date)
    elif c.updated:
        parts.append(f"updated {escape(c.updated[:10])}")
    if paragraph is not None:
        parts.append(f"paragraph {paragraph}")
    line = "— " + " · ".join(parts)
    if c.also_published_by:
        line += "\n" + _also_published_by(c.also_published_by)
    return line


def _also_published_by(copies: Sequence[Publication]) -> str:
    shown = [_outlet(copy.source or "another outlet", copy.url)[0] for copy in copies[:10]]
    return "Also published by " + ", ".join(shown)


def http_url(url: str | None) -> str | None:
    """An http(s) link Discord accepts, or None."""
    if not url or length(url) > URL_MAX or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def _link_target(url: str) -> str:
    """A URL safe inside a markdown link's parentheses."""
    return quote(url, safe=":/?#@!$&'*+,;=%~-._")


# --- other replies ---------------------------------------------------------------------------


def text_message(markdown: str) -> Message:
    """A reply of our own words; parts taken from users or articles must be escaped first."""
    return Message(content=clip(markdown, CONTENT_MAX))


def sources_message(articles: Sequence[Article], query: str | None = None) -> Message:
    """The articles, newest first, as one embed of up to SOURCES_SHOWN lines."""
    if not articles:
        if query:
            return text_message(f"No article in the archive matches *{clip_escaped(query, 200)}*.")
        return text_message("The archive holds no articles yet.")
    title = f"Articles matching “{query}”" if query else "Articles in the archive"
    lines: list[str] = []
    used = 0
    for article in articles[:SOURCES_SHOWN]:
        line = source_line(article)
        if used + length(line) + 1 > DESCRIPTION_MAX - 100:
            break
        lines.append(line)
        used += length(line) + 1
    footer = f"{len(lines)} of {len(articles)} shown, newest first"
    if len(lines) < len(articles):
        footer += " · narrow the list with /sources query:"
    embed = {
        "type": "rich",
        "title": clip_escaped(title, TITLE_MAX),
        "description": "\n".join(lines),
        "color": COLOR,
        "footer": {"text": footer},
    }
    return Message(embeds=(embed,))


def source_line(article: Article) -> str:
    """`id` 2025-08-24 · Outlet — [Title](link)"""
    title = clip_escaped(article.title or "Untitled", 150)
    link = http_url(article.url)
    shown = f"[{title}]({_link_target(link)})" if link else title
    outlet = article.source or article.domain
    meta = [article.published[:10]] if article.published else []
    meta += [clip(outlet, 60)] if outlet else []
    prefix = f"`{article.id}`" + (" " + escape(" · ".join(meta)) if meta else "")
    return f"{prefix} — {shown}"


def ingest_message(
    added: Sequence[Ingested], updated: Sequence[Ingested], failed: Sequence[str]
) -> Message:
    lines = [f"Added: **{clip_escaped(a.title, 200)}** `{a.id}`" for a in added]
    lines += [f"Updated: **{clip_escaped(a.title, 200)}** `{a.id}`" for a in updated]
    lines += [f"Could not ingest: {clip_escaped(line, 400)}" for line in failed]
    if not lines:
        lines = ["Already in the archive, unchanged."]
    return text_message("\n".join(lines))


def removed_message(article: Article) -> Message:
    return text_message(f"Removed: **{clip_escaped(article.title, 300)}** `{article.id}`")


def help_message() -> Message:
    """/help, and a mention without a question: the ways to ask, filters, questions about an
    article (the last two from bot/render/help.py, shared with Slack's help)."""
    intro = (
        "Ask me about the newsroom's articles and I answer with their own words, cited.\n"
        "• `/ask` with your question, or mention me with it; `private:true` shows the answer "
        "only to you.\n"
        "• Reply to one of my answers to ask a follow-up (keep the reply's @mention on).\n"
        "• `/sources` lists the articles I can quote.\n"
        "• Moderators add and remove articles with `/ingest` and `/remove`, and manage the "
        "watched feeds with `/feeds`."
    )
    return text_message(intro + "\n\n" + asking_help(lambda words: f"**{words}**"))


# --- new stories in the news channel (bot/chat/announce.py) -----------------------------------


def story_message(story: NewStory) -> Message:
    """A new story: headline linked to it, the byline (author, outlet, date) and its link."""
    article = story.article
    lines = [byline_markdown(article)]
    if story.also_published_by:
        lines.append(_also_published_by(story.also_published_by))
    link = http_url(article.url)
    if link:
        lines.append(escape(link))
    embed = {
        "type": "rich",
        "title": clip_escaped(article.title or "Untitled", TITLE_MAX),
        "description": clip("\n".join(line for line in lines if line), DESCRIPTION_MAX),
        "color": COLOR,
    }
    if link:
        embed["url"] = link
    return Message(content="📰 **New story**", embeds=(embed,))


def more_stories_message(more: MoreStories, listed: int = 15) -> Message:
    """The new stories left over by the hourly limit, in one message: linked headlines."""
    noun = "story" if more.count == 1 else "stories"
    lines: list[str] = []
    used = 0
    for article in more.articles[:listed]:
        title = clip_escaped(article.title or "Untitled", 150)
        link = http_url(article.url)
        line = "• " + (f"[{title}]({_link_target(link)})" if link else title)
        meta = _byline_parts(article, with_author=False)
        line += f" — {' · '.join(meta)}" if meta else ""
        if used + length(line) + 1 > DESCRIPTION_MAX - 100:
            break
        lines.append(line)
        used += length(line) + 1
    if more.count > len(lines):
        lines.append(f"… and {more.count - len(lines)} more")
    embed = {
        "type": "rich",
        "title": f"{more.count} more new {noun}",
        "description": "\n".join(lines),
        "color": COLOR,
        "footer": {"text": f"Announcements are limited to {more.per_hour} an hour."},
    }
    return Message(embeds=(embed,))


def byline_markdown(article: Article) -> str:
    """By Author · [Outlet](its site) · 2026-05-04"""
    return " · ".join(_byline_parts(article, with_author=True))


def _byline_parts(article: Article, *, with_author: bool) -> list[str]:
    parts = [f"By {clip_escaped(article.author, 100)}"] if with_author and article.author else []
    parts += _outlet(article.source or article.domain, article.source_url)
    if article.published:
        parts.append(escape(article.published[:10]))
    return parts


def _outlet(name: str | None, home: str | None) -> list[str]:
    """The outlet's name, linked to its site when that is a web link; none without a name."""
    if not name:
        return []
    shown, home = clip_escaped(name, 100), http_url(home)
    return [f"[{shown}]({_link_target(home)})" if home else shown]
