"""What the newsroom asks: figures from the question log (questions per day, answered share,
answer times, votes, the most asked articles and the unanswered questions asked most)."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from index.feedback.store import FeedbackStore, LoggedQuestion

TOP = 10  # articles and unanswered questions listed


@dataclass(frozen=True)
class Day:
    day: str  # YYYY-MM-DD, UTC
    asked: int
    unanswered: int


@dataclass(frozen=True)
class AskedArticle:
    article_id: str
    title: str | None
    questions: int  # questions whose top quote (or fact) came from it


@dataclass(frozen=True)
class Unanswered:
    question: str  # as first asked
    times: int  # asked this often, letter case and spacing aside


@dataclass(frozen=True)
class Stats:
    since: str | None
    questions: int
    answered: int
    median_ms: float | None
    p95_ms: float | None
    votes_up: int
    votes_down: int
    askers: int  # distinct (hashed) askers
    platforms: dict[str, int] = field(default_factory=dict)
    days: list[Day] = field(default_factory=list)  # every day from the first to the last
    articles: list[AskedArticle] = field(default_factory=list)
    unanswered: list[Unanswered] = field(default_factory=list)

    @property
    def answered_share(self) -> float | None:
        return self.answered / self.questions if self.questions else None

    @property
    def up_share(self) -> float | None:
        votes = self.votes_up + self.votes_down
        return self.votes_up / votes if votes else None


def stats(store: FeedbackStore, since: date | None = None, top: int = TOP) -> Stats:
    """The figures for the questions logged on or after `since` (a UTC day), or all of them."""
    rows = store.logged_questions(since.isoformat() if since else None)
    return summarize(rows, since.isoformat() if since else None, top)


def summarize(rows: list[LoggedQuestion], since: str | None = None, top: int = TOP) -> Stats:
    times = sorted(row.ms for row in rows)
    return Stats(
        since=since,
        questions=len(rows),
        answered=sum(row.answered for row in rows),
        median_ms=statistics.median(times) if times else None,
        p95_ms=times[math.ceil(0.95 * len(times)) - 1] if times else None,
        votes_up=sum(row.votes_up for row in rows),
        votes_down=sum(row.votes_down for row in rows),
        askers=len({(row.platform, row.asker) for row in rows if row.asker}),
        platforms=dict(Counter(row.platform for row in rows).most_common()),
        days=_days(rows),
        articles=_articles(rows, top),
        unanswered=_unanswered(rows, top),
    )


def same_question(text: str) -> str:
    """What makes two questions the same one: their words, letter case, spacing and the marks
    that end them aside."""
    return " ".join(text.split()).casefold().rstrip("?!.？！。 ")


def _days(rows: list[LoggedQuestion]) -> list[Day]:
    asked = Counter(row.asked_at[:10] for row in rows)
    unanswered = Counter(row.asked_at[:10] for row in rows if not row.answered)
    if not asked:
        return []
    day, last = date.fromisoformat(min(asked)), date.fromisoformat(max(asked))
    days = []
    while day <= last:
        key = day.isoformat()
        days.append(Day(key, asked[key], unanswered[key]))
        day += timedelta(days=1)
    return days


def _articles(rows: list[LoggedQuestion], top: int) -> list[AskedArticle]:
    counts = Counter(row.article_id for row in rows if row.answered and row.article_id)
    titles = {row.article_id: row.article_title for row in rows}  # the latest title
    return [AskedArticle(a, titles[a], n) for a, n in counts.most_common(top)]


def _unanswered(rows: list[LoggedQuestion], top: int) -> list[Unanswered]:
    counts: Counter[str] = Counter()
    wording: dict[str, str] = {}
    for row in rows:
        if not row.answered:
            key = same_question(row.question)
            counts[key] += 1
            wording.setdefault(key, " ".join(row.question.split()))
    return [Unanswered(wording[k], n) for k, n in counts.most_common(top)]
