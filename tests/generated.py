"""Generated articles and `python -m bot` as a real subprocess, for the load and crash tests."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

_SYLLABLES = "ka lo mi nu pe ra si to vu ze ba de fi go hu".split()


def word(n: int, prefix: str = "") -> str:
    """A made-up word unique to n, which no other generated article holds (a stemmer-safe one)."""
    letters = []
    while True:
        n, digit = divmod(n, len(_SYLLABLES))
        letters.append(_SYLLABLES[digit])
        if n == 0:
            break
    return prefix + "".join(letters) + "x"


def article(n: int, prefix: str = "q") -> dict:
    """A small article whose second paragraph holds a word only it holds."""
    unique = word(n, prefix)
    return {
        "id": f"{prefix}-{n}",
        "title": f"Council notes {prefix} {n}",
        "author": "Generated Reporter",
        "source": "Test Gazette",
        "paragraphs": [
            f"The council met on day {n} to discuss the harbor budget and the ferry schedule.",
            f"Residents asked about the {unique} proposal, which the council will vote on.",
        ],
    }


def write_jsonl(path: Path, numbers, prefix: str = "q") -> Path:
    path.write_text("".join(json.dumps(article(n, prefix)) + "\n" for n in numbers))
    return path


def bot_env(**extra: str) -> dict[str, str]:
    """The environment for a `python -m bot` child: no developer settings leak in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_"))}
    for name in ("BOT_DATA_DIR", "MAX_ARTICLE_BYTES", "MAX_QUESTION_CHARS", "ALLOW_PRIVATE_URLS"):
        env.pop(name, None)
    env.update({"PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING", **extra})
    return env


def start(*args: str, cwd: Path, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=popen.pop("env", None) or bot_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def run(*args: str, cwd: Path, stdin: str | None = None, env=None, timeout: float = 120):
    """Run `python -m bot ARGS` to the end; (exit status, stdout, stderr)."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env or bot_env(),
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,  # a hang guard, not a speed check
    )
    return done.returncode, done.stdout, done.stderr


def stored(data: Path) -> tuple[int, int]:
    """(articles in the store, of which the index holds the current version), read directly."""
    db = data / "articles.sqlite3"
    if not db.exists():
        return 0, 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            row = conn.execute(
                "SELECT count(*), count(*) FILTER (WHERE indexed_hash IS content_hash)"
                " FROM articles WHERE removed = 0"
            ).fetchone()
    except sqlite3.OperationalError:  # the table does not exist yet
        return 0, 0
    return row[0], row[1]
