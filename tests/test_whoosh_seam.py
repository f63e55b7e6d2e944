"""The one seam to Whoosh's internals: only index/search/segments.py reaches them, it checks the
Whoosh release it was written for, and without it the index answers the same."""

from __future__ import annotations

import ast
import logging
import os
import re
import threading
from pathlib import Path

import whoosh

from index.archive import Archive
from index.article import Article, Paragraph
from index.readers import read
from index.search import segments, writes
from index.search.passages import PassageIndex
from tests.conftest import ROOT, SAMPLES
from tests.test_crash import descendants_of, niceness

SEAM = ROOT / "index" / "search" / "segments.py"
QUESTIONS = [
    "why was the harbor bridge vote delayed?",
    "who are the volunteers of the river cleanup?",
    "when is the library open?",
    "which ferry route adds sailing 7?",
    "what does ferry route 150 add to the island timetable?",
]


def project_files() -> list[Path]:
    return sorted(
        path
        for folder in ("index", "bot", "benchmarks", "tests")
        for path in (ROOT / folder).rglob("*.py")
    )


def whoosh_private_names() -> set[str]:
    """Private names (`_x`) Whoosh's own source defines or uses, less those our code defines
    for itself (`self._lock`, `def _passage`): what only the seam may touch."""
    theirs = set()
    for path in Path(whoosh.__file__).parent.rglob("*.py"):
        theirs |= set(re.findall(r"\b_[a-z]\w*", path.read_text(encoding="utf-8")))
    ours = set()
    for path in project_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                ours.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                ours.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                ours.add(node.attr)
            elif isinstance(node, ast.arg):
                ours.add(node.arg)
    return theirs - ours


def test_only_the_seam_reaches_whoosh_internals():
    private = whoosh_private_names()
    assert {"_finalize_segment", "_perdoc", "_postwriter", "_lenfield", "_lk"} <= private
    found = []
    for path in project_files():
        if path == SEAM:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
                if node.module.startswith("whoosh.codec"):
                    found.append(f"{where} imports from {node.module}")
                found += [f"{where} imports {a.name}" for a in node.names if a.name[0] == "_"]
            elif isinstance(node, ast.Attribute) and node.attr in private:
                found.append(f"{where} uses .{node.attr}")
            elif isinstance(node, ast.keyword) and node.arg in private:
                found.append(f"{where} passes {node.arg}=")
    assert not found, "\n".join(found)
    seam = SEAM.read_text(encoding="utf-8")
    assert "_finalize_segment" in seam and "from whoosh.codec import whoosh3" in seam


def test_the_fast_path_is_on_only_for_the_whoosh_it_was_written_for():
    name, release = segments.WHOOSH
    pins = (ROOT / "requirements.txt").read_text() + (ROOT / "pyproject.toml").read_text()
    assert f"{name}=={release}" in pins  # a pin bump must move WHOOSH too, on purpose
    assert segments.whoosh_problem() is None and segments.FAST_PATH
    newer = segments.whoosh_problem("3.55.0")
    assert newer and "3.55.0" in newer and release in newer


def twelve_paragraphs(n: int) -> Article:
    texts = [f"Ferry route {n} adds sailing {i} to the island timetable." for i in range(12)]
    return Article(title=f"Ferry {n}", paragraphs=tuple(map(Paragraph, texts)), key=f"f{n}")


def archive_articles() -> list[Article]:
    """The samples and enough ferry articles (2,040 passages) for a parallel write."""
    samples = [a for path in sorted(SAMPLES.iterdir()) for a in read(path.read_bytes(), str(path))]
    return samples + [twelve_paragraphs(n) for n in range(170)]


def answers(archive: Archive) -> list:
    found = []
    for question in QUESTIONS:
        answer = archive.ask(question)
        found.append(
            [(q.citation.article_id, q.paragraph, q.text, round(q.score, 6)) for q in answer.quotes]
        )
    return found


def test_without_the_fast_path_whoosh_s_own_writer_gives_the_same_answers(
    tmp_path, monkeypatch, caplog
):
    """FAST_PATH off (as a Whoosh release other than WHOOSH turns it off): the same articles
    are written by Whoosh's own writer in this process, in one segment instead of the
    workers' several, and every question gets the same quotes with the same scores; the log
    says why, once."""
    articles = archive_articles()
    with Archive(tmp_path / "fast") as fast:
        fast.add(articles)
        assert fast.passages.segments() >= 2  # the workers' segments
        expected = answers(fast)
    assert all(expected) and len({quotes[0][0] for quotes in expected}) >= 4

    monkeypatch.setattr(segments, "FAST_PATH", False)
    monkeypatch.setattr(segments, "_warned", threading.Event())
    with (
        caplog.at_level(logging.WARNING, logger="index.search.segments"),
        Archive(tmp_path / "whoosh") as plain,
    ):
        plain.add(articles)
        assert plain.passages.segments() == 1  # nothing went to the workers
        assert plain.check().ok
        assert answers(plain) == expected
        plain.add([twelve_paragraphs(3)])  # a small write, the same way
    warnings = [r for r in caplog.records if r.name == "index.search.segments"]
    assert len(warnings) == 1 and "Whoosh's own writer" in warnings[0].getMessage()


def test_workers_are_not_forked_from_the_writer_and_hold_none_of_its_files(tmp_path, monkeypatch):
    """The process that writes may be a bot running chat and feed-watcher threads: workers
    start from a fork server, so they inherit neither those threads' locks nor its open files,
    the writer lock among them."""
    monkeypatch.setattr(writes, "PARALLEL_FROM", 10)
    held = threading.Lock()
    held.acquire()  # a lock another thread of the bot holds while the workers start
    try:
        index = PassageIndex(tmp_path / "index")
        try:
            index.write(archive_articles()[:40])
            assert index.segments() >= 2  # written by the workers
            workers = [pid for pid in descendants_of(os.getpid()) if niceness(pid) > 0]
            assert workers
            for pid in workers:
                assert parent_of(pid) != os.getpid()
                files = {os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()}
                assert not any(f.startswith(str(tmp_path)) for f in files), files
        finally:
            index.close()
    finally:
        held.release()


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
