"""bot/render/feeds.py: /feeds replies, with every outside text escaped by the surface."""

from __future__ import annotations

from bot.chat.feeds_reply import FeedsReply
from bot.render.feeds import MAX_LISTED, feeds_text, status
from index.feeds.watched import FeedState

NOW = 1_780_000_000.0
URL = "https://valleywire.example/feed.rss?a=1&b=<2>"


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_added_already_unknown_and_removed_name_the_feed_escaped():
    escaped = "https://valleywire.example/feed.rss?a=1&amp;b=&lt;2&gt;"
    assert feeds_text(FeedsReply("added", URL), escape).startswith(f"Now watching {escaped}.")
    assert feeds_text(FeedsReply("already", URL), escape) == f"{escaped} is watched already."
    assert feeds_text(FeedsReply("unknown", URL), escape).startswith(f"{escaped} is not a watched")
    removed = feeds_text(FeedsReply("removed", URL), escape)
    assert removed == f"Stopped watching {escaped}. Its articles stay in the archive."
    in_setting = feeds_text(FeedsReply("removed", URL, in_setting=True), escape)
    assert in_setting.startswith(removed) and "FEEDS setting" in in_setting


def test_an_empty_list_says_how_to_add_one():
    assert feeds_text(FeedsReply("list"), escape).startswith("No feeds are watched.")


def test_each_feed_with_how_its_polling_goes():
    feeds = (
        FeedState(URL, "2026-05-01", polled_at=NOW - 250),
        FeedState("https://b.example/rss", "2026-05-01"),
        FeedState(
            "https://c.example/rss",
            "2026-05-01",
            polled_at=NOW - 60,
            failures=3,
            last_error="HTTP 500 <Internal>",
            failing_since=1_779_990_000.0,
        ),
    )
    text = feeds_text(FeedsReply("list", feeds=feeds), escape, now=NOW)
    lines = text.split("\n")
    assert lines[0] == "Watched feeds (3):"
    assert (
        lines[1]
        == "• https://valleywire.example/feed.rss?a=1&amp;b=&lt;2&gt;: ok, polled 4 min ago"
    )
    assert lines[2] == "• https://b.example/rss: not polled yet"
    assert lines[3] == (
        "• https://c.example/rss: failing since 2026-05-28 17:40 UTC (3 failed poll(s)), "
        "last error: HTTP 500 &lt;Internal&gt;"
    )


def test_a_long_list_is_cut_and_says_how_many_more():
    feeds = tuple(FeedState(f"https://f{n}.example/rss", "2026-05-01") for n in range(30))
    lines = feeds_text(FeedsReply("list", feeds=feeds), escape, now=NOW).split("\n")
    assert len(lines) == 1 + MAX_LISTED + 1
    assert lines[-1] == f"… and {30 - MAX_LISTED} more"


def test_status_cuts_a_long_error_and_never_counts_back_in_time():
    failing = FeedState("u", "t", failures=1, last_error="x" * 1000, failing_since=None)
    assert (
        status(failing, NOW) == f"failing since unknown (1 failed poll(s)), last error: {'x' * 300}"
    )
    assert status(FeedState("u", "t", polled_at=NOW + 120), NOW) == "ok, polled 0 min ago"
