"""Metadata helpers every reader shares: outlet names, links, titles, whitespace."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from index.article import Paragraph
from index.sentences import sentence_spans

# Outlets whose names cannot be read off their domain. A newsroom can always name the outlet
# itself (a "Source:" header, JSON "source", front matter, the page's own site name).
KNOWN_OUTLETS = {
    "apnews.com": "Associated Press",
    "bbc.co.uk": "BBC News",
    "bbc.com": "BBC News",
    "bloomberg.com": "Bloomberg",
    "cnn.com": "CNN",
    "foxnews.com": "Fox News",
    "ft.com": "Financial Times",
    "nbcnews.com": "NBC News",
    "npr.org": "NPR",
    "nytimes.com": "The New York Times",
    "politico.com": "Politico",
    "reuters.com": "Reuters",
    "straightarrownews.com": "Straight Arrow News",
    "theguardian.com": "The Guardian",
    "usatoday.com": "USA Today",
    "washingtonpost.com": "The Washington Post",
    "wsj.com": "The Wall Street Journal",
}
TITLE_CHARS = 120  # a title made from an article's first sentence is cut to this length
_WORD = re.compile(r"[^\W\d_]{2,}(['’][^\W\d_]+)?")  # letters only: a word, not an id or hash
_GENERIC = re.compile(r"(?i)^(index|article|story|untitled|document|doc|file|text|page)[\W_\d]*$")
_WS = re.compile(r"\s{2,}|[^\S ]")  # a run of whitespace, unless it is one plain space


# Control characters other than whitespace: terminal escapes, bells, backspaces. No article
# means them, and quoted back to a terminal or a chat they could rewrite what a reader sees.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
MAX_URL_CHARS = 2000


def clean(text: str) -> str:
    """One paragraph's text with runs of whitespace (wrapped lines, tabs) made single spaces
    and control characters removed."""
    if text.isprintable() and "  " not in text:  # most paragraphs: nothing to clean
        return text.strip()  # (every control and whitespace but " " is unprintable)
    return _WS.sub(" ", _CONTROLS.sub(" ", text.replace("\u00a0", " "))).strip()


def usable_url(value) -> str | None:
    """A link as given, if it is one that can be parsed (host, port) and cited; else None."""
    if not isinstance(value, str):
        return None
    url = clean(value)
    if not url or len(url) > MAX_URL_CHARS or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
        if parts.scheme in ("http", "https") and not parts.hostname:
            return None
    except ValueError:
        return None
    return url


def outlet_for(url: str | None) -> tuple[str | None, str | None]:
    """(outlet name, outlet home URL) for a link to the outlet or one of its pages."""
    url = usable_url(url)
    if not url:
        return None, None
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    if not host:
        return None, None
    name = KNOWN_OUTLETS.get(host) or KNOWN_OUTLETS.get(".".join(host.split(".")[-2:])) or host
    return name, f"{parts.scheme or 'https'}://{parts.netloc}"


def derive_title(paragraphs: list[Paragraph], origin: str | None) -> str:
    """A title for an article that has none: its file or URL name if that reads as words
    ("council-votes-on-budget.txt"), else the first sentence of its text, cut at a word. A
    name of ids, hashes or numbers ("000_03d8a0d9c1e2fb58.txt") is never a title."""
    if origin and (named := _title_from_name(origin)):
        return named
    if paragraphs:
        return first_sentence(paragraphs[0].text)
    return "Untitled article"


def first_sentence(text: str, limit: int = TITLE_CHARS) -> str:
    """The text's first sentence, cut at the last word that fits in `limit` characters."""
    start, end = sentence_spans(text)[0] if text else (0, 0)
    sentence = text[start:end].strip()
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit + 1].rsplit(" ", 1)[0].rstrip(",;:–—-")
    return cut + "…"


def _title_from_name(origin: str) -> str | None:
    try:
        path = urlsplit(origin).path
    except ValueError:
        path = ""
    stem = PurePosixPath(unquote(path or origin)).stem
    words = [w for w in re.split(r"[-_\s.]+", stem) if w]
    while words and not _WORD.fullmatch(words[0]):  # a leading date or number: not a title's
        words.pop(0)
    spelled = [w for w in words if _WORD.fullmatch(w)]
    if len(spelled) < 2 or len(spelled) * 2 <= len(words) or _GENERIC.match(stem):
        return None
    name = " ".join(words)
    return name[0].upper() + name[1:]
