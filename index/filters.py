"""Filters: the restrictions a question may put on which articles are quoted (plain data)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Filters:
    """Restrictions on which articles a search may quote."""

    author: str | None = None
    source: str | None = None
    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    title: str | None = None
    article: str | None = None  # one article's id

    def __bool__(self) -> bool:
        return any(vars(self).values())
