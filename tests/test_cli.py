"""The command line, `python -m bot`: the forms scripts, tests and benchmarks rely on."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT, SAMPLES, assert_verbatim, modules_loaded

SAMPLE_ARTICLES = {
    "Harbor Bridge Vote Delayed Over Cable Anchor Review": "Priya Raman",
    "Library Hours Cut as County Budget Tightens": "Tomás Álvarez",
    "River cleanup": "Mei Lin",
    "School Board Approves Solar Panels for Two Campuses": "Jordan Ellis",
    "Farmers Market Moves to Saturday Mornings": "Sam Okonkwo",
    "Regional Transit Pass Expands to Three Counties": "Alicia Moreno",
    "Heat Advisory Issued for the Sable Valley": "Dev Patel",
}


def test_a_directory_of_every_format_gives_one_article_per_item(cli):
    status, out, err = cli("ingest", str(SAMPLES))
    assert status == 0, err
    assert "7 added, 0 updated, 0 unchanged, 0 failed" in out
    status, out, _ = cli("list", "--json")
    listed = json.loads(out)
    assert {a["title"]: a["author"] for a in listed} == SAMPLE_ARTICLES

    status, out, _ = cli("ingest", str(SAMPLES))
    assert "0 added, 0 updated, 7 unchanged, 0 failed" in out
    assert len(json.loads(cli("list", "--json")[1])) == 7


def test_a_bad_source_fails_alone_and_sets_the_exit_status(cli, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text("Title: Good\n\nThe good article text.\n")
    (folder / "blank.txt").write_text("\n\n")
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (folder / "broken.json").write_text('{"title": ')
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    status, out, err = cli("ingest", str(folder), str(tmp_path / "missing.txt"))
    assert status == 1
    assert "1 added, 0 updated, 0 unchanged, 4 failed, 1 skipped" in out
    errors = err.strip().splitlines()
    assert len(errors) == 4
    for name, reason in [
        ("blank.txt", "empty"),
        ("photo.txt", "binary"),
        ("broken.json", "not valid JSON"),
        ("missing.txt", "no such file"),
    ]:
        assert any(name in line and reason in line for line in errors), (name, errors)
    assert cli.ask_json("good article")["answers"][0]["quote"] == "The good article text."


def test_ask_json_has_the_documented_shape(cli):
    cli("ingest", str(SAMPLES))
    result = cli.ask_json("how much will the bridge cost?", "--limit", "2")
    assert result["question"] == "how much will the bridge cost?"
    assert result["suggestion"] is None
    assert 1 <= len(result["answers"]) <= 2
    top = result["answers"][0]
    assert set(top) >= {"quote", "paragraph", "score", "highlights", "article"}
    assert "$48 million" in top["quote"]
    assert isinstance(top["paragraph"], int) and isinstance(top["score"], float)
    for start, end in top["highlights"]:
        assert top["quote"][start:end].lower() in {"bridge", "cost"}
    assert set(top["article"]) >= {"id", "title", "author", "source", "url", "published"}
    assert top["article"]["author"] == "Priya Raman"


def test_ask_reads_one_question_per_line_from_stdin(cli):
    cli("ingest", str(SAMPLES))
    questions = "transit pass price\n\nsolar panels\nzzzqqq\n"
    status, out, _ = cli("ask", "--json", "-", stdin=questions)
    assert status == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [r["question"] for r in lines] == ["transit pass price", "solar panels", "zzzqqq"]
    assert lines[0]["answers"] and lines[1]["answers"]
    assert lines[2]["answers"] == []


def test_ask_in_text_shows_quote_and_citation(cli):
    cli("ingest", str(SAMPLES))
    status, out, _ = cli("ask", "--limit", "1", "when does the market open in Depot Square?")
    assert status == 0
    assert "The market opens May 16 in the Depot Square parking lot" in out
    assert "“Farmers Market Moves to Saturday Mornings”, Sam Okonkwo, Valley Courier" in out
    assert "paragraph 3" in out
    status, out, _ = cli("ask", "zzzqqq")
    assert "Nothing in the archive answers that." in out


def test_remove_reindex_check_and_console(cli):
    cli("ingest", str(SAMPLES))
    status, out, _ = cli("remove", "ledger-2026-0412")
    assert status == 0 and "School Board Approves Solar Panels" in out
    assert cli.ask_json("solar panels")["answers"] == []
    status, out, _ = cli("remove", "ledger-2026-0412")
    assert status == 1
    assert cli("reindex")[1].startswith("reindexed 6 article(s)")
    status, out, _ = cli("check")
    assert status == 0 and "agree on 6 article(s)" in out
    status, out, _ = cli("console", stdin="heat advisory\nquit\n")
    assert status == 0
    assert "National Weather Service issued a heat advisory" in out


def test_an_overlong_question_is_refused_with_a_message(cli):
    cli("ingest", str(SAMPLES))
    status, _, err = cli("ask", "bridge " * 300)
    assert status == 1
    assert "limit is 1,000" in err


def test_ingest_then_ask_json_through_a_real_process(tmp_path, story_path):
    """`python -m bot ingest ...` then `ask --json ...`, each a process of its own."""
    data = tmp_path / "D"
    run = [sys.executable, "-m", "bot"]
    subprocess.run([*run, "ingest", "--data", str(data), str(story_path)], cwd=ROOT, check=True)
    asked = subprocess.run(
        [*run, "ask", "--data", str(data), "--json", "who are the proposed guarantors?"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    top = json.loads(asked.stdout)["answers"][0]
    assert "a group of guarantors" in top["quote"]
    assert_verbatim(top["quote"], story_path.read_text(encoding="utf-8"))
    assert top["paragraph"] == 4
    assert top["article"]["author"] == "Mara Okonjo"
    assert top["article"]["source"] == "North Sound Report"
    assert top["article"]["source_url"] == "https://northsoundreport.example"


def test_a_reader_that_stops_reading_ends_ask_quietly(tmp_path):
    """`ask - | head -1`: once the pipe closes, no traceback, and the status says so."""
    data = tmp_path / "D"
    run = [sys.executable, "-m", "bot"]
    subprocess.run([*run, "ingest", "--data", str(data), str(SAMPLES)], cwd=ROOT, check=True)
    questions = tmp_path / "questions.txt"
    questions.write_text("why was the harbor bridge vote delayed?\n" * 2000, encoding="utf-8")
    with questions.open() as stdin:
        asking = subprocess.Popen(
            [*run, "ask", "--data", str(data), "--json", "-"],
            cwd=ROOT,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        first = asking.stdout.readline()
        asking.stdout.close()
        errors = asking.stderr.read()
        status = asking.wait(timeout=120)
    assert json.loads(first)["answers"]
    assert status == 141
    assert "Traceback" not in errors and "BrokenPipe" not in errors


def test_ask_starts_without_the_chat_and_reading_libraries(tmp_path):
    """A cold `ask` imports what answering needs, not Slack, Discord or the HTML reader."""
    loaded = modules_loaded(["ask", "--data", str(tmp_path / "D"), "who wrote it?"])
    assert "whoosh" in loaded and "syntok" in loaded  # it did answer
    heavy = {"slack_bolt", "slack_sdk", "discord", "aiohttp", "trafilatura", "feedparser"}
    assert not heavy & set(loaded)
