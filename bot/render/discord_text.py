"""Discord markdown for text from users and articles: escaping, and cutting to a length."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.render.fitting import longest


def length(text: str) -> int:
    """Characters as Discord may count them (UTF-16 code units; an emoji can count twice)."""
    return len(text.encode("utf-16-le")) // 2


_URL = re.compile(r"https?://[^\s<>\[\]]*[^\s<>\[\]().,:;!?'\"]")
_ALWAYS = re.compile(r"([\\*_~`|<>\[\]])")
_LINE_START = re.compile(r"(?m)^([ \t]*)(?:([#\-+])|(\d+)([.)])(?=\s))")
_MENTION = re.compile(r"@(?=everyone|here|[!&]?\d)")


def escape(text: str) -> str:
    """Text shown as written: Discord markdown and mentions are neutralised, links kept."""
    parts, last = [], 0
    for match in _URL.finditer(text):
        parts += [_escape_plain(text[last : match.start()]), match.group()]
        last = match.end()
    parts.append(_escape_plain(text[last:]))
    return "".join(parts)


def _escape_plain(text: str) -> str:
    text = _ALWAYS.sub(r"\\\1", text)
    text = _LINE_START.sub(_escape_line_start, text)
    return _MENTION.sub("@\u200b", text)


def _escape_line_start(match: re.Match) -> str:
    indent, mark, number, dot = match.groups()
    return f"{indent}\\{mark}" if mark else f"{indent}{number}\\{dot}"


def clip(text: str, limit: int) -> str:
    """Plain text (no markdown) cut to `limit`, with "…" where it was cut."""
    if length(text) <= limit:
        return text
    return _cut(lambda n: _unsplit(text[:n]).rstrip() + "…", len(text), limit)


def _unsplit(text: str) -> str:
    """Without a lone backslash at the end, which would escape what follows it."""
    stripped = text.rstrip("\\")
    return text if (len(text) - len(stripped)) % 2 == 0 else text[:-1]


def clip_escaped(text: str, limit: int) -> str:
    """Escaped text cut to `limit`: cut before escaping, so no escape is split."""
    return fit(lambda n, cut: escape(cut(text, n)), len(text), limit)


def fit(render: Callable[[int, Callable[[str, int], str]], str], size: int, limit: int) -> str:
    """render(n, cut) within `limit`: the whole text if it fits, else its longest cut that does.

    `render` shows the first n of `size` raw characters, cut by the function it is given, so
    that escaping and bold marks are applied after the cut and never split.
    """
    full = render(size, lambda t, n: t)
    if length(full) <= limit:
        return full
    return _cut(lambda n: render(n, cut_words), size, limit)


def _cut(render: Callable[[int], str], size: int, limit: int) -> str:
    """The longest render(n) within `limit`; n is found by bisection over the raw text."""
    best = longest(render, size, limit, length)
    return best if length(best) <= limit else "…"[:limit]


def cut_words(text: str, n: int) -> str:
    """The first n characters, back to a word boundary when one is near, marked with "…"."""
    if n >= len(text):
        return text
    cut = text[:n]
    space = cut.rfind(" ")
    if space > n - 40 and space > 0:
        cut = cut[:space]
    return cut.rstrip(" ,;:–—-") + "…"
