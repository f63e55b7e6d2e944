"""Sources (files, directories, URLs) -> articles in the archive; one bad source fails alone."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from index.archive import Archive
from index.article import Article
from index.errors import InputError, ReadError
from index.fetch import Fetcher
from index.ingest.report import Ingested, IngestReport
from index.readers import SUFFIX_FORMATS, format_for, read, sniff
from index.readers.mapping import FieldMapping
from index.readers.rewound import Rewound
from index.readers.stream import HEAD_BYTES, LeftOut, read_records, streamable

log = logging.getLogger(__name__)

DEFAULT_MAX_ARTICLE_BYTES = 5_000_000
# Passages read, stored and indexed while the archive's writer slot is held (fewer if the
# sources end): between two batches, other writers (feeds, chat commands) get their turn.
BATCH_PASSAGES = 50_000
PROGRESS_EVERY = 200  # records between two progress reports


@dataclass
class Progress:
    """How far an ingest has come: sources and records done, bytes read of local files."""

    sources: int = 0
    records: int = 0
    bytes_read: int = 0


def expand(sources: Iterable[str]) -> tuple[list[str], list[str]]:
    """(sources to read, files skipped): directories become the article files inside them."""
    found: list[str] = []
    skipped: list[str] = []
    for source in sources:
        path = Path(source)
        if source == "-" or is_url(source) or not path.is_dir():
            found.append(source)
            continue
        for child in sorted(path.rglob("*")):
            relative = child.relative_to(path)
            if any(part.startswith(".") for part in relative.parts) or not child.is_file():
                continue
            if child.suffix.lower() in SUFFIX_FORMATS:
                found.append(str(child))
            else:
                skipped.append(str(child))
    return found, skipped


def ingest(
    archive: Archive,
    sources: Iterable[str],
    *,
    fetcher: Fetcher | None = None,
    max_bytes: int = DEFAULT_MAX_ARTICLE_BYTES,
    mapping: FieldMapping | None = None,
    stdin: BinaryIO | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> IngestReport:
    """Read every source and store what it holds; bad sources and records are reported, never
    fatal. "-" is `stdin`. `max_bytes` limits one article (and one download), not a file of
    many articles: those are read record by record, whatever their size."""
    started = time.monotonic()
    fetcher = fetcher or Fetcher(max_bytes=max_bytes)
    files, skipped = expand(sources)
    report = IngestReport(skipped=skipped)
    reading = _Reading(fetcher, max_bytes, mapping, stdin, report, on_progress)
    articles = reading.articles(files)
    ended = False

    def batch() -> Iterator[Article]:  # read by the archive as it stores them
        nonlocal ended
        waiting = 0  # passages in the batch
        for article in articles:
            yield article
            waiting += len(article.paragraphs)
            if waiting >= BATCH_PASSAGES:
                return
        ended = True

    while not ended:
        for stored in archive.add(batch()):
            report.record(stored.status, Ingested.of(stored.article))
    report.seconds = time.monotonic() - started
    return report


class _Reading:
    """The articles of the sources, in order; what cannot be read goes to the report."""

    def __init__(self, fetcher, max_bytes, mapping, stdin, report, on_progress):
        self.fetcher, self.max_bytes, self.mapping = fetcher, max_bytes, mapping
        self.stdin, self.report, self.on_progress = stdin, report, on_progress
        self.progress = Progress()
        self._done_bytes = 0  # bytes of the sources finished
        self._file: _Metered | None = None  # the local file being read

    def articles(self, sources: list[str]) -> Iterator[Article]:
        for source in sources:
            try:
                items = self._read(source)
                for item in items:
                    if isinstance(item, LeftOut):
                        self.report.record("notes", str(item))
                        continue
                    self._count(item)
                    if isinstance(item, Article):
                        yield item
            except InputError as error:
                self._count(error)
            except Exception as error:  # a reader bug must not stop the other sources
                log.exception("Unexpected failure reading %s", source)
                self._count(ReadError(source, f"could not be read ({type(error).__name__})"))
            if self._file:
                self._done_bytes += self._file.read_bytes
                self._file = None
            self.progress.sources += 1
            self.progress.bytes_read = self._done_bytes
            if self.on_progress:
                self.on_progress(self.progress)

    def _count(self, item: Article | InputError) -> None:
        self.progress.records += 1
        self.report.records += 1
        if isinstance(item, Article):
            for note in item.notes:
                self.report.record("notes", f"{item.origin}: {note}")
        else:
            self.report.record("failed", str(item))
        if self.on_progress and self.progress.records % PROGRESS_EVERY == 0:
            if self._file:
                self.progress.bytes_read = self._done_bytes + self._file.read_bytes
            self.on_progress(self.progress)

    def _read(self, source: str) -> Iterable[Article | InputError]:
        if source == "-":
            if self.stdin is None:
                raise ReadError("standard input", "not available to read")
            return self._records(self.stdin, "standard input", "jsonl")
        if is_url(source):
            return read_source(source, self.fetcher, self.max_bytes, self.mapping)
        path = Path(source)
        if not path.exists():
            raise ReadError(source, "no such file or directory")
        if not path.is_file():  # a FIFO or a device (/dev/zero) would block or never end
            raise ReadError(source, "not a regular file")
        try:
            file = path.open("rb")
        except OSError as error:
            raise ReadError(source, f"could not be read ({error.strerror})") from None
        return self._records(file, source, None, close=True)

    def _records(self, file: BinaryIO, name: str, kind: str | None, close: bool = False):
        self._file = metered = _Metered(file)
        try:
            yield from read_file(
                metered, name, max_bytes=self.max_bytes, mapping=self.mapping, kind=kind
            )
        finally:
            if close:
                file.close()


def read_file(
    file: BinaryIO,
    name: str,
    *,
    max_bytes: int,
    mapping: FieldMapping | None = None,
    kind: str | None = None,
) -> Iterator[Article | InputError | LeftOut]:
    """The articles of one open file as it is read: record by record for a file of many
    (JSON Lines, JSON arrays, feeds, WordPress exports), else whole, within `max_bytes`.
    `kind`: the format to assume when neither the name nor the first bytes tell."""
    try:
        head = file.read(HEAD_BYTES)
        kind = format_for(name) or kind or sniff(head)
        whole = Rewound(head, file)
        if streamable(kind, head):
            yield from read_records(whole, name, kind, head, max_bytes=max_bytes, mapping=mapping)
            return
        data = whole.read(max_bytes + 1)  # the file may grow after a stat(): read no more
        if len(data) > max_bytes:
            yield ReadError(name, f"over the {max_bytes:,}-byte limit per article")
            return
        yield from read(data, name, mapping=mapping)
    except InputError as error:
        yield error
    except OSError as error:
        yield ReadError(name, f"could not be read ({error.strerror or error})")


class _Metered:
    """A binary file that counts the bytes read from it."""

    def __init__(self, file: BinaryIO):
        self._file = file
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        self.read_bytes += len(data)
        return data

    def readline(self, limit: int = -1) -> bytes:
        line = self._file.readline(limit)
        self.read_bytes += len(line)
        return line


def read_source(
    source: str, fetcher: Fetcher, max_bytes: int, mapping: FieldMapping | None = None
) -> list[Article | InputError]:
    """The articles in one file or URL (a download is limited to `max_bytes`, as is each
    article of a file), and an InputError for each bad item among them."""
    if not is_url(source):
        try:
            with Path(source).open("rb") as file:
                return list(read_file(file, source, max_bytes=max_bytes, mapping=mapping))
        except OSError as error:
            raise ReadError(source, f"could not be read ({error.strerror})") from None
    fetched = fetcher.get(source)
    return read(
        fetched.data,
        fetched.url,
        content_type=fetched.content_type,
        charset=fetched.charset,
        url=fetched.url,
        mapping=mapping,
    )


def is_url(source: str) -> bool:
    return "://" in source
