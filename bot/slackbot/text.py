"""Slack message text -> what the person typed: mentions, links and entities unwrapped; commands."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKUP = re.compile(r"<([^<>\n]*)>")
_USER = re.compile(r"<@([A-Z0-9]+)(?:\|[^<>]*)?>")
_PLAIN_URL = re.compile(r"https?://\S+", re.IGNORECASE)
HELP_WORDS = frozenset({"help", "?", "hi", "hello"})
INGEST_WORDS = frozenset({"ingest", "add"})


@dataclass(frozen=True)
class Command:
    """What a message or a mention asks for: `ask` a question, `ingest` URLs, or `help`."""

    kind: str
    question: str = ""
    urls: tuple[str, ...] = ()


def plain(text: str, bot_user_id: str | None = None) -> str:
    """Slack's markup as the reader saw it: the bot's own mention dropped, links as their labels,
    `&amp;` `&lt;` `&gt;` back to characters."""

    def unwrap(match: re.Match) -> str:
        target, _, label = match.group(1).partition("|")
        if target.startswith("@"):
            return "" if target[1:] == bot_user_id else (f"@{label}" if label else "")
        if target.startswith("#"):
            return f"#{label}" if label else ""
        if target.startswith("!"):
            return label  # <!here>, <!channel>: nothing; <!date^…|fallback>: the fallback
        return label or target

    text = _MARKUP.sub(unwrap, text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


def mentions(text: str, user_id: str | None) -> bool:
    return bool(user_id) and any(m == user_id for m in _USER.findall(text))


def mentions_someone_else(text: str, bot_user_id: str | None) -> bool:
    """A thread reply that mentions another person is talking to them, not to the bot."""
    return any(m != bot_user_id for m in _USER.findall(text))


def urls(text: str) -> tuple[str, ...]:
    """The links in a message: Slack's `<https://…|label>` targets, or bare URLs as typed."""
    found = []
    for match in _MARKUP.finditer(text):
        target = match.group(1).partition("|")[0]
        if not target.startswith(("@", "#", "!")):
            found.append(_unescape(target))
    rest = _MARKUP.sub(" ", text)
    found += [_unescape(u).rstrip(".,;)>") for u in _PLAIN_URL.findall(rest)]
    return tuple(dict.fromkeys(found))


def command(text: str, bot_user_id: str | None = None) -> Command:
    """A mention's or a direct message's text -> the command it gives."""
    question = plain(text, bot_user_id)
    first, _, rest = question.partition(" ")
    if not question or question.lower() in HELP_WORDS:
        return Command("help")
    if first.lower() in INGEST_WORDS and (found := urls(text)):
        return Command("ingest", question=rest, urls=found)
    return Command("ask", question=question)


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
