"""How to ask, for every bot's help: filters, questions about an article, an author, an outlet.

Written once here; Slack mrkdwn and Discord markdown both show `code` and • bullets, so each
renderer only says how it makes bold text. The text holds no character either would need
escaped (no & < > * _ ~ | [ ])."""

from __future__ import annotations

from collections.abc import Callable

# (filter as typed, what it does): read by the bot inside a question (index/answering/question.py)
FILTERS = (
    ("author:NAME", 'only articles by this author (`author:raman`, `author:"Priya Raman"`)'),
    ("source:OUTLET", 'only articles from this outlet (`source:"Millbrook Ledger"`)'),
    ("since:YYYY-MM-DD", "only articles published on or after the date"),
    ("until:YYYY-MM-DD", "only articles published on or before the date"),
    ('in:"words of a title"', "ask one article"),
)
OTHER_PAIRS = "Other word:word pairs are ordinary words."
EXAMPLE = 'why was the bridge vote delayed? source:"Millbrook Ledger" since:2026-01-01'
ABOUT_ARTICLE = (
    "who wrote the harbor bridge story?",
    "when was the library hours story published?",
    "which outlet published the transit pass story?",
    "who wrote about the heat advisory?",
)
ABOUT_BYLINE = ("what has Mei Lin written?", "what did the Valley Wire report about the heat?")


def filter_names() -> str:
    """ "author:, source:, since:, until:, in:" """
    return ", ".join(name.split(":")[0] + ":" for name, _ in FILTERS)


def asking_help(bold: Callable[[str], str], ask: str = "") -> str:
    """The filters and the questions about an article, as lines of markdown; `ask` is how the
    surface's examples begin ("/ask ", "@newsbot ")."""
    lines = [bold("Filters") + " go inside the question:"]
    lines += [f"• `{name}`: {meaning}" for name, meaning in FILTERS]
    lines.append(f"{OTHER_PAIRS} For example: `{ask}{EXAMPLE}`")
    lines.append(bold("About an article") + ": who wrote it, when or where it was published:")
    lines += [f"• `{ask}{question}`" for question in ABOUT_ARTICLE]
    lines.append(bold("By an author or an outlet") + ": their newest stories, or what they wrote:")
    lines += [f"• `{ask}{question}`" for question in ABOUT_BYLINE]
    return "\n".join(lines)


def ask_option_description() -> str:
    """Discord's /ask option text (at most 100 characters)."""
    return f"Your question in plain words; filters {filter_names()} (see /help)"
