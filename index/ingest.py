"""Sources (files, directories, URLs) -> articles in the archive; one bad source fails alone."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from index.archive import Archive
from index.article import Article
from index.errors import InputError, ReadError
from index.fetch import Fetcher
from index.readers import SUFFIX_FORMATS, read

log = logging.getLogger(__name__)

DEFAULT_MAX_ARTICLE_BYTES = 5_000_000
# Passages read, stored and indexed while the archive's writer slot is held (fewer if the
# sources end): between two batches, other writers (feeds, chat commands) get their turn.
BATCH_PASSAGES = 50_000


@dataclass(frozen=True)
class Ingested:
    """What a report keeps of an article: enough to name and link it, not its text (an ingest
    of a whole archive must not hold every article in memory until it ends)."""

    id: str
    title: str
    url: str | None

    @classmethod
    def of(cls, article: Article) -> Ingested:
        return cls(article.id, article.title, article.url)


@dataclass
class IngestReport:
    """What one ingest run did, article by article and source by source."""

    added: list[Ingested] = field(default_factory=list)
    updated: list[Ingested] = field(default_factory=list)
    unchanged: list[Ingested] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # one clear line per bad source or item
    skipped: list[str] = field(default_factory=list)  # files in directories of other types

    def summary(self) -> str:
        parts = [f"{len(self.added)} added", f"{len(self.updated)} updated"]
        parts += [f"{len(self.unchanged)} unchanged", f"{len(self.failed)} failed"]
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped (not an article format)")
        return ", ".join(parts)


def expand(sources: Iterable[str]) -> tuple[list[str], list[str]]:
    """(sources to read, files skipped): directories become the article files inside them."""
    found: list[str] = []
    skipped: list[str] = []
    for source in sources:
        path = Path(source)
        if is_url(source) or not path.is_dir():
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
    on_source: Callable[[str], None] | None = None,
) -> IngestReport:
    """Read every source and store what it holds; bad sources are reported, never fatal."""
    fetcher = fetcher or Fetcher(max_bytes=max_bytes)
    files, skipped = expand(sources)
    report = IngestReport(skipped=skipped)
    articles = _articles(files, fetcher, max_bytes, report, on_source)
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
            getattr(report, stored.status).append(Ingested.of(stored.article))
    return report


def _articles(
    files: list[str],
    fetcher: Fetcher,
    max_bytes: int,
    report: IngestReport,
    on_source: Callable[[str], None] | None,
) -> Iterator[Article]:
    """Every article of the sources, in order; what cannot be read goes to the report."""
    for source in files:
        try:
            items = read_source(source, fetcher, max_bytes)
        except InputError as error:
            items = [error]
        except Exception as error:  # a reader bug must not stop the other sources
            log.exception("Unexpected failure reading %s", source)
            items = [ReadError(source, f"could not be read ({type(error).__name__})")]
        for item in items:
            if isinstance(item, Article):
                yield item
            else:
                report.failed.append(str(item))
        if on_source:
            on_source(source)


def read_source(source: str, fetcher: Fetcher, max_bytes: int) -> list[Article | InputError]:
    """The articles in one file or URL, and a ReadError for each bad item among them."""
    if is_url(source):
        fetched = fetcher.get(source)
        return read(
            fetched.data,
            fetched.url,
            content_type=fetched.content_type,
            charset=fetched.charset,
            url=fetched.url,
        )
    path = Path(source)
    if not path.exists():
        raise ReadError(source, "no such file or directory")
    if not path.is_file():  # a FIFO or a device (/dev/zero) would block or never end
        raise ReadError(source, "not a regular file")
    try:
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)  # the file may grow after a stat(): read no more
    except OSError as error:
        raise ReadError(source, f"could not be read ({error.strerror})") from None
    if len(data) > max_bytes:
        size = max(path.stat().st_size, len(data))
        raise ReadError(source, f"{size:,} bytes, over the {max_bytes:,}-byte limit per file")
    return read(data, source)


def is_url(source: str) -> bool:
    return "://" in source
