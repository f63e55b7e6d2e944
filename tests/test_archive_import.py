"""Whole archives in: exports of any size stream in record by record, from files or stdin, and
CMS exports with their own field names are read through a mapping."""

from __future__ import annotations

import json
import random

import pytest

from index.archive import Archive
from index.ingest.sources import Progress, ingest
from tests.generated import article, run, word, write_jsonl

LIMIT = 5_000_000  # the default MAX_ARTICLE_BYTES


@pytest.mark.slow
def test_a_30_mb_export_of_small_articles_goes_in_and_one_article_over_the_limit_fails_alone(
    cli, tmp_path
):
    export = tmp_path / "archive.jsonl"
    rng = random.Random(7)
    filler = " ".join(
        rng.choice(["harbor", "ferry", "budget", "vote", "council"]) for _ in range(90)
    )
    with export.open("w") as out:
        for n in range(6000):
            record = article(n)
            record["paragraphs"] += [f"{filler} {n}." for _ in range(8)]
            out.write(json.dumps(record) + "\n")
            if n == 2500:
                huge = {"id": "huge", "title": "Huge", "body": "Too long. " * (LIMIT // 9)}
                out.write(json.dumps(huge) + "\n")
    assert export.stat().st_size > 30_000_000
    status, out, err = cli("ingest", str(export))
    assert status == 1
    assert "6,001 records read" in out and "6,000 added" in out and "1 failed" in out
    assert f"archive.jsonl line 2502: {len(json.dumps(huge)) + 1:,} bytes, over the" in err
    assert f"{LIMIT:,}-byte limit per article" in err
    # Records after the oversized one went in, and answer.
    quote = cli.ask_json(word(5999, "q"))["answers"][0]["quote"]
    assert word(5999, "q") in quote


def test_ingest_reads_json_lines_from_standard_input(tmp_path):
    data = tmp_path / "data"
    lines = "".join(json.dumps(article(n, "piped")) + "\n" for n in range(30))
    lines += "{broken\n"
    status, out, err = run("ingest", "--data", str(data), "-", cwd=tmp_path, stdin=lines)
    assert status == 1
    assert "30 added" in out and "1 failed" in out
    assert "standard input line 31: not valid JSON" in err
    status, out, err = run("ask", "--data", str(data), "--json", word(17, "piped"), cwd=tmp_path)
    assert word(17, "piped") in json.loads(out)["answers"][0]["quote"]


def test_progress_counts_every_record_and_every_byte_of_the_files(tmp_path):
    first = write_jsonl(tmp_path / "a.jsonl", range(450), prefix="a")
    second = write_jsonl(tmp_path / "b.jsonl", range(50), prefix="b")
    seen: list[tuple[int, int, int]] = []

    def show(progress: Progress) -> None:
        seen.append((progress.sources, progress.records, progress.bytes_read))

    with Archive(tmp_path / "data") as archive:
        report = ingest(archive, [str(first), str(second)], on_progress=show)
    assert report.records == 500 and report.count("added") == 500
    assert seen[-1] == (2, 500, first.stat().st_size + second.stat().st_size)
    assert [s[1] for s in seen] == sorted(s[1] for s in seen)  # records only grow
    assert any(0 < s[2] < first.stat().st_size for s in seen)  # bytes counted as it reads


def test_a_large_report_counts_everything_and_keeps_only_the_first_few(tmp_path):
    lines = [json.dumps(article(n, "r")) for n in range(150)] + ["[1, 2]"] * 150
    export = tmp_path / "mixed.jsonl"
    export.write_text("\n".join(lines) + "\n")
    with Archive(tmp_path / "data") as archive:
        report = ingest(archive, [str(export)])
    assert report.count("added") == 150 and report.count("failed") == 150
    assert len(report.added) == len(report.failed) == 100  # KEPT: memory stays bounded
    assert report.failed[
        0
    ] == "mixed.jsonl line 151: expected an object with article fields, got list".replace(
        "mixed.jsonl", str(export)
    )
    assert report.summary().startswith("300 records read in ")


def test_a_json_array_over_the_limit_streams_item_by_item(cli, tmp_path):
    items = [article(n, "arr") for n in range(200)]
    items.insert(100, {"title": "No text here"})
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"exported": "2026-05-01", "articles": items}))
    cli._monkeypatch.setenv("MAX_ARTICLE_BYTES", "20000")  # the file is many times this
    assert export.stat().st_size > 40_000
    status, out, err = cli("ingest", str(export))
    assert status == 1 and "200 added" in out and "1 failed" in out
    assert "export.json item 101: needs" in err
    assert word(150, "arr") in cli.ask_json(word(150, "arr"))["answers"][0]["quote"]


# --- a CMS's own field names --------------------------------------------------------------

CMS_EXPORT = [
    {
        "uuid": "ledger-4411",
        "headline": "Ferry fares to rise in July",
        "byline": {"authors": [{"name": "Priya Raman"}, {"name": "Jon Kowal"}]},
        "canonical": {"url": "https://millbrookledger.example/news/ferry-fares"},
        "first_published_at": "2026-05-12T08:00:00-04:00",
        "sections": ["Transport", "City Hall"],
        "body_html": (
            "<p>The harbor commission voted to raise ferry fares by fifty cents.</p>"
            "<h2>Who pays more</h2>"
            "<p>Commuters with monthly passes will pay an extra eight dollars a month.</p>"
        ),
    },
    {
        "uuid": "ledger-4412",
        "headline": "Library opens on Sundays",
        "byline": {"authors": [{"name": "Jon Kowal"}]},
        "first_published_at": "2026-05",
        "body_html": "<p>The main library branch will open on Sundays from noon.</p>",
    },
]
MAPPING = """\
# which field of our CMS export holds each of the bot's fields
id: uuid
title: headline
author: byline.authors.name
url: canonical.url
published: first_published_at
categories: sections
html: body_html
"""


def test_a_cms_export_is_read_through_a_mapping_file(cli, tmp_path):
    export = tmp_path / "cms.json"
    export.write_text(json.dumps(CMS_EXPORT))
    (tmp_path / "ledger-map.yml").write_text(MAPPING)
    status, _out, err = cli("ingest", str(export), "--map", str(tmp_path / "ledger-map.yml"))
    assert status == 0, err
    listed = {a["id"]: a for a in json.loads(cli("list", "--json")[1])}
    fares = listed["ledger-4411"]
    assert fares["title"] == "Ferry fares to rise in July"
    assert fares["author"] == "Priya Raman, Jon Kowal"
    assert fares["url"] == "https://millbrookledger.example/news/ferry-fares"
    assert fares["published"] == "2026-05-12T12:00:00+00:00"  # in UTC
    assert fares["categories"] == ["Transport", "City Hall"] and fares["derived"] == []
    assert listed["ledger-4412"]["published"] == "2026-05"  # a month stays a month
    answer = cli.ask_json("how much more will commuters with monthly passes pay?")["answers"][0]
    assert answer["quote"].startswith("Commuters with monthly passes will pay an extra")
    assert answer["heading"] == "Who pays more"
    assert answer["article"]["id"] == "ledger-4411"


def test_field_options_map_fields_without_a_file_and_bad_ones_are_named(cli, tmp_path):
    export = tmp_path / "cms.jsonl"
    export.write_text("".join(json.dumps(item) + "\n" for item in CMS_EXPORT))
    mapping = ["--field", "title=headline", "--field", "html=body_html"]
    status, _out, err = cli("ingest", str(export), *mapping)
    assert status == 0, err
    titles = {a["title"] for a in json.loads(cli("list", "--json")[1])}
    assert titles == {"Ferry fares to rise in July", "Library opens on Sundays"}
    status, _out, err = cli("ingest", str(export), "--field", "headline")
    assert status == 1 and "--field headline: write it OURS=THEIRS" in err
    status, _out, err = cli("ingest", str(export), "--field", "kicker=dek")
    assert status == 1 and "'kicker' is not a field" in err
