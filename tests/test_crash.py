"""SIGKILL at any moment leaves a usable data directory: the next start repairs, nothing is lost."""

from __future__ import annotations

import json
import signal
import sqlite3
from pathlib import Path

import pytest

from index.archive import Archive
from index.search.schema import ANALYSIS
from tests.conftest import eventually
from tests.generated import run, start, stored, word, write_jsonl


def kill_when(child, data, ready, what: str) -> tuple[int, int]:
    """SIGKILL the child as soon as `ready(stored(data))` holds; returns what was stored then."""

    def moment() -> tuple[int, int] | None:
        if child.poll() is not None:
            raise AssertionError(f"{what}: it finished before the kill ({child.communicate()[1]})")
        seen = stored(data)
        return seen if ready(seen) else None

    seen = eventually(moment, timeout=600, what=what, interval=0.002)
    child.send_signal(signal.SIGKILL)
    child.communicate()
    assert child.returncode == -signal.SIGKILL, f"{what}: it finished before the kill"
    return seen


@pytest.mark.slow
def test_an_ingest_killed_part_way_then_run_again_holds_exactly_two_thousand(tmp_path):
    """Done when: ingest of 2,000 killed with SIGKILL part-way, then run again with the same
    input, exits 0; the data directory holds exactly 2,000 articles and `ask` works."""
    data = tmp_path / "data"
    early = write_jsonl(tmp_path / "early.jsonl", range(20), prefix="early")
    status, out, err = run("ingest", "--data", str(data), str(early), cwd=tmp_path)
    assert status == 0 and "20 added" in out, err  # reported as added ...
    source = write_jsonl(tmp_path / "big.jsonl", range(2000))
    # Kill three times, each at a different point: before anything, while the index lags the
    # store (mid-batch), and late in the run.
    moments = [
        ("at the first stored batch", lambda seen: seen[0] > 20),
        ("while the index lags the store", lambda seen: seen[0] > seen[1] and seen[0] > 600),
        ("late in the run", lambda seen: seen[0] > 1400),
    ]
    for what, ready in moments:
        child = start("ingest", "--data", str(data), str(source), cwd=tmp_path)
        kill_when(child, data, ready, what)
    status, out, err = run("ingest", "--data", str(data), str(source), cwd=tmp_path)
    assert status == 0, err
    assert "0 failed" in out
    status, out, err = run("list", "--data", str(data), "--json", cwd=tmp_path)
    ids = [a["id"] for a in json.loads(out)]
    assert len(ids) == len(set(ids)) == 2020
    assert {f"early-{n}" for n in range(20)} <= set(ids)  # ... and never lost
    status, out, err = run("check", "--data", str(data), cwd=tmp_path)
    assert status == 0, out + err
    for n in (0, 999, 1999):
        status, out, err = run("ask", "--data", str(data), "--json", word(n, "q"), cwd=tmp_path)
        assert status == 0, err
        assert word(n, "q") in json.loads(out)["answers"][0]["quote"]


def test_a_kill_between_store_and_index_is_repaired_at_the_next_start_with_a_log_line(tmp_path):
    data = tmp_path / "data"
    source = write_jsonl(tmp_path / "big.jsonl", range(1200))
    child = start("ingest", "--data", str(data), str(source), cwd=tmp_path)
    kill_when(child, data, lambda seen: seen[0] > seen[1], "while the index lags the store")
    status, out, err = run("check", "--data", str(data), cwd=tmp_path)
    assert "Repairing the search index from the store" in err
    assert status == 0, out + err
    count, indexed = stored(data)
    assert count == indexed > 0


def test_a_killed_reindex_is_finished_at_the_next_start(tmp_path):
    data = tmp_path / "data"
    source = write_jsonl(tmp_path / "big.jsonl", range(1500))
    assert run("ingest", "--data", str(data), str(source), cwd=tmp_path)[0] == 0
    child = start("reindex", "--data", str(data), cwd=tmp_path)
    kill_when(child, data, lambda seen: seen[1] < seen[0], "during the rebuild")
    status, out, err = run("ask", "--data", str(data), "--json", word(1234, "q"), cwd=tmp_path)
    assert status == 0, err
    assert "Repairing the search index" in err
    assert word(1234, "q") in json.loads(out)["answers"][0]["quote"]
    assert run("check", "--data", str(data), cwd=tmp_path)[0] == 0


def test_a_damaged_index_is_rebuilt_from_the_store_at_the_next_start(tmp_path):
    data = tmp_path / "data"
    source = write_jsonl(tmp_path / "some.jsonl", range(30))
    assert run("ingest", "--data", str(data), str(source), cwd=tmp_path)[0] == 0
    segments = [p for p in (data / "passages").iterdir() if p.suffix == ".seg"]
    assert segments
    for segment in segments:  # what a power loss can leave: a file the TOC names, cut short
        segment.write_bytes(segment.read_bytes()[:40])
    status, out, err = run("ask", "--data", str(data), "--json", word(7, "q"), cwd=tmp_path)
    assert status == 0, err
    assert "could not be read" in err and "rebuilding it from the store" in err
    assert word(7, "q") in json.loads(out)["answers"][0]["quote"]
    status, out, err = run("check", "--data", str(data), cwd=tmp_path)
    assert status == 0 and "agree on 30 article(s)" in out


def test_an_index_built_by_an_older_text_analysis_is_rebuilt_once_at_the_next_start(tmp_path):
    """After an upgrade that changes the terms a text gives ("Dec." read as "December"), the
    index on disk holds the old terms: the first start rebuilds it from the store."""
    data = tmp_path / "data"
    source = write_jsonl(tmp_path / "some.jsonl", range(30))
    assert run("ingest", "--data", str(data), str(source), cwd=tmp_path)[0] == 0
    marker = data / "passages" / "analysis"
    before = {p.name for p in (data / "passages").iterdir() if p.suffix == ".seg"}
    marker.unlink()  # as an index built before the version was kept
    status, out, err = run("ask", "--data", str(data), "--json", word(7, "q"), cwd=tmp_path)
    assert status == 0, err
    assert "another version of the text analysis" in err and "(30 articles)" in err
    assert word(7, "q") in json.loads(out)["answers"][0]["quote"]
    assert marker.read_text().strip() == str(ANALYSIS)
    assert not before & {p.name for p in (data / "passages").iterdir() if p.suffix == ".seg"}
    status, out, err = run("check", "--data", str(data), cwd=tmp_path)
    assert status == 0 and "agree on 30 article(s)" in out and "analysis" not in err


def test_check_finds_what_the_journal_does_not_know_and_reindex_repairs_it(tmp_path):
    data = tmp_path / "data"
    source = write_jsonl(tmp_path / "some.jsonl", range(12))
    assert run("ingest", "--data", str(data), str(source), cwd=tmp_path)[0] == 0
    with sqlite3.connect(data / "articles.sqlite3") as db:  # edits behind the journal's back
        db.execute("UPDATE articles SET title = 'Edited', content_hash = 'x' WHERE id = 'q-5'")
        db.execute("UPDATE articles SET indexed_hash = 'x' WHERE id = 'q-5'")
        db.execute("DELETE FROM articles WHERE id = 'q-9'")
        db.execute(
            "UPDATE articles SET paragraphs = json_insert(paragraphs, '$[#]', json(?))"
            " WHERE id = 'q-7'",
            ('["Added.", null]',),
        )
    status, out, err = run("check", "--data", str(data), cwd=tmp_path)
    assert status == 1
    assert "stale in the search index: 1 article(s): q-5" in out
    assert "extra in the search index: 1 article(s): q-9" in out
    assert "the search index holds 24 passage(s); the store has 23 paragraph(s)" in out
    assert "reindex" in err
    with Archive(data) as archive:
        assert not archive.check().ok
    status, out, err = run("reindex", "--data", str(data), cwd=tmp_path)
    assert status == 0 and out.startswith("reindexed 11 article(s), 23 passage(s)")
    assert run("check", "--data", str(data), cwd=tmp_path)[0] == 0


def test_the_worker_processes_of_a_killed_ingest_end_with_it(tmp_path):
    """A big ingest indexes in worker processes (started by a fork server, so grandchildren
    of the ingest, at a lower priority): killed with their parent, they must end too, and so
    must the fork server, or they would go on writing to the archive."""
    data = tmp_path / "data"
    source = write_jsonl(tmp_path / "big.jsonl", range(6000))  # 12,000 passages: parallel
    child = start("ingest", "--data", str(data), str(source), cwd=tmp_path)

    def workers_started() -> set[int] | None:
        if child.poll() is not None:
            raise AssertionError(f"no worker process was seen ({child.communicate()[1]})")
        found = descendants_of(child.pid)
        return found if any(niceness(pid) > 0 for pid in found) else None

    workers = eventually(workers_started, timeout=300, what="a worker process", interval=0.01)
    child.send_signal(signal.SIGKILL)
    child.wait()  # not communicate(): surviving workers would hold its pipes open
    eventually(
        lambda: not any(alive(pid) for pid in workers),
        timeout=30,
        what="the workers to end with the ingest",
    )
    status, out, err = run("ingest", "--data", str(data), str(source), cwd=tmp_path)
    assert status == 0 and "0 failed" in out, err
    assert stored(data) == (6000, 6000)


def children_of(parent: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.add(int(stat.parent.name))
    return found


def descendants_of(root: int) -> set[int]:
    found, todo = set(), [root]
    while todo:
        children = children_of(todo.pop())
        found |= children
        todo += children
    return found


def niceness(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])
    except (OSError, IndexError, ValueError):
        return 0


def alive(pid: int) -> bool:
    """Running (a zombie has ended: only its exit status is left for its parent to read)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
