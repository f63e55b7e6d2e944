"""Whoosh segments written faster: postings grouped by term, lengths read once, in parallel."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor, wait
from operator import itemgetter
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.writing import NO_MERGE, SegmentWriter

_FIRST, _SECOND, _THIRD = itemgetter(0), itemgetter(1), itemgetter(2)
IDLE_SECONDS = 60.0  # a worker pool without a write for this long is stopped
PARENT_CHECK_SECONDS = 0.5
WORKER_NICENESS = 5


def open_index(folder: Path | str):
    """The Whoosh index in a folder, its segments read as files. Whoosh's default, memory-mapped
    reading copies the postings and terms of every segment into memory whenever a reader opens
    them (about 400 MB at 200,000 passages, in every process that answers or writes), for
    answers about a third faster."""
    return FileStorage(str(folder), supports_mmap=False).open_index()


class TermPool:
    """Whoosh's posting pool, grouped by term as postings arrive: at the end only the distinct
    terms are sorted, not every posting (Whoosh's own pool sorted a tuple per posting: a tenth
    of all indexing time). It never spills to disk, so a writer using it holds its postings in
    memory: fine for one commit's passages, not for merging a whole index (see `compact`)."""

    def __init__(self):
        self.groups: dict[tuple[str, bytes], list] = {}
        self.fieldnames: set[str] = set()
        self.in_order = True  # every term's postings in document order, as they arrived
        self._last = -1

    def add(self, item) -> None:
        fieldname, tbytes, docnum, weight, vbytes = item
        if docnum < self._last:  # merged segments arrive term by term, not document by document
            self.in_order = False
        self._last = docnum
        group = self.groups.get((fieldname, tbytes))
        if group is None:
            self.groups[(fieldname, tbytes)] = [(docnum, weight, vbytes)]
            self.fieldnames.add(fieldname)
        else:
            group.append((docnum, weight, vbytes))

    def cleanup(self) -> None:
        self.groups = {}


class PassageSegmentWriter(SegmentWriter):
    """Whoosh's SegmentWriter with a TermPool, whose postings it writes a term at a time, and
    every field's lengths read once (Whoosh's reads one from disk per posting).
    tests/test_segments.py holds its segments equal to Whoosh's own."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self.pool = TermPool()

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = _LengthsInMemory(self.per_document_reader(), self.docnum)
        try:
            if not self.pool.in_order:
                for postings in self.pool.groups.values():
                    postings.sort(key=_FIRST)
            _write_postings(self.fieldwriter, self.schema, self.pool.groups, lengths)
            self.fieldwriter.close()
        finally:
            lengths.close()


def _write_postings(fieldwriter, schema, groups: dict, lengths) -> None:
    """What Whoosh's FieldWriter.add_postings writes, a term's postings at a time instead of
    one call per posting (a fifth of all indexing time went to those calls and their checks)."""
    terms_of: dict[str, list] = {}
    for (fieldname, tbytes), postings in groups.items():
        terms_of.setdefault(fieldname, []).append((tbytes, postings))
    for fieldname in sorted(terms_of):
        fieldwriter.start_field(fieldname, schema[fieldname])
        length_of = lengths.doc_field_length_reader(fieldname)
        for tbytes, postings in sorted(terms_of[fieldname], key=_FIRST):
            fieldwriter.start_term(tbytes)
            _add_postings(fieldwriter._postwriter, postings, length_of)
            fieldwriter.finish_term()
        fieldwriter.finish_field()


def _add_postings(postwriter, postings: list, length_of) -> None:
    """W3PostingsWriter.add_posting for each of a term's postings, a block at a time: a full
    block is written when the next posting arrives, the last by finish_postings."""
    limit = postwriter._blocklimit
    for start in range(0, len(postings), limit):
        if start:
            postwriter._write_block()
        block = postings[start : start + limit]
        docnums = list(map(_FIRST, block))
        weights = list(map(_SECOND, block))
        postwriter._ids.extend(docnums)
        postwriter._weights.extend(weights)
        postwriter._values.extend(filter(None, map(_THIRD, block)))
        postwriter._maxweight = max(postwriter._maxweight, *weights)
        found = list(filter(None, map(length_of, docnums)))
        if found:
            low = min(found)
            if postwriter._minlength is None or low < postwriter._minlength:
                postwriter._minlength = low
            postwriter._maxlength = max(postwriter._maxlength, *found)


class _LengthsInMemory:
    """A segment's field lengths, each field's read into a list at its first use."""

    def __init__(self, reader, doc_count: int):
        self._reader = reader
        self._doc_count = doc_count

    def doc_field_length_reader(self, fieldname: str):
        read = self._reader.doc_field_length_reader(fieldname)
        return list(map(read, range(self._doc_count))).__getitem__

    def close(self) -> None:
        self._reader.close()


class SegmentWorkers:
    """Processes that write new segments, one chunk of documents each. They are kept between
    writes, so that each keeps its word-to-term cache warm (a fresh process analyzes every word
    anew: a tenth of all indexing time), and stopped after IDLE_SECONDS without a write."""

    def __init__(self, procs: int):
        self.procs = procs
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._idle: threading.Timer | None = None

    def submit(self, folder: Path, chunks: list[list[dict]]) -> list[Future]:
        """Start writing one new segment per chunk (at most `procs` chunks); `collect` them.
        The segments are not in the index until a commit adopts them (`adopting`)."""
        with self._lock:
            if self._idle is not None:
                self._idle.cancel()
            if self._pool is None:
                # fork, as Whoosh's own parallel writer: nothing to import again. All the
                # processes start now, before the pool starts a thread of its own.
                self._pool = ProcessPoolExecutor(
                    max_workers=self.procs,
                    mp_context=multiprocessing.get_context("fork"),
                    initializer=_start_worker,
                    initargs=(os.getpid(),),
                )
            return [self._pool.submit(_segment_of, str(folder), chunk) for chunk in chunks]

    def collect(self, futures: list[Future], errors: str = "raise") -> list:
        """The segments the submitted chunks became, once all are written. A worker's error
        is raised (after every worker has stopped), unless `errors` is "ignore"."""
        try:
            wait(futures)
            return [f.result() for f in futures] if errors == "raise" else []
        finally:
            with self._lock:
                if self._idle is not None:
                    self._idle.cancel()
                self._idle = threading.Timer(IDLE_SECONDS, self.close)
                self._idle.daemon = True
                self._idle.start()

    def close(self) -> None:
        with self._lock:
            if self._idle is not None:
                self._idle.cancel()
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown()


def adopting(segments: list):
    """A Whoosh merge policy that merges nothing and adds these finished segments."""

    def policy(writer, existing):
        return NO_MERGE(writer, existing) + list(segments)

    return policy


def _start_worker(parent: int) -> None:
    """In a worker: yield the processor to the parent, and end when the parent does.

    The parent stores the next part while the workers index one: it is the slower of the two,
    so it goes first. A worker outliving a killed parent would hold the writer locks it
    inherited, and nobody could write to the archive again."""
    os.nice(WORKER_NICENESS)

    def watch():
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _segment_of(folder: str, documents: list[dict]):
    writer = PassageSegmentWriter(open_index(folder), _lk=False)
    # On failure, no writer.cancel(): it would delete the temporary folder every writer of
    # the index shares. The parent's writer clears it, and its next commit the orphan files.
    for document in documents:
        writer.add_document(**document)
    return writer._finalize_segment()
