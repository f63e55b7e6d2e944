"""One writer at a time across threads and processes: a file lock freed when its holder dies."""

from __future__ import annotations

import errno
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from index.errors import ArchiveBusy

log = logging.getLogger(__name__)

WRITE_WAIT = 600.0  # seconds a write waits for other writers before it gives up with a message

_POLL_FIRST = 0.002  # seconds between tries while another process writes, doubling up to
_POLL_MOST = 0.02  # this: short, so a waiter gets its turn in the gap between two batches


class WriterLock:
    """An exclusive lock on a file: threads of this process queue for it, then processes do.

    It is `flock`-based, so the operating system releases it when the holding process ends in
    any way (SIGKILL included): a crashed writer never leaves the data locked. Re-entrant for
    the thread holding it.
    """

    def __init__(self, path: Path):
        self.path = path
        self._threads = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    def acquire(self, timeout: float | None = None) -> bool:
        """Take the lock, waiting at most `timeout` seconds (None: as long as it takes)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        if not self._threads.acquire(timeout=-1 if timeout is None else max(timeout, 0)):
            return False
        if self._depth:
            self._depth += 1
            return True
        try:
            fd = _open(self.path)
            delay, told = _POLL_FIRST, False
            while not _try_lock(fd):
                if deadline is not None and time.monotonic() >= deadline:
                    os.close(fd)
                    self._threads.release()
                    return False
                if not told:
                    log.info("Waiting for another process to finish writing (%s)", self.path)
                    told = True
                time.sleep(delay)
                delay = min(delay * 2, _POLL_MOST)
        except BaseException:
            self._threads.release()
            raise
        self._fd, self._depth = fd, 1
        return True

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            _unlock(self._fd)  # explicitly: a child process may hold a copy of the descriptor
            os.close(self._fd)
            self._fd = None
        self._threads.release()

    @contextmanager
    def held(self, timeout: float | None = None) -> Iterator[bool]:
        """`with lock.held(t) as got:` got is False when the lock was busy for `t` seconds."""
        got = self.acquire(timeout)
        try:
            yield got
        finally:
            if got:
                self.release()


def _open(path: Path) -> int:
    return os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)


def _try_lock(fd: int) -> bool:
    import fcntl  # POSIX; the project runs on Linux and macOS

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        if error.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise
    return True


def _unlock(fd: int) -> None:
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


class WriterSlot:
    """The archive's one writer slot (store and passage index together), on a WriterLock."""

    def __init__(self, path: Path):
        self._lock = WriterLock(path)

    @contextmanager
    def exclusive(self, wait: float | None = WRITE_WAIT) -> Iterator[bool]:
        """Hold the slot: threads of this process queue, other processes are waited for. With
        `wait=0`, yields False at once if another writer holds it; otherwise raises ArchiveBusy
        after `wait` seconds (None: waits as long as it takes)."""
        with self._lock.held(wait) as got:
            if not got and wait != 0:
                raise ArchiveBusy(
                    f"another process has been writing to the archive for over {wait:.0f} "
                    "seconds; nothing was lost: try again later"
                )
            yield got
