"""Shared fixtures: a real archive in a temporary folder, the seed article, the CLI in-process."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from bot.cli import main
from index.archive import Archive
from index.feedback import FeedbackStore
from index.ingest import ingest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "corpus" / "lavrov-meet-the-press.txt"


def assert_verbatim(quote: str, source: str) -> None:
    """A quote is a copy of the source's text, apart from the "…" that marks a cut."""
    core = quote.removeprefix("…").removesuffix("…")
    assert core and core in source, f"not verbatim: {quote!r}"


@pytest.fixture
def archive(tmp_path):
    with Archive(tmp_path / "data") as opened:
        yield opened


@pytest.fixture
def seeded(archive, seed_path):
    """The archive holding the seed article."""
    assert ingest(archive, [str(seed_path)]).added
    return archive


@pytest.fixture
def feedback(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    yield store
    store.close()


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip(f"the seed article is read from ../shared, which is absent here ({SEED})")
    return SEED


class Cli:
    """Runs `python -m bot` in this process against one data directory."""

    def __init__(self, data_dir: Path, capsys, monkeypatch):
        self.data_dir = data_dir
        self._capsys = capsys
        self._monkeypatch = monkeypatch

    def __call__(self, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
        command, *rest = args
        if stdin is not None:
            import io

            self._monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        self._capsys.readouterr()
        status = main([command, "--data", str(self.data_dir), *rest])
        out, err = self._capsys.readouterr()
        return status, out, err

    def ask_json(self, question: str, *extra: str) -> dict:
        status, out, err = self("ask", "--json", *extra, question)
        assert status == 0, err
        return json.loads(out)


@pytest.fixture
def cli(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no developer's .env leaks into the tests
    for name in ("BOT_DATA_DIR", "MAX_ARTICLE_BYTES", "MAX_QUESTION_CHARS", "ALLOW_PRIVATE_URLS"):
        monkeypatch.delenv(name, raising=False)
    return Cli(tmp_path / "data", capsys, monkeypatch)
