"""The one seam to Whoosh's internals: a faster segment writer, its worker processes, and
searchers with lengths in memory, used only on the Whoosh they were written against.

Every use of a private Whoosh name (codec readers, the postings writer's buffers,
`_finalize_segment`, `_lk`) is in this module and nowhere else. At import it checks that the
installed Whoosh is `WHOOSH`, the release this code was written and tested against, and that
the names it needs are there; if not, FAST_PATH is False and the index uses Whoosh's own
writer and searcher instead (slower, and the same answers), saying so once in the log.
Setting `index.search.segments.FAST_PATH = False` turns the fast path off the same way (the tests
use it to hold the two paths to the same answers). After upgrading Whoosh on purpose,
tests/test_segments.py says whether the fast path still writes exactly what Whoosh writes;
then move `WHOOSH` to the new release.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor, wait
from functools import lru_cache
from importlib import metadata
from operator import itemgetter
from pathlib import Path

from whoosh import fields, formats
from whoosh.analysis import IDTokenizer
from whoosh.columns import NumericColumn
from whoosh.filedb.filestore import FileStorage
from whoosh.system import pack_uint
from whoosh.writing import NO_MERGE, SegmentWriter

from index.search.schema import PassageText

try:  # Whoosh's codec module: private, and the first thing a new release may move
    from whoosh.codec import whoosh3
except ImportError:  # pragma: no cover (another Whoosh): the fast path stays off
    whoosh3 = None

log = logging.getLogger(__name__)

WHOOSH = ("whoosh3", "3.54.0")  # the distribution and release this module was written against
# What the fast path reaches inside Whoosh: (object, attribute) pairs checked at import.
# (The postings writer's buffers are attributes of its instances; tests/test_segments.py
# checks them by comparing whole segments with Whoosh's own.)
_NEEDS = (
    (whoosh3, "W3PerDocReader"),
    (whoosh3, "W3PostingsWriter"),
    (whoosh3, "LENGTHS_COLUMN"),
    (whoosh3, "_lenfield"),
    (SegmentWriter, "_finalize_segment"),
    (SegmentWriter, "_flush_segment"),
    (SegmentWriter, "_check_state"),
    (SegmentWriter, "_check_fields"),
    (SegmentWriter, "per_document_reader"),
)
_FIRST, _SECOND, _THIRD = itemgetter(0), itemgetter(1), itemgetter(2)
IDLE_SECONDS = 60.0  # a worker pool without a write for this long is stopped
PARENT_CHECK_SECONDS = 0.5
WORKER_NICENESS = 5
# Workers are forked from a server process started for the purpose, never from the caller:
# the caller may be a bot already running Slack, Discord and feed-watcher threads, and a
# child forked from it inherits their locks in whatever state they were (a held lock is
# never released in the child) and every file the caller has open. The server is started
# from a clean interpreter that imports only this module; see START_METHOD's cost in
# README's *Speed*.
START_METHOD = "forkserver"


def whoosh_problem(installed: str | None = None) -> str | None:
    """Why the fast path must not be used with the installed Whoosh, or None if it may.
    `installed`: the release to judge instead of the installed one."""
    name, release = WHOOSH
    if installed is None:
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            return f"{name} is not installed (another distribution provides whoosh)"
    if installed != release:
        return f"{name} {installed} is installed; the fast segment writer was written for {release}"
    missing = [
        f"{getattr(owner, '__name__', owner)}.{attr}"
        for owner, attr in _NEEDS
        if not hasattr(owner, attr)
    ]
    if missing:
        return f"{name} {installed} lacks {', '.join(missing)}"
    return None


_PROBLEM = whoosh_problem()
FAST_PATH = _PROBLEM is None  # the switch: False -> Whoosh's own writer and searcher
_warned = threading.Event()


def fast_path() -> bool:
    """Whether to use this module's writer, workers and searcher (FAST_PATH, read at each
    use); when not, says once per process why, in the log."""
    if FAST_PATH:
        return True
    if not _warned.is_set():
        _warned.set()
        log.warning(
            "Writing the search index with Whoosh's own writer, slower: %s",
            _PROBLEM or "the fast segment writer is turned off (index.search.segments.FAST_PATH)",
        )
    return False


def writer_kind():
    """The writer class for a commit written in this process."""
    return PassageSegmentWriter if fast_path() else SegmentWriter


def lengths_in_memory(reader, fieldname: str) -> bool:
    """Whether a searcher's segment reader holds a field's lengths in memory (`searcher`)."""
    readers = getattr(getattr(reader, "_perdoc", None), "_readers", {})
    return isinstance(readers.get(f"_{fieldname}_len"), bytes)  # whoosh3._lenfield's key


def open_index(folder: Path | str):
    """The Whoosh index in a folder, its segments read as files. Whoosh's default, memory-mapped
    reading copies the postings and terms of every segment into memory whenever a reader opens
    them (about 400 MB at 200,000 passages, in every process that answers or writes), for
    answers about a third faster."""
    return FileStorage(str(folder), supports_mmap=False).open_index()


def searcher(ix, weighting):
    """A searcher whose segments' field lengths are in memory. BM25 reads a document's length
    for every posting it scores; read from the file, each is a seek and a read (a fifth of all
    answering time at 200,000 passages). About a byte per passage and field."""
    found = ix.searcher(weighting=weighting)
    if not fast_path():
        return found
    for reader, _ in found.reader().leaf_readers():
        perdoc = getattr(reader, "_perdoc", None)
        if not isinstance(perdoc, whoosh3.W3PerDocReader):
            continue
        for fieldname, field in reader.schema.items():
            key = whoosh3._lenfield(fieldname)
            column = perdoc._cached_reader(key, whoosh3.LENGTHS_COLUMN)
            if field.scorable and isinstance(column, NumericColumn.Reader):
                perdoc._readers[key] = _lengths(column, perdoc.doc_count_all())
    return found


def _lengths(column, doc_count: int) -> bytes:
    """A length column's bytes, one per document (documents past its end have none: 0)."""
    written = column._dbfile.get(column._basepos, column._count) if column._count else b""
    return written[:doc_count] + bytes(max(0, doc_count - len(written)))


class TermPool:
    """Whoosh's posting pool, grouped by term as postings arrive: at the end only the distinct
    terms are sorted, not every posting (Whoosh's own pool sorted a tuple per posting: a tenth
    of all indexing time). A new document's terms come as counts (`add_counts`), kept as two
    lists per term, their bytes and weights made once per term when the segment is written;
    merged segments' postings come one by one as Whoosh makes them (`add`). It never spills to
    disk, so a writer using it holds its postings in memory: fine for one commit's passages,
    not for merging a whole index (see `compact`)."""

    def __init__(self):
        self.groups: dict[tuple[str, bytes], list] = {}  # Whoosh's (docnum, weight, vbytes)
        self.counted: dict[str, dict[str, tuple[list[int], list[int]]]] = {}
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
        else:
            group.append((docnum, weight, vbytes))

    def add_counts(self, fieldname: str, counts: dict[str, int], docnum: int) -> None:
        """One document's terms in one field, each with its frequency."""
        if docnum < self._last:
            self.in_order = False
        self._last = docnum
        terms = self.counted.get(fieldname)
        if terms is None:
            terms = self.counted[fieldname] = {}
        get = terms.get
        for term, freq in counts.items():
            postings = get(term)
            if postings is None:
                terms[term] = ([docnum], [freq])
            else:
                postings[0].append(docnum)
                postings[1].append(freq)

    def by_field(self, schema) -> dict[str, list[tuple[bytes, tuple[list, list, list]]]]:
        """{field name: [(term bytes, (docnums, weights, values))]}, terms in order and each
        term's postings in document order, as Whoosh's format would have made them."""
        fields: dict[str, dict[bytes, tuple[list, list, list]]] = {}
        for fieldname, terms in self.counted.items():
            columns = _columns_maker(schema[fieldname].format)
            found = fields.setdefault(fieldname, {})
            for term, (docnums, freqs) in terms.items():
                found[term.encode("utf8")] = columns(docnums, freqs)
        for (fieldname, tbytes), postings in self.groups.items():
            found = fields.setdefault(fieldname, {})
            if tbytes in found:  # a merge into a segment with new documents: rare, not fast
                docnums, weights, values = found[tbytes]
                postings = postings + list(
                    zip(docnums, weights, values or [b""] * len(docnums), strict=True)
                )
                postings.sort(key=_FIRST)
            elif not self.in_order:
                postings.sort(key=_FIRST)
            found[tbytes] = (
                list(map(_FIRST, postings)),
                list(map(_SECOND, postings)),
                list(filter(None, map(_THIRD, postings))),
            )
        # Only fields with terms: Whoosh registers a field in the terms file (giving it the
        # next field number) at its first posting, so a field with none is never registered.
        return {name: sorted(terms.items(), key=_FIRST) for name, terms in fields.items() if terms}

    def cleanup(self) -> None:
        self.groups = {}
        self.counted = {}


@lru_cache(maxsize=4096)
def _packed_frequency(freq: int) -> bytes:
    return pack_uint(freq)


def _columns_maker(format_):
    """(docnums, freqs) -> (docnums, weights, values) as Whoosh's format makes them of terms
    counted in documents without boosts."""
    boost = format_.field_boost
    if type(format_) is formats.Existence:
        return lambda docnums, freqs: (docnums, [boost] * len(docnums), [])
    assert type(format_) is formats.Frequency, format_
    return lambda docnums, freqs: (
        docnums,
        list(map(boost.__mul__, freqs)),
        list(map(_packed_frequency, freqs)),
    )


class PassageSegmentWriter(SegmentWriter):
    """Whoosh's SegmentWriter with a TermPool, whose postings it writes a term at a time, and
    every field's lengths read once (Whoosh's reads one from disk per posting). Fields that
    can count their terms (`counts`) hand the pool a document's counts at once.
    tests/test_segments.py holds its segments equal to Whoosh's own."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self.pool = TermPool()
        self._plain = not any(f.separate_spelling() or f.vector for _, f in self.schema.items())

    def add_document(self, **fields):
        if not self._plain or any(name.startswith("_") for name in fields):
            return super().add_document(**fields)  # boosts, custom stored values, spellings
        self._check_state()
        schema, perdocwriter, docnum = self.schema, self.perdocwriter, self.docnum
        fieldnames = sorted(fields)
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields[fieldname]
                if value is None:
                    continue
                field = schema[fieldname]
                length = self._index_field(fieldname, field, value, docnum) if field.indexed else 0
                perdocwriter.add_field(fieldname, field, value if field.stored else None, length)
                if field.column_type:
                    column_value = field.to_column_value(value)
                    perdocwriter.add_column_value(fieldname, field.column_type, column_value)
        except ValueError:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _index_field(self, fieldname: str, field, value, docnum: int) -> int:
        """Pool a field's postings; returns its length (0 for a field that is not scored)."""
        counts = _counts(field, value)
        if counts is not None:
            self.pool.add_counts(fieldname, counts, docnum)
            return sum(counts.values()) if field.scorable else 0
        length = 0
        for tbytes, freq, weight, vbytes in field.index(value):
            length += freq
            self.pool.add((fieldname, tbytes, docnum, weight, vbytes))
        return length if field.scorable else 0

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = _LengthsInMemory(self.per_document_reader(), self.docnum)
        try:
            _write_postings(self.fieldwriter, self.schema, self.pool.by_field(self.schema), lengths)
            self.fieldwriter.close()
        finally:
            lengths.close()


def _counts(field, value) -> dict[str, int] | None:
    """A value's terms and their frequencies, where the field can tell them without tokens."""
    if isinstance(field, PassageText):
        return field.counts(value)
    if (
        type(field) is fields.ID
        and type(field.analyzer) is IDTokenizer
        and type(field.format) is formats.Existence
        and isinstance(value, str)
    ):
        return {value: 1}
    return None


def _write_postings(fieldwriter, schema, terms_of: dict, lengths) -> None:
    """What Whoosh's FieldWriter.add_postings writes, a term's postings at a time instead of
    one call per posting (a fifth of all indexing time went to those calls and their checks)."""
    for fieldname in sorted(terms_of):
        fieldwriter.start_field(fieldname, schema[fieldname])
        length_of = lengths.doc_field_length_reader(fieldname)
        for tbytes, postings in terms_of[fieldname]:
            fieldwriter.start_term(tbytes)
            _add_postings(fieldwriter._postwriter, postings, length_of)
            fieldwriter.finish_term()
        fieldwriter.finish_field()


def _add_postings(postwriter, postings: tuple[list, list, list], length_of) -> None:
    """W3PostingsWriter.add_posting for each of a term's postings, a block at a time: a full
    block is written when the next posting arrives, the last by finish_postings."""
    all_docnums, all_weights, all_values = postings
    limit = postwriter._blocklimit
    for start in range(0, len(all_docnums), limit):
        if start:
            postwriter._write_block()
        docnums = all_docnums[start : start + limit]
        weights = all_weights[start : start + limit]
        postwriter._ids.extend(docnums)
        postwriter._weights.extend(weights)
        postwriter._values.extend(all_values[start : start + limit])
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
        self._alive = None

    def submit(self, folder: Path, chunks: list[list[dict]]) -> list[Future]:
        """Start writing one new segment per chunk (at most `procs` chunks); `collect` them.
        The segments are not in the index until a commit adopts them (`adopting`)."""
        with self._lock:
            if self._idle is not None:
                self._idle.cancel()
            if self._pool is None:
                # Each worker holds the reading end of a pipe whose writing end only this
                # process holds: when this process ends, in any way, the workers read EOF.
                self._alive = multiprocessing.Pipe(duplex=False)
                self._pool = ProcessPoolExecutor(
                    max_workers=self.procs,
                    mp_context=_worker_context(),
                    initializer=_start_worker,
                    initargs=(os.getpid(), self._alive[0]),
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
            alive, self._alive = self._alive, None
        if pool is not None:
            pool.shutdown()
        for end in alive or ():
            end.close()


def adopting(segments: list, merge=NO_MERGE):
    """A Whoosh merge policy that adds these finished segments to those `merge` keeps of the
    index's own (Whoosh's NO_MERGE keeps them all)."""

    def policy(writer, existing):
        return merge(writer, existing) + list(segments)

    return policy


def _worker_context():
    """The multiprocessing context workers start in (START_METHOD). A fork server is told to
    import this module once, so that each worker forked from it starts with it loaded."""
    context = multiprocessing.get_context(START_METHOD)
    if START_METHOD == "forkserver":
        context.set_forkserver_preload([__name__])
    return context


def _start_worker(parent: int, alive) -> None:
    """In a worker: yield the processor to the parent, and end when the parent does.

    The parent stores the next part while the workers index one: it is the slower of the two,
    so it goes first. A worker outliving a killed parent would go on writing files nobody
    adopts and, forked from the parent itself (START_METHOD "fork"), hold the writer lock it
    inherited, so that nobody could write to the archive again. A forked worker holds the
    pipe's writing end too, so it watches its parent's id instead (a worker of a fork server
    is the server's child, and the server lives as long as its children)."""
    os.nice(WORKER_NICENESS)

    def watch():
        if START_METHOD == "fork":
            while os.getppid() == parent:
                time.sleep(PARENT_CHECK_SECONDS)
        else:
            with contextlib.suppress(EOFError, OSError):
                alive.recv()
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _segment_of(folder: str, documents: list[dict]):
    writer = PassageSegmentWriter(open_index(folder), _lk=False)
    # On failure, no writer.cancel(): it would delete the temporary folder every writer of
    # the index shares. The parent's writer clears it, and its next commit the orphan files.
    for document in documents:
        writer.add_document(**document)
    return writer._finalize_segment()
