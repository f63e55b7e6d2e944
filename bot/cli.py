"""`python -m bot ...`: the composition root; reads settings, builds the archive, runs a command."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from bot.config import ConfigError, Settings
from index.errors import InputError

COMPACT_ABOVE = 8  # index segments beyond which ingest suggests `compact`

log = logging.getLogger(__name__)

DESCRIPTION = """\
Answer questions about news articles with verbatim, cited quotes.

Ingest articles (text, HTML, Markdown, JSON, JSON Lines, RSS/Atom feeds, directories, URLs),
then ask questions in plain words. Settings come from the environment and from a .env file
in the current directory (see .env.example)."""


def main(argv: list[str] | None = None) -> int:
    from dotenv import load_dotenv

    from bot import redact

    env_file = Path.cwd() / ".env"
    load_dotenv(env_file)
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env(os.environ)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    if settings.log_level != "DEBUG":  # their complaints about a page repeat our own clear error
        for noisy in ("trafilatura", "htmldate", "courlan"):
            logging.getLogger(noisy).setLevel(logging.CRITICAL)
    redact.install(settings.secrets())
    _warn_if_shared(env_file, settings)
    data_dir = Path(args.data) if args.data else settings.data_dir
    try:
        return args.run(args, settings, data_dir)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _warn_if_shared(env_file: Path, settings: Settings) -> None:
    """A .env holding secrets should be readable by its owner alone."""
    try:
        mode = env_file.stat().st_mode
    except OSError:
        return
    if mode & 0o077 and any(settings.secrets()):
        log.warning(
            "%s holds secrets and other users may read it; run: chmod 600 %s", env_file, env_file
        )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    data = argparse.ArgumentParser(add_help=False)
    data.add_argument(
        "--data",
        metavar="DIR",
        help="the data directory (default: the BOT_DATA_DIR setting, else ./data)",
    )

    ingest = commands.add_parser(
        "ingest",
        parents=[data],
        help="add or update articles from files, directories and URLs",
        description="Add articles from files, directories (read recursively) and http(s) URLs. "
        "An article already in the archive is updated in place. A bad source is reported "
        "and the others still go in; the exit status is 1 if any source failed.",
    )
    ingest.add_argument("sources", nargs="+", metavar="SOURCE", help="a file, directory or URL")
    ingest.set_defaults(run=_ingest)

    ask = commands.add_parser(
        "ask",
        parents=[data],
        help="answer a question with quotes and citations",
        description="Answer a question in plain words with verbatim quotes and citations. "
        "Give - as the question to read one question per line from standard input.",
    )
    ask.add_argument("question", metavar="QUESTION", help="the question, or - for standard input")
    ask.add_argument("--json", action="store_true", help="print JSON (one object per question)")
    ask.add_argument("--limit", type=_positive, default=5, metavar="N", help="at most N quotes")
    ask.set_defaults(run=_ask)

    listing = commands.add_parser("list", parents=[data], help="list the articles, newest first")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(run=_list)

    remove = commands.add_parser("remove", parents=[data], help="remove an article by id or URL")
    remove.add_argument("article", metavar="ID_OR_URL")
    remove.set_defaults(run=_remove)

    watch = commands.add_parser(
        "watch",
        parents=[data],
        help="poll RSS and Atom feeds and ingest their new and changed entries",
        description="Poll feeds and ingest new and changed entries, with conditional requests "
        "(a feed that has not changed sends nothing). The feeds given are added to the data "
        "directory's watched feeds; with none given, every watched feed is polled (those of "
        "the FEEDS setting, and those added from chat). A line per cycle says what was new, "
        "updated, unchanged and failed. Runs until Ctrl-C or SIGTERM, or with --once polls "
        "each feed once and exits (for cron; exit status 1 if a feed failed).",
    )
    watch.add_argument("feeds", nargs="*", metavar="FEED_URL", help="an RSS or Atom feed's URL")
    watch.add_argument(
        "--every",
        type=_minutes,
        metavar="MINUTES",
        help="minutes between polls of each feed (default: the FEEDS_EVERY setting, 15; "
        "at least 1)",
    )
    watch.add_argument("--once", action="store_true", help="poll each feed once, then exit")
    watch.set_defaults(run=_watch)

    history = commands.add_parser(
        "history",
        parents=[data],
        help="show an article's versions and what changed between them",
        description="Show every version of an article the archive holds (a corrected or "
        "updated article keeps its earlier versions), and what changed from each to the next: "
        "fields, and paragraphs added, removed or reworded ([-old-]{+new+}).",
    )
    history.add_argument("article", metavar="ID_OR_URL")
    history.add_argument("--json", action="store_true", help="print a JSON array of versions")
    history.set_defaults(run=_history)

    reindex = commands.add_parser(
        "reindex", parents=[data], help="rebuild the search index from the article store"
    )
    reindex.set_defaults(run=_reindex)

    check = commands.add_parser(
        "check", parents=[data], help="report whether the store and the search index agree"
    )
    check.set_defaults(run=_check)

    compact = commands.add_parser(
        "compact",
        parents=[data],
        help="merge the search index's segments into one, for faster answers",
        description="Merge the search index's segments into one. A large ingest writes several "
        "segments to be quick; answers are faster from one. Takes minutes on a large archive; "
        "questions are answered meanwhile, other writers wait.",
    )
    compact.set_defaults(run=_compact)

    console = commands.add_parser(
        "console", parents=[data], help="an interactive prompt: ask, read, ask again"
    )
    console.add_argument("--limit", type=_positive, default=5, metavar="N", help="at most N quotes")
    console.set_defaults(run=_console)

    evaluation = commands.add_parser(
        "eval",
        help="measure answer quality on a SQuAD-format question set",
        description="Ingest a SQuAD-format file (each data[] entry an article, its contexts the "
        "paragraphs) into a fresh data directory (or --data DIR), ask every question against "
        "the whole archive, and print ans@1, ans@3, ans@5 (answer-string match in the top k "
        "quotes), the mean length of the top quote and the time per question.",
    )
    evaluation.add_argument("file", metavar="FILE", type=Path, help="a SQuAD v1.1 JSON file")
    evaluation.add_argument(
        "--data", metavar="DIR", help="keep the archive here (default: temporary)"
    )
    evaluation.add_argument("--json", action="store_true", help="print the figures as JSON")
    evaluation.set_defaults(run=_eval)

    slack = commands.add_parser(
        "slack",
        parents=[data],
        help="run the Slack bot (Socket Mode, or --http for the Events API)",
        description="Run the Slack bot. Socket Mode by default (SLACK_BOT_TOKEN and "
        "SLACK_APP_TOKEN); with --http, serve the Events API, slash commands and "
        "interactivity on /slack/events and a health check on /healthz (SLACK_BOT_TOKEN "
        "and SLACK_SIGNING_SECRET).",
    )
    slack.add_argument("--http", action="store_true", help="serve HTTP instead of Socket Mode")
    slack.add_argument("--port", type=_positive, default=3000, help="HTTP port (default 3000)")
    slack.set_defaults(run=_slack)

    discord = commands.add_parser(
        "discord",
        parents=[data],
        help="run the Discord bot",
        description="Run the Discord bot (DISCORD_TOKEN): slash commands and mentions.",
    )
    discord.set_defaults(run=_discord)

    feedback = commands.add_parser(
        "feedback", parents=[data], help="the votes given to answers in Slack and Discord"
    )
    feedback.add_argument("--json", action="store_true", help="print a JSON array")
    feedback.set_defaults(run=_feedback)
    return parser


def _minutes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 1 <= value <= 7 * 24 * 60:
        raise argparse.ArgumentTypeError(f"expected minutes from 1 to 10080, got {text!r}")
    return value


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def _archive(settings: Settings, data_dir: Path):
    from index.archive import Archive

    return Archive(data_dir, max_question_chars=settings.max_question_chars)


def _eval(args, settings: Settings, data_dir: Path) -> int:
    import dataclasses
    import tempfile

    from tqdm import tqdm

    from index.archive import Archive
    from index.evaluate import evaluate, load_squad

    articles, questions = load_squad(args.file)
    with tempfile.TemporaryDirectory(prefix="newsbot-eval-") as scratch:
        folder = Path(args.data) if args.data else Path(scratch)
        with Archive(folder, max_question_chars=settings.max_question_chars) as archive:
            archive.add(articles)
            with tqdm(total=len(questions), unit="question", disable=None, leave=False) as bar:
                report = evaluate(archive, questions, on_question=bar.update)
    if args.json:
        print(json.dumps({"file": str(args.file), **dataclasses.asdict(report)}))
        return 0
    k1, k3, k5 = (report.answered_at[k] for k in (1, 3, 5))
    print(f"{args.file.name}: {len(articles)} articles, {report.questions} questions")
    print(f"ans@1 {k1:.1f}  ans@3 {k3:.1f}  ans@5 {k5:.1f}", end="  ")
    print(f"top quote {report.mean_top_quote_chars:.0f} chars")
    print(f"per question: median {report.median_ms:.1f} ms, p95 {report.p95_ms:.1f} ms;", end=" ")
    print(f"{report.no_answer} without any quote")
    return 0


def _feedback_store(data_dir: Path):
    from index.feedback import FeedbackStore

    return FeedbackStore(data_dir / "feedback.sqlite3")


def _slack(args, settings: Settings, data_dir: Path) -> int:
    settings.require_slack(http=args.http)
    from bot.slack_app import run

    with _archive(settings, data_dir) as archive:
        return run(settings, archive, _feedback_store(data_dir), http=args.http, port=args.port)


def _discord(args, settings: Settings, data_dir: Path) -> int:
    settings.require_discord()
    from bot.discord_app import run

    with _archive(settings, data_dir) as archive:
        return run(settings, archive, _feedback_store(data_dir))


def _feedback(args, settings: Settings, data_dir: Path) -> int:
    store = _feedback_store(data_dir)
    votes = store.votes()
    store.close()
    if args.json:
        rows = [
            {
                "vote": v.vote,
                "user": v.user,
                "voted_at": v.voted_at,
                "surface": v.answer.surface,
                "question": v.answer.question,
                "context": v.answer.context,
                "quotes": v.answer.quotes,
            }
            for v in votes
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for v in votes:
        mark = "👍" if v.vote > 0 else "👎"
        shown = ", ".join(f"{q['article']} ¶{q['paragraph']}" for q in v.answer.quotes) or "none"
        print(f"{v.voted_at}  {mark}  {v.answer.surface}  {v.answer.question!r}  quotes: {shown}")
    up = sum(v.vote > 0 for v in votes)
    print(f"{len(votes)} vote(s): {up} 👍, {len(votes) - up} 👎", file=sys.stderr)
    return 0


def _ingest(args, settings: Settings, data_dir: Path) -> int:
    from tqdm import tqdm

    from index.fetch import Fetcher
    from index.ingest import expand, ingest

    fetcher = Fetcher(
        timeout=settings.fetch_timeout,
        max_bytes=settings.max_article_bytes,
        allow_private=settings.allow_private_urls,
    )
    total = len(expand(args.sources)[0])
    with (
        _archive(settings, data_dir) as archive,
        tqdm(total=total, unit="source", disable=None if total > 1 else True, leave=False) as bar,
    ):
        report = ingest(
            archive,
            args.sources,
            fetcher=fetcher,
            max_bytes=settings.max_article_bytes,
            on_source=lambda source: bar.update(),
        )
        segments = archive.passages.segments()
    for line in report.failed:
        print(f"error: {line}", file=sys.stderr)
    if len(report.added) + len(report.updated) <= 20:
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


def _compact(args, settings: Settings, data_dir: Path) -> int:
    with _archive(settings, data_dir) as archive:
        before = archive.passages.segments()
        archive.passages.compact()
        after = archive.passages.segments()
    print(f"compacted the search index from {before} segment(s) to {after} — {data_dir}")
    return 0


def _ask(args, settings: Settings, data_dir: Path) -> int:
    with _archive(settings, data_dir) as archive:
        if args.question != "-":
            return _answer_one(archive, _readable(args.question), args)
        # One question per "\n"-ended line, whatever else a line holds; undecodable bytes
        # become U+FFFD. Every line gets its answer or its error, and the run exits 0.
        reconfigure = getattr(sys.stdin, "reconfigure", None)
        if reconfigure:
            reconfigure(errors="replace", newline="\n")
        for line in sys.stdin:
            question = line.rstrip("\r\n")
            if question.strip():
                _answer_one(archive, question, args)
                sys.stdout.flush()
        return 0


def _readable(text: str) -> str:
    """Text as it can be printed: bytes the terminal could not decode become U+FFFD."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that is not an escaped byte
        return text.encode("utf-8", "replace").decode("utf-8")


def _answer_one(archive, question: str, args) -> int:
    from bot.render.jsonout import answer_json
    from bot.render.plain import render_answer

    try:
        answer = archive.ask(question, limit=args.limit)
    except InputError as error:
        if not getattr(args, "json", False):
            print(f"error: {error}", file=sys.stderr)
            return 1
        refused = {"question": question, "answers": [], "suggestion": None, "error": str(error)}
        print(_json_line(refused))
        return 1
    if getattr(args, "json", False):
        print(_json_line(answer_json(answer)))
    else:
        print(render_answer(answer, color=sys.stdout.isatty()))
    return 0


def _json_line(value) -> str:
    """One JSON Lines record: UTF-8 as it is, but U+2028 and U+2029 escaped, since some
    readers of JSON Lines take them for line ends."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _list(args, settings: Settings, data_dir: Path) -> int:
    from bot.render.jsonout import article_json

    with _archive(settings, data_dir) as archive:
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


def _remove(args, settings: Settings, data_dir: Path) -> int:
    with _archive(settings, data_dir) as archive:
        article = archive.remove(args.article)
    print(f"removed: {article.title} [{article.id}]")
    return 0


def _watch(args, settings: Settings, data_dir: Path) -> int:
    import dataclasses
    import signal
    import threading
    from datetime import datetime

    from bot.watching import FEEDS_FILE, watcher_for
    from index.feeds import FeedStore
    from index.fetch import checked_url

    urls = list(dict.fromkeys(args.feeds))
    for url in urls:
        checked_url(url)
    if args.every:
        settings = dataclasses.replace(settings, feeds_every_minutes=args.every)
    with _archive(settings, data_dir) as archive:
        feeds = FeedStore(data_dir / FEEDS_FILE)
        try:
            for url in settings.feeds:
                feeds.add(url, by="FEEDS setting")
            for url in urls:
                feeds.add(url, by="watch")
            if not feeds.feeds():
                print("error: no feeds to watch: give FEED_URL, or set FEEDS", file=sys.stderr)
                return 2
            watcher = watcher_for(settings, archive, feeds)
            if args.once:
                report = watcher.poll(urls or None, force=True)
                for line in report.failed:
                    print(f"error: {line}", file=sys.stderr)
                print(f"{report.line()} — {data_dir}")
                return 1 if report.failed else 0

            def cycle(report) -> None:
                stamp = datetime.now().astimezone().isoformat(timespec="seconds")
                print(f"{stamp} {report.line()}", flush=True)

            if threading.current_thread() is threading.main_thread():
                for signum in (signal.SIGINT, signal.SIGTERM):
                    signal.signal(signum, lambda *_: watcher.stop())
            watcher.run(urls or None, on_cycle=cycle)
            return 0
        finally:
            feeds.close()


def _history(args, settings: Settings, data_dir: Path) -> int:
    from bot.render.history import history_json, history_text

    with _archive(settings, data_dir) as archive:
        versions = archive.history(args.article)
    if args.json:
        print(json.dumps(history_json(versions), ensure_ascii=False, indent=2))
    else:
        print(history_text(versions), end="")
    return 0


def _reindex(args, settings: Settings, data_dir: Path) -> int:
    with _archive(settings, data_dir) as archive:
        count = archive.reindex()
        passages = archive.passages.passage_count()
    print(f"reindexed {count} article(s), {passages} passage(s) — {data_dir}")
    return 0


def _check(args, settings: Settings, data_dir: Path) -> int:
    with _archive(settings, data_dir) as archive:
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


def _console(args, settings: Settings, data_dir: Path) -> int:
    with _archive(settings, data_dir) as archive:
        print(f"{archive.store.count()} article(s) in {data_dir}. Ask a question; Ctrl-D to quit.")
        while True:
            try:
                question = input("question> ").strip()
            except EOFError:
                print()
                return 0
            if question.lower() in ("quit", "exit", ":q"):
                return 0
            if question:
                _answer_one(archive, question, args)
