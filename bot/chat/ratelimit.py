"""Per-user rate limiting for chat: a sliding one-minute window and one polite notice."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from enum import Enum


class Verdict(Enum):
    ALLOW = "allow"  # answer the question
    NOTIFY = "notify"  # over the limit: tell the user once
    DROP = "drop"  # over the limit and already told: say nothing


class RateLimiter:
    """At most `per_minute` questions per user in any 60 seconds; 0 means no limit."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic):
        self.per_minute = per_minute
        self._clock = clock
        self._asked: dict[str, deque[float]] = defaultdict(deque)
        self._told: set[str] = set()
        self._lock = threading.Lock()

    def check(self, user: str) -> Verdict:
        if self.per_minute <= 0:
            return Verdict.ALLOW
        now = self._clock()
        with self._lock:
            asked = self._asked[user]
            while asked and now - asked[0] >= 60:
                asked.popleft()
            if len(asked) < self.per_minute:
                asked.append(now)
                self._told.discard(user)
                return Verdict.ALLOW
            if user in self._told:
                return Verdict.DROP
            self._told.add(user)
            return Verdict.NOTIFY
