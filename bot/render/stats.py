"""The question log's figures (index/feedback/stats.py) as text for a terminal, or as JSON."""

from __future__ import annotations

import unicodedata

from index.feedback.stats import Stats


def stats_text(stats: Stats) -> str:
    """A short report: totals, then a line per day, the most asked articles and the
    unanswered questions asked most."""
    span = f"since {stats.since}" if stats.since else "all logged"
    if not stats.questions:
        return f"What the newsroom asks ({span}): no questions logged.\n"
    platforms = ", ".join(f"{name} {n}" for name, n in stats.platforms.items())
    lines = [
        f"What the newsroom asks ({span}, days in UTC)",
        f"Questions:   {stats.questions} ({platforms}), from {stats.askers} asker(s)",
        f"Answered:    {stats.answered} of {stats.questions} ({_percent(stats.answered_share)})",
        f"Answer time: median {stats.median_ms:.0f} ms, p95 {stats.p95_ms:.0f} ms",
        f"Votes:       {stats.votes_up} 👍, {stats.votes_down} 👎"
        + (f" ({_percent(stats.up_share)} 👍)" if stats.up_share is not None else ""),
        "",
        "day           asked  no answer",
    ]
    for day in stats.days:
        share = f" ({_percent(day.unanswered / day.asked)})" if day.asked else ""
        lines.append(f"{day.day}  {day.asked:>7}  {day.unanswered:>9}{share}")
    if stats.articles:
        lines += ["", "Most asked articles (the top quote's article)"]
        for article in stats.articles:
            title = _printable(article.title or "(untitled)")
            lines.append(f"{article.questions:>6}  {title} [{article.article_id}]")
    if stats.unanswered:
        lines += ["", "Unanswered, most asked (what the archive lacks)"]
        for question in stats.unanswered:
            lines.append(f"{question.times:>6}  {_printable(question.question)}")
    return "\n".join(lines) + "\n"


def stats_json(stats: Stats) -> dict:
    return {
        "since": stats.since,
        "questions": stats.questions,
        "answered": stats.answered,
        "answered_share": _rounded(stats.answered_share),
        "median_ms": _rounded(stats.median_ms, 1),
        "p95_ms": _rounded(stats.p95_ms, 1),
        "votes": {
            "up": stats.votes_up,
            "down": stats.votes_down,
            "up_share": _rounded(stats.up_share),
        },
        "askers": stats.askers,
        "platforms": stats.platforms,
        "days": [{"day": d.day, "asked": d.asked, "unanswered": d.unanswered} for d in stats.days],
        "articles": [
            {"id": a.article_id, "title": a.title, "questions": a.questions} for a in stats.articles
        ],
        "unanswered": [{"question": u.question, "times": u.times} for u in stats.unanswered],
    }


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{share:.0%}"


def _rounded(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)


def _printable(text: str) -> str:
    """Text a terminal shows as it is: control characters (escape sequences) become U+FFFD."""
    return "".join("\ufffd" if unicodedata.category(c) == "Cc" else c for c in text)
