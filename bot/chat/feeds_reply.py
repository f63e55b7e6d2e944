"""FeedsReply: what a /feeds command did, as plain data renderers show."""

from __future__ import annotations

from dataclasses import dataclass

from index.feeds.watched import FeedState


@dataclass(frozen=True)
class FeedsReply:
    """What /feeds did, for a renderer: the list, or the feed added or removed."""

    kind: str  # "list", "added", "already", "removed", "unknown"
    url: str | None = None
    feeds: tuple[FeedState, ...] = ()
    in_setting: bool = False  # a removed feed that the FEEDS setting adds back at start
