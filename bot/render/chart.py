"""The question log's days as a small PNG chart: questions asked per day (bars) and the share
left without an answer (line). matplotlib is imported here only, when a chart is asked for."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from pathlib import Path

from index.feedback.stats import Stats

SIZE = (8, 3.2)  # inches, at 100 dpi: 800 × 320 pixels
DAY_TICKS = 10  # up to this many days, each has its tick
ASKED_COLOR, UNANSWERED_COLOR = "#4c78a8", "#e45756"


def write_chart(stats: Stats, path: Path) -> None:
    """Draw the chart with matplotlib's Agg renderer (no display needed) and write it as PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, DateFormatter, DayLocator
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    figure = Figure(figsize=SIZE, dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    asked = figure.add_subplot()
    span = f"since {stats.since}" if stats.since else "all logged"
    asked.set_title(f"What the newsroom asks ({span}, days in UTC)", fontsize=11)
    if not stats.days:
        asked.text(0.5, 0.5, "no questions logged", ha="center", va="center")
        asked.set_axis_off()
        figure.savefig(path, format="png")
        return
    days = [datetime.fromisoformat(d.day) for d in stats.days]  # midnight: a bar's middle
    asked.bar(days, [d.asked for d in stats.days], color=ASKED_COLOR, label="questions")
    asked.set_ylabel("questions", color=ASKED_COLOR)
    asked.yaxis.set_major_locator(MaxNLocator(integer=True))
    if len(days) <= DAY_TICKS:  # a tick per day; a date locator would count hours
        asked.xaxis.set_major_locator(DayLocator())
        asked.xaxis.set_major_formatter(DateFormatter("%b %d"))
    else:
        locator = AutoDateLocator(maxticks=DAY_TICKS)
        asked.xaxis.set_major_locator(locator)
        asked.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    asked.set_xlim(days[0] - timedelta(days=0.6), days[-1] + timedelta(days=0.6))
    rate = asked.twinx()
    shares = [d.unanswered / d.asked if d.asked else math.nan for d in stats.days]
    rate.plot(days, shares, color=UNANSWERED_COLOR, marker="o", markersize=3, label="no answer")
    rate.set_ylim(0, 1)
    rate.yaxis.set_major_formatter(PercentFormatter(1.0))
    rate.set_ylabel("no answer", color=UNANSWERED_COLOR)
    figure.savefig(path, format="png")
