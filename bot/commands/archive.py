"""The archive commands: ingest, ask, console, list, remove, history, check, compact."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from bot.config import Settings
from index.errors import InputError

log = logging.getLogger(__name__)
COMPACT_ABOVE = 8  # index segments beyond which ingest suggests `compact`
SHOWN = 20  # errors and warnings an ingest prints (it counts them all)
BYTES_BAR_ABOVE = 20_000_000  # bytes of files from which the progress bar counts bytes
FEEDBACK_FILE = "feedback.sqlite3"  # votes and the question log, in the data directory


def open_archive(settings: Settings, data_dir: Path):
    from index.archive import Archive

    return Archive(data_dir, max_question_chars=settings.max_question_chars)


def open_feedback(settings: Settings, data_dir: Path):
    """The votes and the question log (kept `QUESTION_LOG_DAYS` days)."""
    from index.feedback.store import FeedbackStore

    return FeedbackStore(data_dir / FEEDBACK_FILE, question_days=settings.question_log_days)


def ingest(args, settings: Settings, data_dir: Path) -> int:
    from index.ingest.sources import ingest

    mapping = field_mapping(args.map, args.field)
    with open_archive(settings, data_dir) as archive, IngestProgress(args.sources) as progress:
        report = ingest(
            archive,
            args.sources,
            fetcher=settings.fetcher(),
            max_bytes=settings.max_article_bytes,
            mapping=mapping,
            stdin=sys.stdin.buffer if "-" in args.sources else None,
            on_progress=progress.show,
        )
        segments = archive.passages.segments()
    for line in report.failed[:SHOWN]:
        print(f"error: {line}", file=sys.stderr)
    for line in report.notes[:SHOWN]:
        print(f"warning: {line}", file=sys.stderr)
    for kind in ("failed", "notes"):
        if report.count(kind) > SHOWN:
            more = report.count(kind) - SHOWN
            word = "errors" if kind == "failed" else "warnings"
            print(f"… and {more:,} more {word}", file=sys.stderr)
    if report.count("added") + report.count("updated") <= 20:
        for status in ("added", "updated"):
            for article in getattr(report, status):
                print(f"{status}: {article.title} [{article.id}]")
    print(f"{report.summary()} — {data_dir}")
    if segments > COMPACT_ABOVE:
        print(
            f"The search index is in {segments} segments: `python -m bot compact` merges them "
            "for faster answers (it may take minutes; answering goes on meanwhile).",
            file=sys.stderr,
        )
    return 1 if report.failed else 0


def field_mapping(path: Path | None, pairs: list[str]):
    """The JSON field mapping of a file and OURS=THEIRS options (the options win), or None."""
    from index.readers.mapping import FieldMapping, mapping_file

    fields = mapping_file(path) if path else {}
    for pair in pairs:
        ours, sign, theirs = pair.partition("=")
        if not sign:
            raise InputError(f"--field {pair}: write it OURS=THEIRS, like title=headline")
        fields[ours.strip()] = theirs.strip()
    return FieldMapping.parse(fields) if fields else None


class IngestProgress:
    """A progress bar on a terminal (none when output is piped): bytes of local files read,
    with the records counted; for many small sources, sources done."""

    def __init__(self, sources: list[str]):
        from index.ingest.sources import expand

        files = expand(sources)[0]
        local = [Path(f) for f in files if f != "-" and "://" not in f]
        self._sizes = sum(p.stat().st_size for p in local if p.is_file())
        self._by_bytes = len(files) == len(local) and self._sizes > BYTES_BAR_ABOVE
        self._many = len(files) > 1
        self._bar = None

    def __enter__(self):
        from tqdm import tqdm

        if self._by_bytes:
            self._bar = tqdm(
                total=self._sizes, unit="B", unit_scale=True, unit_divisor=1024, disable=None
            )
        elif self._many:
            self._bar = tqdm(unit="source", disable=None, leave=False)
        return self

    def show(self, progress) -> None:
        if self._bar is None:
            return
        done = progress.bytes_read if self._by_bytes else progress.sources
        self._bar.update(done - self._bar.n)
        self._bar.set_postfix(records=f"{progress.records:,}", refresh=False)

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.close()


def compact(args, settings: Settings, data_dir: Path) -> int:
    with open_archive(settings, data_dir) as archive:
        before = archive.passages.segments()
        archive.passages.compact()
        after = archive.passages.segments()
    print(f"compacted the search index from {before} segment(s) to {after} — {data_dir}")
    return 0


def ask(args, settings: Settings, data_dir: Path) -> int:
    with open_archive(settings, data_dir) as archive:
        if args.question != "-":
            return answer_one(archive, readable(args.question), args)
        # One question per "\n"-ended line, whatever else a line holds; undecodable bytes
        # become U+FFFD. Every line gets its answer or its error, and the run exits 0.
        reconfigure = getattr(sys.stdin, "reconfigure", None)
        if reconfigure:
            reconfigure(errors="replace", newline="\n")
        for line in sys.stdin:
            question = line.rstrip("\r\n")
            if question.strip():
                answer_one(archive, question, args)
                sys.stdout.flush()
        return 0


def readable(text: str) -> str:
    """Text as it can be printed: bytes the terminal could not decode become U+FFFD."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that is not an escaped byte
        return text.encode("utf-8", "replace").decode("utf-8")


def answer_one(archive, question: str, args, *, feedback=None, asker: str | None = None) -> int:
    """Answer and print; with `feedback`, the question is logged as asked at the console."""
    from bot.render.jsonout import answer_json
    from bot.render.plain import render_answer
    from index.feedback import asking

    try:
        answer = asking.ask(
            archive, feedback, question, platform="console", asker=asker, limit=args.limit
        ).answer
    except InputError as error:
        if not getattr(args, "json", False):
            print(f"error: {error}", file=sys.stderr)
            return 1
        refused = {"question": question, "answers": [], "suggestion": None, "error": str(error)}
        print(json_line(refused))
        return 1
    if getattr(args, "json", False):
        print(json_line(answer_json(answer)))
    else:
        print(render_answer(answer, color=sys.stdout.isatty()))
    return 0


def json_line(value) -> str:
    """One JSON Lines record: UTF-8 as it is, but U+2028 and U+2029 escaped, since some
    readers of JSON Lines take them for line ends."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def list_articles(args, settings: Settings, data_dir: Path) -> int:
    from bot.render.jsonout import article_json

    with open_archive(settings, data_dir) as archive:
        articles = archive.articles()
    if args.json:
        print(json.dumps([article_json(a) for a in articles], ensure_ascii=False, indent=2))
        return 0
    for article in articles:
        outlet = article.source or article.domain or ""
        date = (article.published or "")[:10] or "undated   "
        print(f"{article.id}  {date}  {outlet[:24]:<24}  {article.title}")
    print(f"{len(articles)} article(s) in {data_dir}", file=sys.stderr)
    return 0


def remove(args, settings: Settings, data_dir: Path) -> int:
    with open_archive(settings, data_dir) as archive:
        article = archive.remove(args.article)
    print(f"removed: {article.title} [{article.id}]")
    return 0


def history(args, settings: Settings, data_dir: Path) -> int:
    from bot.render.history import history_json, history_text

    with open_archive(settings, data_dir) as archive:
        versions = archive.history(args.article)
    if args.json:
        print(json.dumps(history_json(versions), ensure_ascii=False, indent=2))
    else:
        print(history_text(versions), end="")
    return 0


def reindex(args, settings: Settings, data_dir: Path) -> int:
    with open_archive(settings, data_dir) as archive:
        count = archive.reindex()
        passages = archive.passages.passage_count()
    print(f"reindexed {count} article(s), {passages} passage(s) — {data_dir}")
    return 0


def check(args, settings: Settings, data_dir: Path) -> int:
    with open_archive(settings, data_dir) as archive:
        result = archive.check()
        count = archive.store.count()
    if result.ok:
        print(f"ok: the store and the search index agree on {count} article(s) — {data_dir}")
        return 0
    for name in ("missing", "stale", "extra"):
        ids = getattr(result, name)
        if ids:
            print(f"{name} in the search index: {len(ids)} article(s): {' '.join(ids[:10])}")
    if result.passages != result.paragraphs:
        print(
            f"the search index holds {result.passages} passage(s); "
            f"the store has {result.paragraphs} paragraph(s)"
        )
    print("run `python -m bot reindex` to rebuild the index from the store", file=sys.stderr)
    return 1


def console(args, settings: Settings, data_dir: Path) -> int:
    with open_archive(settings, data_dir) as archive:
        feedback = _question_log(settings, data_dir)
        asker = _local_user()
        print(f"{archive.store.count()} article(s) in {data_dir}. Ask a question; Ctrl-D to quit.")
        try:
            while True:
                try:
                    question = input("question> ").strip()
                except EOFError:
                    print()
                    return 0
                if question.lower() in ("quit", "exit", ":q"):
                    return 0
                if question:
                    answer_one(archive, question, args, feedback=feedback, asker=asker)
        finally:
            if feedback:
                feedback.close()


def _question_log(settings: Settings, data_dir: Path):
    """Where the console logs questions: None when QUESTION_LOG_DAYS is 0, or when the store
    cannot be opened (the console answers all the same)."""
    import sqlite3

    if not settings.question_log_days:
        return None
    try:
        return open_feedback(settings, data_dir)
    except (sqlite3.Error, OSError) as error:
        log.warning("Questions asked here will not be logged: %s: %s", type(error).__name__, error)
        return None


def _local_user() -> str | None:
    """Who asks at the console: the account's name (the question log keeps it hashed)."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid, as in some containers
        return None
