"""`python -m bot ...`: the composition root; reads settings, builds the archive, runs a command."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import date
from pathlib import Path

from bot.commands import archive as archive_commands
from bot.commands import services as service_commands
from bot.commands import stats as stats_command
from bot.config import ConfigError, Settings
from index.errors import InputError, ModelMissing

log = logging.getLogger(__name__)

DESCRIPTION = """\
Answer questions about news articles with verbatim, cited quotes.

Ingest articles (text, HTML, Markdown, JSON, JSON Lines, RSS/Atom feeds, directories, URLs),
then ask questions in plain words. Settings come from the environment and from a .env file
in the current directory (see .env.example)."""


def main(argv: list[str] | None = None) -> int:
    from dotenv import load_dotenv

    from bot import logs

    env_file = Path.cwd() / ".env"
    load_dotenv(env_file)
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env(os.environ)
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    logs.configure(settings.log_level, settings.log_format, settings.secrets())
    _warn_if_shared(env_file, settings)
    data_dir = Path(args.data) if args.data else settings.data_dir
    try:
        return args.run(args, settings, data_dir)
    except ConfigError as error:  # a setting to repair: restarting will not help (exit 2)
        print(f"error: {error}", file=sys.stderr)
        return 2
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except ModelMissing as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `ask - | head`: the reader has gone; stop quietly, as `cat` does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


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
    health = argparse.ArgumentParser(add_help=False)
    health.add_argument(
        "--health-port",
        type=_positive,
        metavar="PORT",
        help="serve GET /healthz on 127.0.0.1:PORT (200 when healthy, else 503 and why)",
    )

    ingest = commands.add_parser(
        "ingest",
        parents=[data],
        help="add or update articles from files, directories and URLs",
        description="Add articles from files, directories (read recursively), http(s) URLs "
        "and standard input (-, JSON Lines). Exports of many articles (JSON Lines, JSON "
        "arrays, feeds, WordPress exports) are read record by record, whatever their size; "
        "MAX_ARTICLE_BYTES limits one article. An article already in the archive is updated "
        "in place, so an interrupted import run again stores nothing twice. A bad source or "
        "record is reported and the others still go in; the exit status is 1 if any failed.",
    )
    ingest.add_argument(
        "sources", nargs="+", metavar="SOURCE", help="a file, directory or URL, or - for stdin"
    )
    ingest.add_argument(
        "--map",
        type=Path,
        metavar="FILE",
        help="a JSON or YAML file naming which field of a JSON export holds each of ours",
    )
    ingest.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="OURS=THEIRS",
        help="one field mapping, e.g. title=headline or author=byline.name (repeatable)",
    )
    ingest.set_defaults(run=archive_commands.ingest)

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
    ask.set_defaults(run=archive_commands.ask)

    listing = commands.add_parser("list", parents=[data], help="list the articles, newest first")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(run=archive_commands.list_articles)

    remove = commands.add_parser("remove", parents=[data], help="remove an article by id or URL")
    remove.add_argument("article", metavar="ID_OR_URL")
    remove.set_defaults(run=archive_commands.remove)

    watch = commands.add_parser(
        "watch",
        parents=[data, health],
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
    watch.set_defaults(run=service_commands.watch)

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
    history.set_defaults(run=archive_commands.history)

    reindex = commands.add_parser(
        "reindex", parents=[data], help="rebuild the search index from the article store"
    )
    reindex.set_defaults(run=archive_commands.reindex)

    check = commands.add_parser(
        "check", parents=[data], help="report whether the store and the search index agree"
    )
    check.set_defaults(run=archive_commands.check)

    compact = commands.add_parser(
        "compact",
        parents=[data],
        help="merge the search index's segments into one, for faster answers",
        description="Merge the search index's segments into one. A large ingest writes several "
        "segments to be quick; answers are faster from one. Takes minutes on a large archive; "
        "questions are answered meanwhile, other writers wait.",
    )
    compact.set_defaults(run=archive_commands.compact)

    console = commands.add_parser(
        "console", parents=[data], help="an interactive prompt: ask, read, ask again"
    )
    console.add_argument("--limit", type=_positive, default=5, metavar="N", help="at most N quotes")
    console.set_defaults(run=archive_commands.console)

    evaluation = commands.add_parser(
        "eval",
        help="measure answer quality on a SQuAD-format question set",
        description="Ingest a SQuAD-format file (each data[] entry an article, its contexts the "
        "paragraphs) into a fresh data directory (or --data DIR), ask every question against "
        "the whole archive, and print ans@1, ans@3, ans@5 (answer-string match in the top k "
        "quotes), the candidate recall (the answer anywhere in the quotes the ranker read), "
        "the mean length of the top quote and the time per question. With --absent, the "
        "questions of another set are asked of this archive too: every quote they get is a "
        "false answer.",
    )
    evaluation.add_argument("file", metavar="FILE", type=Path, help="a SQuAD v1.1 JSON file")
    evaluation.add_argument(
        "--absent",
        metavar="OTHER",
        type=Path,
        help="a SQuAD file of other articles: how many of its questions get a quote here",
    )
    evaluation.add_argument(
        "--data", metavar="DIR", help="keep the archive here (default: temporary)"
    )
    evaluation.add_argument("--json", action="store_true", help="print the figures as JSON")
    evaluation.set_defaults(run=service_commands.evaluate)

    slack = commands.add_parser(
        "slack",
        parents=[data, health],
        help="run the Slack bot (Socket Mode, or --http for the Events API)",
        description="Run the Slack bot. Socket Mode by default (SLACK_BOT_TOKEN and "
        "SLACK_APP_TOKEN); with --http, serve the Events API, slash commands and "
        "interactivity on /slack/events and a health check on /healthz (SLACK_BOT_TOKEN "
        "and SLACK_SIGNING_SECRET).",
    )
    slack.add_argument("--http", action="store_true", help="serve HTTP instead of Socket Mode")
    slack.add_argument("--port", type=_positive, default=3000, help="HTTP port (default 3000)")
    slack.set_defaults(run=service_commands.slack)

    discord = commands.add_parser(
        "discord",
        parents=[data, health],
        help="run the Discord bot",
        description="Run the Discord bot (DISCORD_TOKEN): slash commands and mentions. The "
        "slash commands are sent to Discord only when they differ from the last ones sent "
        "(a hash is kept in the data directory), or with --sync.",
    )
    discord.add_argument(
        "--sync", action="store_true", help="send the slash commands to Discord even if unchanged"
    )
    discord.set_defaults(run=service_commands.discord)

    feedback = commands.add_parser(
        "feedback", parents=[data], help="the votes given to answers in Slack and Discord"
    )
    feedback.add_argument("--json", action="store_true", help="print a JSON array")
    feedback.set_defaults(run=service_commands.feedback)

    stats = commands.add_parser(
        "stats",
        parents=[data],
        help="what the newsroom asks: questions per day, answered share, times, votes",
        description="Figures from the question log (questions asked in Slack, Discord and the "
        "console, kept QUESTION_LOG_DAYS days): questions per day, the share answered, median "
        "and 95th-percentile answer time, the 👍/👎 votes, the most asked articles, and the "
        "unanswered questions asked most (letter case, spacing and a closing ? aside). Days are "
        "in UTC.",
    )
    stats.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="from this day on")
    stats.add_argument("--json", action="store_true", help="print the figures as JSON")
    stats.add_argument(
        "--plot", type=Path, metavar="FILE.png", help="also draw questions and no-answer per day"
    )
    stats.set_defaults(run=stats_command.stats)
    return parser


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


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
