"""Shared fixtures and helpers: a real archive in a temporary folder, the project's own
syndicated story, the seed article (for the few tests about it), the fake Slack, the CLI
in-process, and `eventually` for anything that happens in another thread or process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from bot.cli import main
from index.archive import Archive
from index.article import Article, Paragraph
from index.feedback.store import FeedbackStore
from index.ingest.sources import ingest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FIXTURES = ROOT / "tests" / "fixtures"
# The project's own syndicated story (invented for the tests; see tests/fixtures/README.md):
# what most tests that need a long syndicated news article ask.
STORY = FIXTURES / "marenia-dam-talks.txt"
SHARED = ROOT.parent / "shared"
# The article the project started from. Third-party text, read in place and never copied here;
# only the tests about it (each with "seed" in its name) use it, and they skip without it.
SEED = SHARED / "corpus" / "lavrov-meet-the-press.txt"

T = TypeVar("T")


def story(title: str, key: str, *paragraphs: str, source: str, published: str) -> Article:
    """An article written for a test, one paragraph to each string, linked by its key."""
    return Article(
        title=title,
        source=source,
        key=key,
        published=published,
        url=f"https://example.org/{key}",
        paragraphs=tuple(map(Paragraph, paragraphs)),
    )


def assert_verbatim(quote: str, source: str) -> None:
    """A quote is a copy of the source's text, apart from the "…" that marks a cut."""
    core = quote.removeprefix("…").removesuffix("…")
    assert core and core in source, f"not verbatim: {quote!r}"


def eventually(
    predicate: Callable[[], T], timeout: float = 20.0, what: str = "", interval: float = 0.05
) -> T:
    """Polls `predicate` until it returns something truthy, and returns that; fails naming
    `what` after `timeout` seconds. For what another thread or process does: a bot answering,
    a feed being ingested, a worker ending. In a coroutine: `await asyncio.to_thread(eventually,
    ...)`, so the event loop runs on while it waits."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"waited {timeout:g} s in vain for {what or predicate}")
        time.sleep(interval)


def modules_loaded(*commands: list[str], stdin: str = "") -> set[str]:
    """The top-level packages a fresh interpreter holds after running these `python -m bot`
    commands in turn (their output swallowed): what a cold start of each really imports."""
    probe = (
        "import contextlib, io, runpy, sys\n"
        f"sys.stdin = io.StringIO({stdin!r})\n"
        f"for sys.argv in {[['bot', *c] for c in commands]!r}:\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        try:\n"
        "            runpy.run_module('bot', run_name='__main__')\n"
        "        except SystemExit:\n"
        "            pass\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, check=True, capture_output=True, text=True
    )
    return set(run.stdout.split())


@pytest.fixture
def archive(tmp_path):
    with Archive(tmp_path / "data") as opened:
        yield opened


@pytest.fixture
def story_path() -> Path:
    return STORY


@pytest.fixture
def story_text() -> str:
    return STORY.read_text(encoding="utf-8")


@pytest.fixture
def seeded(archive, story_path):
    """The archive holding the project's syndicated story."""
    assert ingest(archive, [str(story_path)]).added
    return archive


@pytest.fixture
def sampled(archive):
    """The archive holding the sample articles (samples/)."""
    report = ingest(archive, [str(SAMPLES)])
    assert report.added and not report.failed
    return archive


@pytest.fixture
def feedback(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    yield store
    store.close()


@pytest.fixture
def fake():
    """A fake Slack Web API on 127.0.0.1 for a real Bolt app (tests/fake_slack.py)."""
    from tests.fake_slack import FakeSlack  # only the tests that use it load it

    with FakeSlack() as running:
        yield running


@pytest.fixture
def site(routes):
    """A web server on 127.0.0.1 serving the test file's `routes` fixture (tests/webserver.py)."""
    from tests.webserver import WebServer

    with WebServer(routes) as running:
        yield running


@pytest.fixture
def seed_path() -> Path:
    """The seed article, read from ../shared: for tests about that article only."""
    if not SEED.exists():
        pytest.skip(f"the seed article is read from ../shared, which is absent here ({SEED})")
    return SEED


@pytest.fixture
def seed_archive(archive, seed_path):
    """The archive holding the seed article."""
    assert ingest(archive, [str(seed_path)]).added
    return archive


def pytest_collection_modifyitems(items) -> None:
    """A test that reads the seed article says so in its name, so the tests that skip without
    ../shared are plain to see."""
    unnamed = [
        item.nodeid
        for item in items
        if "seed" not in item.name and "seed_path" in getattr(item, "fixturenames", ())
    ]
    if unnamed:
        raise pytest.UsageError(
            f"tests read the seed article without 'seed' in their name: {unnamed}"
        )


_skipped: list[str] = []


def pytest_runtest_logreport(report) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append(report.nodeid)


def pytest_collectreport(report) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session) -> None:
    """With NO_SKIPS=1 (as .ci/run sets it) a skipped test fails the run: CI runs beside
    ../shared with every tool present, so nothing there has a reason to skip."""
    if os.environ.get("NO_SKIPS") == "1" and _skipped:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line(f"NO_SKIPS=1, and {len(_skipped)} test(s) skipped:", red=True)
            for nodeid in _skipped:
                reporter.write_line(f"  {nodeid}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


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
