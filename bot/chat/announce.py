"""Announcing newly ingested stories in a news channel: which to announce, and how many an hour.

Platform-neutral: the watcher hands over each polling cycle's new articles, and `post` (the
Slack or Discord adapter) sends what the renderers make of a `NewStory` or a `MoreStories`."""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from bot.chat.announcements import Announcement, MoreStories, NewStory
from index.article import Article, Publication, domain_of
from index.errors import InputError
from index.store.articles import ArticleStore

log = logging.getLogger(__name__)

HOUR = 3600.0
MAX_HELD = 50  # stories held over for the next summary, newest kept


class Announcer:
    """Posts each new story once, at most `per_hour` messages an hour (summaries included).

    Syndicated copies of a story the archive already held, and updated articles, are not new
    stories. When a cycle brings more stories than the hour has room for, the newest are
    announced one by one and the last message of the hour's allowance lists the rest ("and 7
    more new stories"); when no room is left at all, they are held (with a log line) and listed
    in one message as soon as the hour allows. `clock` gives seconds (injected by tests)."""

    def __init__(
        self,
        store: ArticleStore,
        post: Callable[[Announcement], None],
        *,
        per_hour: int,
        where: str,
        clock: Callable[[], float] = time.time,
    ):
        self.store = store
        self.post = post
        self.per_hour = max(1, per_hour)
        self.where = where  # for log lines: "Slack channel C0NEWS"
        self.clock = clock
        self._sent: deque[float] = deque()
        self._held: list[Article] = []
        self._held_count = 0

    def cycle(self, new: Sequence[Article]) -> None:
        """After a polling cycle: announce its new stories, and any held over, as room allows."""
        stories = self.new_stories(new)
        room = self._room()
        if not stories and not self._held_count:
            return
        if room == 0:
            if stories:
                log.info(
                    "Not announcing %d new story(ies) in %s yet: %d announcements were made in "
                    "the last hour (ANNOUNCE_MAX_PER_HOUR); they will be listed in one message",
                    len(stories),
                    self.where,
                    self.per_hour,
                )
                self._hold([s.article for s in stories])
            return
        if not self._held_count and len(stories) <= room:
            one_by_one, rest = stories, []
        else:
            one_by_one, rest = stories[: room - 1], stories[room - 1 :]
        for story in one_by_one:
            self._send(story)
        self._hold([s.article for s in rest])
        if self._held_count:
            summary = MoreStories(tuple(self._held), self._held_count, self.per_hour)
            if self._send(summary):
                self._held, self._held_count = [], 0

    def new_stories(self, new: Sequence[Article]) -> list[NewStory]:
        """The stories among a cycle's new articles, newest first: an article that is a copy
        of a story the archive held before is left out, and copies arriving together are one
        story, announced from its original with the others as "also published by"."""
        originals: list[Article] = []
        copies_of: dict[str, list[Article]] = {}
        for article in {a.id: a for a in new}.values():
            original = self.store.story_of(article.id)
            if original is None:
                originals.append(article)
            else:  # a copy: its original is announced with it, or was known already
                copies_of.setdefault(original, []).append(article)
        stories = []
        for article in originals:
            known = self.store.also_published_by([article.id]).get(article.id, ())
            arrived = copies_of.get(article.id, [])
            if not set(known) <= {_publication(c) for c in arrived}:
                log.info("Not announcing %r: a copy of a story already in the archive", article.id)
                continue
            stories.append(NewStory(article, known))
        return sorted(stories, key=lambda s: _newest_first(s.article))

    def _room(self) -> int:
        now = self.clock()
        while self._sent and self._sent[0] <= now - HOUR:
            self._sent.popleft()
        return max(0, self.per_hour - len(self._sent))

    def _send(self, announcement: Announcement) -> bool:
        what = announcement.article.title if isinstance(announcement, NewStory) else "a summary"
        try:
            self.post(announcement)
        except InputError as error:  # the adapter's own words: no member, no permission
            log.warning("Could not announce %r in %s: %s", what, self.where, error)
            return False
        except Exception:
            log.exception("Could not announce %r in %s", what, self.where)
            return False
        self._sent.append(self.clock())
        if isinstance(announcement, NewStory):
            log.info("Announced %r in %s", announcement.article.title, self.where)
        else:
            log.info("Listed %d more new stories in %s", announcement.count, self.where)
        return True

    def _hold(self, articles: Sequence[Article]) -> None:
        self._held = [*self._held, *articles]
        self._held.sort(key=_newest_first)
        self._held_count += len(articles)
        del self._held[MAX_HELD:]


def _publication(article: Article) -> Publication:
    """How the store names a copy in "also published by"."""
    return Publication(article.source or domain_of(article.source_url, article.url), article.url)


def _newest_first(article: Article) -> tuple[bool, float]:
    """A sort key: dated stories newest first, undated ones after them (in arrival order)."""
    if not article.published:
        return (True, 0.0)
    try:
        moment = datetime.fromisoformat(article.published)
    except ValueError:
        return (True, 0.0)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (False, -moment.timestamp())
