"""`python -m bot stats`: what the newsroom asks, from the question log: text, JSON or a chart."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bot.commands.archive import FEEDBACK_FILE, open_feedback
from bot.config import Settings
from index.errors import InputError


def stats(args, settings: Settings, data_dir: Path) -> int:
    from bot.render.stats import stats_json, stats_text
    from index.feedback.stats import stats as figures
    from index.feedback.stats import summarize

    since = args.since.isoformat() if args.since else None
    if (data_dir / FEEDBACK_FILE).exists():
        store = open_feedback(settings, data_dir)  # expired questions are pruned as it opens
        try:
            report = figures(store, args.since)
        finally:
            store.close()
    else:
        report = summarize([], since)
    if not settings.question_log_days:
        print("note: QUESTION_LOG_DAYS is 0, so no new question is logged", file=sys.stderr)
    if args.plot:
        from bot.render.chart import write_chart

        try:
            write_chart(report, args.plot)
        except OSError as error:
            raise InputError(f"cannot write the chart to {args.plot}: {error.strerror}") from None
        print(f"chart written to {args.plot}", file=sys.stderr)
    if args.json:
        print(json.dumps(stats_json(report), ensure_ascii=False, indent=2))
    else:
        print(stats_text(report), end="")
    return 0
