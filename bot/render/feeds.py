"""/feeds replies as plain text: the watched feeds and how their polling goes, or what changed."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from bot.chat.feeds_reply import FeedsReply
from index.feeds.watched import FeedState

MAX_LISTED = 25


def feeds_text(reply: FeedsReply, escape: Callable[[str], str], now: float | None = None) -> str:
    """The reply in the surface's own escaping (`escape` is applied to every outside text)."""
    url = escape(reply.url or "")
    if reply.kind == "added":
        return f"Now watching {url}. It is polled in a moment, then on schedule."
    if reply.kind == "already":
        return f"{url} is watched already."
    if reply.kind == "unknown":
        return f"{url} is not a watched feed; /feeds list shows them."
    if reply.kind == "removed":
        text = f"Stopped watching {url}. Its articles stay in the archive."
        if reply.in_setting:
            text += " It is also in the FEEDS setting, which adds it back at the next start."
        return text
    if not reply.feeds:
        return "No feeds are watched. An editor can add one with /feeds add https://…"
    now = time.time() if now is None else now
    lines = [f"Watched feeds ({len(reply.feeds)}):"]
    for state in reply.feeds[:MAX_LISTED]:
        lines.append(f"• {escape(state.url)}: {escape(status(state, now))}")
    if len(reply.feeds) > MAX_LISTED:
        lines.append(f"… and {len(reply.feeds) - MAX_LISTED} more")
    return "\n".join(lines)


def status(state: FeedState, now: float) -> str:
    """ "ok, polled 4 min ago" or "failing since …: the last error"."""
    if state.failures:
        since = _when(state.failing_since)
        return (
            f"failing since {since} ({state.failures} failed poll(s)), "
            f"last error: {(state.last_error or 'unknown')[:300]}"
        )
    if state.polled_at is None:
        return "not polled yet"
    minutes = max(0, int((now - state.polled_at) // 60))
    return f"ok, polled {minutes} min ago"


def _when(seconds: float | None) -> str:
    if seconds is None:
        return "unknown"
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M UTC")
