"""The long-running and measuring commands: slack, discord, watch, feedback, eval."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bot.commands.archive import open_archive, open_feedback
from bot.config import Settings


def evaluate(args, settings: Settings, data_dir: Path) -> int:
    import dataclasses
    import tempfile

    from tqdm import tqdm

    from index.archive import Archive
    from index.evaluate import evaluate, evaluate_absent, load_squad

    articles, questions = load_squad(args.file)
    absent = None
    with tempfile.TemporaryDirectory(prefix="newsbot-eval-") as scratch:
        folder = Path(args.data) if args.data else Path(scratch)
        with Archive(folder, max_question_chars=settings.max_question_chars) as archive:
            archive.add(articles)
            with tqdm(total=len(questions), unit="question", disable=None, leave=False) as bar:
                report = evaluate(archive, questions, on_question=bar.update)
            if args.absent:
                absent = evaluate_absent(archive, load_squad(args.absent)[1])
    if args.json:
        figures = {"file": str(args.file), **dataclasses.asdict(report)}
        if absent:
            figures["absent"] = {"file": str(args.absent), **dataclasses.asdict(absent)}
        print(json.dumps(figures))
        return 0
    k1, k3, k5 = (report.answered_at[k] for k in (1, 3, 5))
    print(f"{args.file.name}: {len(articles)} articles, {report.questions} questions")
    print(f"ans@1 {k1:.1f}  ans@3 {k3:.1f}  ans@5 {k5:.1f}", end="  ")
    print(f"candidate recall {report.candidate_recall:.1f}", end="  ")
    print(f"top quote {report.mean_top_quote_chars:.0f} chars")
    print(f"per question: median {report.median_ms:.1f} ms, p95 {report.p95_ms:.1f} ms;", end=" ")
    print(f"{report.no_answer} without any quote")
    if absent:
        print(
            f"{args.absent.name}, asked of this archive: {absent.questions} questions, "
            f"{absent.answered:.1f}% given a quote (false answers), "
            f"{absent.nearest:.1f}% offered the nearest story"
        )
    return 0


def slack(args, settings: Settings, data_dir: Path) -> int:
    settings.require_slack(http=args.http)
    from bot.slackbot.app import run

    with open_archive(settings, data_dir) as archive:
        archive.warm_up()
        return run(
            settings,
            archive,
            open_feedback(settings, data_dir),
            http=args.http,
            port=args.port,
            health_port=args.health_port,
        )


def discord(args, settings: Settings, data_dir: Path) -> int:
    settings.require_discord()
    from bot.discordbot.app import run

    with open_archive(settings, data_dir) as archive:
        archive.warm_up()
        feedback = open_feedback(settings, data_dir)
        return run(settings, archive, feedback, sync=args.sync, health_port=args.health_port)


def feedback(args, settings: Settings, data_dir: Path) -> int:
    store = open_feedback(settings, data_dir)
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


def watch(args, settings: Settings, data_dir: Path) -> int:
    import dataclasses
    import signal
    import threading
    from datetime import datetime

    from bot import health
    from bot.chat.feeds import FEEDS_FILE, watcher_for
    from index.feeds.watched import FeedStore
    from index.fetch import checked_url

    urls = list(dict.fromkeys(args.feeds))
    for url in urls:
        checked_url(url)
    if args.every:
        settings = dataclasses.replace(settings, feeds_every_minutes=args.every)
    with open_archive(settings, data_dir) as archive:
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
            # No watcher thread to check: the watcher is this process's own loop.
            with health.serving(health.HealthCheck(archive, "watch"), args.health_port):
                watcher.run(urls or None, on_cycle=cycle)
            return 0
        finally:
            feeds.close()
