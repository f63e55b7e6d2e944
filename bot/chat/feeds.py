"""The feed watcher behind the chat bots: built from settings, run in the background; /feeds;
new stories announced in a news channel when the bot has one."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from bot.chat.announce import Announcer
from bot.chat.announcements import Announcement
from bot.chat.feeds_reply import FeedsReply
from bot.config import Settings
from index.archive import Archive
from index.errors import InputError
from index.feeds.watched import FeedStore
from index.feeds.watcher import CycleReport, Watcher
from index.fetch import checked_url

log = logging.getLogger(__name__)
FEEDS_FILE = "feeds.sqlite3"


def watcher_for(settings: Settings, archive: Archive, feeds: FeedStore, **options) -> Watcher:
    return Watcher(
        archive,
        feeds,
        settings.fetcher(),
        every=settings.feeds_every_minutes * 60,
        full_text=settings.fetch_full_text,
        **options,
    )


class BackgroundWatcher:
    """Polls the watched feeds (the FEEDS setting's among them) in a thread of its own.

    With `announce` (the adapter's way of posting in its news channel), each cycle's new
    stories are announced there, at most ANNOUNCE_MAX_PER_HOUR messages an hour; `where`
    names the channel in log lines, `clock` is the announcer's (injected by tests)."""

    def __init__(
        self,
        settings: Settings,
        archive: Archive,
        *,
        announce: Callable[[Announcement], None] | None = None,
        where: str = "the news channel",
        clock: Callable[[], float] = time.time,
    ):
        self.feeds = FeedStore(archive.data_dir / FEEDS_FILE)
        self.setting = frozenset(settings.feeds)
        for url in settings.feeds:
            self.feeds.add(url, by="FEEDS setting")
        self.watcher = watcher_for(settings, archive, self.feeds)
        self.announcer = None
        if announce is not None:
            per_hour = settings.announce_max_per_hour
            self.announcer = Announcer(
                archive.store, announce, per_hour=per_hour, where=where, clock=clock
            )
        self._thread = threading.Thread(target=self._run, name="feed-watcher", daemon=True)

    def start(self) -> BackgroundWatcher:
        self._thread.start()
        return self

    def alive(self) -> bool:
        """Whether the watcher's thread is running (for the health check)."""
        return self._thread.is_alive()

    def close(self) -> None:
        self.watcher.stop()
        if self._thread.is_alive():
            self._thread.join(self.watcher.fetcher.deadline * 2 + 5)
        self.feeds.close()

    def _run(self) -> None:
        self.watcher.run(on_cycle=self._cycled)

    def _cycled(self, report: CycleReport) -> None:
        log.info("Feeds: %s", report.line())
        if self.announcer is not None:
            self.announcer.cycle(report.new)

    def command(self, text: str, user: str) -> FeedsReply:
        """`/feeds`, `/feeds add URL`, `/feeds remove URL` (the caller checked the editor)."""
        verb, _, rest = text.strip().partition(" ")
        verb, url = verb.lower(), rest.strip().strip("<>").partition("|")[0]
        if verb in ("", "list"):
            return FeedsReply("list", feeds=tuple(self.feeds.feeds()))
        if verb not in ("add", "remove") or not url or " " in url:
            raise InputError(USAGE)
        if verb == "add":
            checked_url(url)  # http(s), a host, no password; fetching checks the address
            added = self.feeds.add(url, by=user)
            if added:
                log.info("User %s added the feed %s", user, url)
                self.watcher.wake()  # polled at once, in the background
            return FeedsReply("added" if added else "already", url=url)
        removed = self.feeds.remove(url)
        if removed:
            log.info("User %s removed the feed %s", user, url)
        kind = "removed" if removed else "unknown"
        return FeedsReply(kind, url=url, in_setting=url in self.setting)


USAGE = (
    "Use /feeds list to see the watched feeds, /feeds add https://… to watch one, "
    "or /feeds remove https://… to stop."
)
