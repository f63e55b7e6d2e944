"""Metadata helpers every reader shares: dates, outlet names, titles, whitespace."""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from dateutil import parser as dateparser

from index.article import Paragraph

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


def iso_date(value) -> str | None:
    """An ISO 8601 date or timestamp from whatever a source gives, or None if it is not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, time.struct_time):
        value = dt.datetime(*value[:6], tzinfo=dt.UTC)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    try:
        parsed = dateparser.parse(text)
    except (ValueError, OverflowError):
        return None
    if parsed.hour == parsed.minute == parsed.second == 0 and not re.search(r"\d:\d", text):
        return parsed.date().isoformat()
    return parsed.isoformat()


def derive_title(paragraphs: list[Paragraph], origin: str | None) -> str:
    """A title for an article that has none: its file or URL name if that reads as words,
    else the opening words of its first paragraph."""
    if origin:
        try:
            path = urlsplit(origin).path
        except ValueError:
            path = ""
        stem = PurePosixPath(unquote(path or origin)).stem
        words = [w for w in re.split(r"[-_\s.]+", stem) if w]
        lettered = [w for w in words if re.search(r"[^\W\d_]", w)]
        single_meaningful = len(lettered) == 1 and len(stem) > 3 and not _GENERIC.match(stem)
        if len(lettered) >= 2 or single_meaningful:
            name = " ".join(words)
            return name[0].upper() + name[1:]
    if paragraphs:
        words = paragraphs[0].text.split()
        return " ".join(words[:12]) + ("…" if len(words) > 12 else "")
    return "Untitled article"
