"""The answering work of both chat bots: a few worker threads and a bounded queue before them.

A question is admitted if fewer than `workers + waiting` are being answered or wait to be;
beyond that the asker is told the bot is busy (`BUSY`) at once, instead of the queue growing
without bound and answers arriving minutes late. Slack's listeners submit work here from
Bolt's threads; Discord's handlers await it from the event loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

WORKERS = 4  # answering is mostly CPU (search, the relevance model): a few threads suffice
WAITING = 120  # questions that may wait for a worker: two bursts of sixty
BUSY = (
    "I am busy answering a lot of questions right now: please try again in a minute. "
    "Your question was not answered."
)


class Busy(Exception):
    """The queue is full: the question was not taken, and the asker should be told."""


class AnswerQueue:
    """A bounded pool for answering questions; one per bot, closed when the bot stops."""

    def __init__(self, workers: int = WORKERS, waiting: int = WAITING, *, name: str = "answer"):
        self.capacity = workers + waiting
        self._slots = threading.BoundedSemaphore(self.capacity)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self._lock = threading.Lock()
        self.pending = 0  # being answered or waiting to be
        self.refused = 0  # questions turned away as busy since the queue was made

    def submit(self, work: Callable[..., T], *args) -> Future[T]:
        """Start `work(*args)` on a worker, or raise Busy when the queue is full."""
        if not self._slots.acquire(blocking=False):
            with self._lock:
                self.refused += 1
            raise Busy()
        with self._lock:
            self.pending += 1
        try:
            future = self._pool.submit(work, *args)
        except BaseException:
            self._release(None)
            raise
        future.add_done_callback(self._release)
        return future

    async def run(self, work: Callable[..., T], *args) -> T:
        """From an event loop: await `work(*args)` done on a worker (Busy when full)."""
        return await asyncio.wrap_future(self.submit(work, *args))

    def _release(self, _future: Future | None) -> None:
        with self._lock:
            self.pending -= 1
        self._slots.release()

    def close(self, wait: bool = True) -> None:
        """Take no more work; with `wait`, finish what was admitted."""
        self._pool.shutdown(wait=wait)
