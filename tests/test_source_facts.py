"""Nothing in a citation that the source did not say: dates kept to the precision given, in
every reader, and titles never made of ids; what a reader made is marked as derived."""

from __future__ import annotations

import json
import shutil

import pytest

from index.article import Article
from index.dates import NotADate, date_bounds, source_date
from index.readers import read
from tests.feeds import Entry, rss

# (what the source wrote, what is stored: None = no date, and a note says why)
DATES = [
    ("2024", "2024"),
    ("2024-05", "2024-05"),
    ("May 2024", "2024-05"),
    ("Tuesday", None),
    ("yesterday", None),
    ("last Tuesday", None),
    ("5 March", None),
    ("2026-03-03T08:30:00-05:00", "2026-03-03T13:30:00+00:00"),
    ("Tue, 03 Mar 2026 08:30:00 -0500", "2026-03-03T13:30:00+00:00"),
    ("Tuesday, March 3, 2026", "2026-03-03"),
]


def only(items) -> Article:
    [article] = items
    assert isinstance(article, Article), article
    return article


def text_file(date: str) -> Article:
    return only(read(f"Title: Ferry fares\nDate: {date}\n\nFares rise.\n".encode(), "f.txt"))


def markdown_file(date: str) -> Article:
    doc = f"---\ntitle: Ferry fares\ndate: '{date}'\n---\n\nFares rise.\n"
    return only(read(doc.encode(), "f.md"))


def json_file(date: str) -> Article:
    doc = {"title": "Ferry fares", "published": date, "paragraphs": ["Fares rise."]}
    return only(read(json.dumps(doc).encode(), "f.json"))


def feed_file(date: str) -> Article:
    entry = Entry("Ferry fares", "https://ledger.example/fares", "Fares rise.", date)
    return only(read(rss([entry]), "f.rss"))


def html_file(date: str) -> Article:
    page = (
        '<html><head><title>Ferry fares</title><meta property="article:published_time" '
        f'content="{date}"></head><body><article><h1>Ferry fares</h1>'
        "<p>The harbor commission voted on Monday to raise ferry fares by fifty cents, the "
        "first rise in six years, citing fuel costs and the new dock.</p>"
        "<p>Commuters with monthly passes will pay an extra eight dollars a month.</p>"
        "</article></body></html>"
    )
    return only(read(page.encode(), "f.html"))


READERS = [text_file, markdown_file, json_file, feed_file, html_file]


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.__name__)
@pytest.mark.parametrize(("written", "stored"), DATES, ids=[d for d, _ in DATES])
def test_every_reader_keeps_a_date_to_the_precision_the_source_gave(reader, written, stored):
    article = reader(written)
    assert article.published == stored
    if stored is None:  # left out, and the ingest report will say why
        assert len(article.notes) == 1 and repr(written) in article.notes[0]
    else:
        assert article.notes == ()


def test_dates_are_never_completed_from_today():
    for written in ("2024", "May 2024", "Tuesday", "March 5", "yesterday at 5pm"):
        try:
            value = source_date(written)
        except NotADate:
            continue
        assert len(value) < 10, written  # a year or a month, never a day


def test_a_partial_date_means_every_day_of_it():
    assert date_bounds("2024") == ("2024-01-01", "2024-12-31")
    assert date_bounds("2024-02") == ("2024-02-01", "2024-02-29")
    assert date_bounds("2026-03-03T13:30:00+00:00") == ("2026-03-03", "2026-03-03")


def test_since_and_until_treat_a_partial_date_as_the_whole_period(cli, tmp_path):
    stories = [
        ("year", "2024", "The harbor ferry timetable changed during that year."),
        ("month", "2024-06", "The harbor ferry timetable changed again that June."),
        ("day", "2024-09-15", "The harbor ferry timetable changed on a Sunday."),
        ("later", "2025-02-01", "The harbor ferry timetable changed once more."),
    ]
    export = tmp_path / "dated.jsonl"
    export.write_text(
        "".join(
            json.dumps({"id": key, "title": key, "published": date, "paragraphs": [text]}) + "\n"
            for key, date, text in stories
        )
    )
    assert cli("ingest", str(export))[0] == 0

    def found(filters: str) -> set[str]:
        answer = cli.ask_json(f"harbor ferry timetable changed {filters}", "--limit", "10")
        return {a["article"]["id"] for a in answer["answers"]}

    assert found("since:2024-06-10") == {"year", "month", "day", "later"}
    assert found("since:2024-07-01") == {"year", "day", "later"}
    assert found("until:2024-05-31") == {"year"}
    assert found("since:2024-06-01 until:2024-06-30") == {"year", "month"}
    assert found("since:2025") == {"later"}
    assert found("until:2024-06") == {"year", "month"}
    status, _out, err = cli("ask", "harbor since:Tuesday")
    assert status == 1 and "since: needs a date written YYYY-MM-DD" in err


def test_a_year_only_date_reads_as_a_year_in_a_fact_answer(cli, tmp_path):
    (tmp_path / "fares.txt").write_text(
        "Title: Ferry fares rise\nDate: 2024\n\nThe harbor commission raised ferry fares.\n"
    )
    status, out, err = cli("ingest", str(tmp_path / "fares.txt"))
    assert status == 0 and "Date: 2024" not in err
    status, out, _ = cli("ask", "when was the ferry fares story published?")
    assert "“Ferry fares rise” was published in 2024." in out


def test_a_date_that_is_no_date_is_left_out_with_a_warning_naming_the_file(cli, tmp_path):
    (tmp_path / "fares.txt").write_text(
        "Title: Ferry fares rise\nDate: Tuesday\n\nThe harbor commission raised ferry fares.\n"
    )
    status, out, err = cli("ingest", str(tmp_path / "fares.txt"))
    assert status == 0 and "1 added" in out
    assert f"warning: {tmp_path / 'fares.txt'}: the date left out: 'Tuesday' is a weekday" in err
    [listed] = json.loads(cli("list", "--json")[1])
    assert listed["published"] is None


# --- titles ------------------------------------------------------------------------------

OPENING = (
    "The harbor commission voted on Monday to raise ferry fares by fifty cents, the first rise "
    "in six years, citing fuel costs and the cost of the new dock at Pier 4."
)


@pytest.mark.parametrize(
    "name",
    ["000_03d8a0d9c1e2fb58.txt", "1234567.txt", "a1b2c3d4-e5f6-4711-9a0b-c1d2e3f4a5b6.md"],
)
def test_a_file_named_with_ids_gets_its_title_from_its_first_sentence_marked_derived(name):
    article = only(read(f"{OPENING}\n\nCommuters will pay more.\n".encode(), name))
    assert article.title == (
        "The harbor commission voted on Monday to raise ferry fares by fifty cents, the first "
        "rise in six years, citing fuel…"
    )
    assert len(article.title) <= 121 and article.derived == ("title",)


def test_a_file_named_in_words_is_titled_by_its_name_and_marked_derived():
    article = only(read(f"{OPENING}\n".encode(), "2026-05-12-ferry-fares-rise.txt"))
    assert article.title == "Ferry fares rise" and article.derived == ("title",)
    titled = only(read(f"Title: Fares up\n\n{OPENING}\n".encode(), "000_03d8.txt"))
    assert titled.title == "Fares up" and titled.derived == ()


def test_list_and_ask_json_say_which_titles_were_derived(cli, tmp_path):
    (tmp_path / "000_03d8a0d9c1e2fb58.txt").write_text(f"{OPENING}\n\nCommuters pay more.\n")
    (tmp_path / "named.txt").write_text("Title: Library hours\n\nThe library opens Sundays.\n")
    assert cli("ingest", str(tmp_path))[0] == 0
    listed = {a["title"]: a["derived"] for a in json.loads(cli("list", "--json")[1])}
    assert listed["Library hours"] == []
    assert [d for t, d in listed.items() if t.startswith("The harbor commission")] == [["title"]]
    answer = cli.ask_json("how much did the harbor commission raise ferry fares?")
    cited = answer["answers"][0]["article"]
    assert cited["title"].startswith("The harbor commission voted") and cited["derived"] == [
        "title"
    ]


def test_a_syndicated_story_in_a_file_named_by_id_is_titled_from_its_first_line(
    story_path, cli, tmp_path
):
    copy = tmp_path / "000_03d8a0d9c1e2fb58.txt"
    shutil.copyfile(story_path, copy)
    assert cli("ingest", str(copy))[0] == 0
    [listed] = json.loads(cli("list", "--json")[1])
    assert listed["title"].startswith(
        "In an interview broadcast Sunday on the public channel MRT’s"
    )
    assert "03d8a0d9" not in listed["title"] and listed["derived"] == ["title"]
