"""Commits to the passage index: deletions and new passages, big ones written by worker
processes while the caller goes on with other work."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Collection, Iterable
from contextlib import AbstractContextManager, ExitStack
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import writing

from index.article import Article
from index.errors import ArchiveBusy
from index.locks import WRITE_WAIT
from index.search.segments import SegmentWorkers, adopting, fast_path, writer_kind

PARALLEL_FROM = 2000  # passages in one write from which it is split among processes
MAX_PROCS = 4
MERGE_WIDTH = 4
SETTLED_SEGMENT = 2000  # passages from which a segment is merged only by compact()


class Commit:
    """One commit, begun at creation and on disk (fsync) when finish() returns.

    It holds the index's writer slot from start to end. A small one (under PARALLEL_FROM
    passages, or a rebuild) is written at once in this process, merging tiers of small
    segments; a big one is split among the worker processes, each writing a segment of its
    own that is left unmerged (merging them again would cost as much as writing them), and
    finish() waits for them and commits their segments with the deletions in one step.
    Without the fast path (index/search/segments.py: another Whoosh release, or turned off), every
    commit is written at once in this process by Whoosh's own writer."""

    def __init__(
        self,
        ix,
        workers: SegmentWorkers,
        exclusive: Callable[[], AbstractContextManager],
        articles: Iterable[Article],
        delete: Iterable[str],
        *,
        only: bool = False,
        unseen: Collection[str] = (),
    ):
        self._ix = ix
        self._workers = workers
        self._folder = Path(ix.storage.folder)
        articles = list(articles)
        documents = [document(a, n, p) for a in articles for n, p in enumerate(a.paragraphs, 1)]
        self._expected = len(documents)
        self._writer = self._futures = None
        self._slot = ExitStack()
        self._slot.enter_context(exclusive())
        replaced = [a.id for a in articles if a.id not in unseen]
        try:
            self._before = set(os.listdir(self._folder))
            parallel = workers.procs > 1 and len(documents) >= PARALLEL_FROM and not only
            if parallel and fast_path():
                self._writer = self._open(writing.SegmentWriter)
                _delete(self._writer, [*delete, *replaced])
                self._futures = workers.submit(self._folder, split_evenly(documents, workers.procs))
            else:
                self._write_here([*delete, *replaced], documents, only)
        except BaseException:
            self.cancel()
            raise

    def finish(self) -> None:
        """Wait for the workers, commit, and flush the new files to disk."""
        try:
            if self._futures is not None:
                segments = self._workers.collect(self._futures)
                written = sum(segment.doc_count_all() for segment in segments)
                if written != self._expected:  # never seen: a failed worker would have raised
                    raise RuntimeError(f"{written} of {self._expected} passages were written")
                writer, self._writer = self._writer, None
                writer.commit(mergetype=adopting(segments, merge=merge_tiers))
            sync_folder(self._folder, set(os.listdir(self._folder)) - self._before)
        except BaseException:
            self.cancel()
            raise
        self._slot.close()

    def cancel(self) -> None:
        """Give the commit up: the index stays as it was (workers' files become orphans that
        the next commit deletes)."""
        try:
            if self._futures is not None:
                self._workers.collect(self._futures, errors="ignore")
            if self._writer is not None:
                self._writer.cancel()
                self._writer = None
        finally:
            self._slot.close()

    def _write_here(self, delete: list[str], documents: list[dict], only: bool) -> None:
        writer = self._open(writer_kind())
        try:
            _delete(writer, delete)
            for fields in documents:
                writer.add_document(**fields)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=writing.CLEAR if only else merge_tiers)

    def _open(self, kind):
        try:  # Whoosh's own lock is free: every writer of ours holds ours first
            return kind(self._ix, timeout=WRITE_WAIT)
        except whoosh_index.LockError:
            raise ArchiveBusy("another program is writing to the search index") from None


def split_evenly(items: list, parts: int) -> list[list]:
    """The items in `parts` runs, in order, their sizes at most one apart."""
    size = len(items)
    return [items[size * i // parts : size * (i + 1) // parts] for i in range(parts)]


def _delete(writer, article_ids: Iterable[str]) -> None:
    for article_id in article_ids:
        writer.delete_by_term("article", article_id)


def document(article: Article, number: int, paragraph) -> dict:
    """The index document of one paragraph: its text and its article's citation fields."""
    return {
        "passage": f"{article.id}/{number}",
        "article": article.id,
        "version": f"{article.id}@{article.content_hash}",
        "paragraph": number,
        "body": paragraph.text,
        "heading": paragraph.heading or "",
        "title": article.title,
        "author": article.author or "",
        "source": article.source or "",
        "source_url": article.source_url,
        "url": article.url,
        "published": article.published,
        "day": (article.published or "")[:10],
        "updated": article.updated,
    }


def merge_tiers(writer, segments):
    """Whoosh merge policy: whenever MERGE_WIDTH small segments of about the same size (a power
    of MERGE_WIDTH apart) pile up, they become one. Searching many small segments is slow, and
    merging everything at every commit is slower; this merges each passage only a few times.
    Segments of SETTLED_SEGMENT passages or more are left to `compact`: a Whoosh merge costs as
    much as writing them anew, and a small write must never wait for that. Every commit applies
    it (the workers' too: each big ingest's first part leaves small segments), and merges at
    most MERGE_WIDTH segments of a tier at once, so that no commit ever merges a pile: an
    import of millions of passages once merged a hundred small segments in its last commit,
    in 95 seconds and 2 GB of memory."""
    from whoosh.reading import SegmentReader

    tiers: dict[int, list] = {}
    keep = []
    for segment in segments:
        size = max(segment.doc_count(), 1)
        if size >= SETTLED_SEGMENT:
            keep.append(segment)
            continue
        tiers.setdefault(int(math.log(size, MERGE_WIDTH)), []).append(segment)
    for group in tiers.values():
        if len(group) >= MERGE_WIDTH:
            keep += group[MERGE_WIDTH:]
            for segment in group[:MERGE_WIDTH]:
                reader = SegmentReader(writer.storage, writer.schema, segment)
                try:
                    writer.add_reader(reader)
                finally:
                    reader.close()
        else:
            keep += group
    return keep


def sync_folder(folder: Path, names: Collection[str] | None = None) -> None:
    """Flush the index's files (those named, else all) and folder to disk: Whoosh itself never
    calls fsync, and files it wrote earlier never change again."""
    for entry in os.scandir(folder):
        if entry.is_file(follow_symlinks=False) and (names is None or entry.name in names):
            fd = os.open(entry.path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
