"""Watching feeds: polite conditional polls on a schedule, new and changed entries ingested."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from index.archive import Archive
from index.article import Article
from index.errors import FetchError, InputError
from index.feeds.watched import FeedState, FeedStore
from index.fetch import Fetcher
from index.readers import looks_like_feed, read
from index.readers.feed import read_feed_entries

log = logging.getLogger(__name__)

EVERY = 15 * 60.0  # seconds between polls of a feed, by default
MIN_INTERVAL = 60.0  # never poll one feed more often than this, whatever else is asked
MAX_TTL = 6 * 3600.0  # a feed's own <ttl> is honoured up to this
MAX_BACKOFF = 6 * 3600.0  # the longest wait after failures


@dataclass
class CycleReport:
    """What one polling cycle did, over every feed that was due."""

    polled: int = 0
    new: list[Article] = field(default_factory=list)
    updated: list[Article] = field(default_factory=list)
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)  # one line per failed feed or entry
    not_modified: int = 0  # feeds that answered 304
    not_due: int = 0  # feeds skipped: polled too recently, or backing off after errors

    def line(self) -> str:
        """The progress line: new, updated, unchanged, failed."""
        text = f"polled {self.polled} feed(s): {len(self.new)} new, {len(self.updated)} updated, "
        text += f"{self.unchanged} unchanged, {len(self.failed)} failed"
        notes = [f"{self.not_modified} not modified"] if self.not_modified else []
        notes += [f"{self.not_due} not due yet"] if self.not_due else []
        return text + (f" ({', '.join(notes)})" if notes else "")


class Watcher:
    """Polls the watched feeds of one archive; one instance may run in a background thread.

    Each poll is conditional (If-None-Match, If-Modified-Since): a 304 reads no body and
    ingests nothing. Entries the feed gave unchanged since its last poll are skipped, so an
    article an editor removed is not brought back while its entry stays the same. A feed is
    polled at most every `every` seconds (never under MIN_INTERVAL, and not before its own
    <ttl>), and after failures it backs off, doubling up to MAX_BACKOFF; a failing feed is
    logged once, at its first failure, and once more when it recovers. `clock` gives seconds
    since the epoch (injected by tests)."""

    def __init__(
        self,
        archive: Archive,
        feeds: FeedStore,
        fetcher: Fetcher,
        *,
        every: float = EVERY,
        full_text: bool = False,
        clock: Callable[[], float] = time.time,
        on_new: Callable[[list[Article]], None] | None = None,
    ):
        self.archive = archive
        self.feeds = feeds
        self.fetcher = fetcher
        self.every = max(every, MIN_INTERVAL)
        self.full_text = full_text
        self.clock = clock
        self.on_new = on_new
        self._wake = threading.Event()
        self._stopped = threading.Event()

    def poll(self, urls: Sequence[str] | None = None, *, force: bool = False) -> CycleReport:
        """Poll the feeds that are due (`force`: also those polled over MIN_INTERVAL ago,
        unless backing off); `urls` limits it to those feeds."""
        report = CycleReport()
        for state in self._states(urls):
            now = self.clock()
            if not self._due(state, now, force):
                report.not_due += 1
                continue
            if not self.feeds.claim(state.url, now, now + 2 * self.fetcher.deadline + 60):
                report.not_due += 1  # another process is polling it right now
                continue
            report.polled += 1
            self._poll_one(state, now, report)
        if report.new and self.on_new:
            self.on_new(report.new)
        return report

    def run(
        self,
        urls: Sequence[str] | None = None,
        on_cycle: Callable[[CycleReport], None] | None = None,
    ) -> None:
        """Poll until stop(); wakes early when wake() is called (a feed was added)."""
        while not self._stopped.is_set():
            try:
                report = self.poll(urls)
                if report.polled and on_cycle:
                    on_cycle(report)
            except Exception:  # a bug or a full disk must not end the watching for good
                log.exception("A feed polling cycle failed")
            wait = min(max(self.next_due(urls) - self.clock(), 1.0), self.every)
            self._wake.wait(wait)
            self._wake.clear()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()

    def next_due(self, urls: Sequence[str] | None = None) -> float:
        """When the next feed is due (seconds since the epoch)."""
        times = [s.next_poll or 0.0 for s in self._states(urls)]
        return min(times, default=self.clock() + self.every)

    def interval(self, state: FeedState) -> float:
        ttl = min((state.ttl_minutes or 0) * 60.0, MAX_TTL)
        return max(self.every, MIN_INTERVAL, ttl)

    def _states(self, urls: Sequence[str] | None) -> list[FeedState]:
        states = self.feeds.feeds()
        if urls is None:
            return states
        wanted = set(urls)
        return [s for s in states if s.url in wanted]

    def _due(self, state: FeedState, now: float, force: bool) -> bool:
        if state.next_poll is None or now >= state.next_poll:
            return True
        recent = state.polled_at is not None and now - state.polled_at < MIN_INTERVAL
        return force and not state.failures and not recent

    def _poll_one(self, state: FeedState, now: float, report: CycleReport) -> None:
        headers = {}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        try:
            fetched = self.fetcher.get(state.url, headers)
            if fetched.status == 304:
                report.not_modified += 1
                self._succeeded(state, now, fetched.etag, fetched.last_modified)
                return
            if not looks_like_feed(fetched.data, fetched.url, fetched.content_type):
                raise InputError(f"{state.url}: not an RSS or Atom feed")
            entries = read_feed_entries(fetched.data, state.url)
        except InputError as error:
            self._failed(state, now, str(error), getattr(error, "retry_after", None), report)
            return
        except Exception as error:  # a reader bug: this feed fails, the others go on
            log.exception("Unexpected failure polling %s", state.url)
            self._failed(
                state, now, f"{state.url}: could not be read ({type(error).__name__})", None, report
            )
            return
        seen = self.feeds.entries(state.url)
        fresh: list[Article] = []
        for item in entries.items:
            if not isinstance(item, Article):
                report.failed.append(str(item))
            elif seen.get(item.id) == item.content_hash:
                report.unchanged += 1
            else:
                fresh.append(item)
        if self.full_text:
            fresh = [self._full_text(a) if a.id in entries.summary_only else a for a in fresh]
        for stored in self.archive.add(fresh):
            if stored.status == "unchanged":
                report.unchanged += 1
            else:
                {"added": report.new, "updated": report.updated}[stored.status].append(
                    stored.article
                )
        given = {a.id: a.content_hash for a in entries.items if isinstance(a, Article)}
        self._succeeded(state, now, fetched.etag, fetched.last_modified, entries.ttl_minutes, given)

    def _succeeded(self, state, now, etag, modified, ttl=None, entries=None) -> None:
        state = replace(state, ttl_minutes=ttl or state.ttl_minutes)
        failures = self.feeds.succeeded(
            state.url,
            now,
            now + self.interval(state),
            etag=etag,
            last_modified=modified,
            ttl_minutes=ttl,
            entries=entries,
        )
        if failures:
            log.warning("Feed %s works again, after %d failed poll(s)", state.url, failures)

    def _failed(self, state, now, error: str, retry_after, report: CycleReport) -> None:
        report.failed.append(error)
        backoff = min(self.interval(state) * 2 ** (state.failures + 1), MAX_BACKOFF)
        if retry_after:
            backoff = max(backoff, min(retry_after, MAX_BACKOFF))
        failures = self.feeds.failed(state.url, now, now + backoff, error)
        if failures == 1:
            log.warning(
                "Feed %s failed: %s. It is retried with growing pauses and not reported "
                "again until it works (see /feeds)",
                state.url,
                error,
            )
        else:
            log.info("Feed %s failed again (%d in a row): %s", state.url, failures, error)

    def _full_text(self, article: Article) -> Article:
        """The entry with the text of the page it links to, when that page holds more."""
        if not article.url:
            return article
        try:
            fetched = self.fetcher.get(article.url)
            found = read(
                fetched.data,
                fetched.url,
                content_type=fetched.content_type,
                charset=fetched.charset,
                url=fetched.url,
            )
        except (InputError, FetchError) as error:
            log.info("Kept the feed's summary of %s: %s", article.url, error)
            return article
        except Exception:
            log.exception("Unexpected failure reading the page %s", article.url)
            return article
        page = next((a for a in found if isinstance(a, Article)), None)
        if page is None or _size(page) <= _size(article):
            return article
        return replace(article, paragraphs=page.paragraphs)


def _size(article: Article) -> int:
    return sum(len(p.text) for p in article.paragraphs)
