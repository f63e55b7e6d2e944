"""Corrections and updates: a changed article replaces its passages, says when it was updated,
keeps its earlier versions, and is never quoted with a stale paragraph number."""

from __future__ import annotations

import json

from bot.render.plain import render_answer
from index.archive import Archive
from index.article import Article, Paragraph
from index.feeds.watched import FeedStore
from index.feeds.watcher import Watcher
from index.fetch import Fetcher
from tests.conftest import assert_verbatim
from tests.feeds import Clock, ConditionalFeed, Entry, rss
from tests.webserver import WebServer

URL = "https://valleywire.example/2026/05/transit-pass"
PASS = Entry(
    "Transit Pass Covers Three Counties",
    URL,
    "A single monthly pass will cover buses in Millbrook, Riverdale and Halvorsen counties "
    "from June 1, the Sable Valley Transit Authority announced.\n\nThe pass will cost $65 "
    "a month, and students and riders over 65 will pay half price.",
)
CORRECTED = Entry(
    PASS.title,
    URL,
    PASS.text.replace("$65 a month", "$60 a month"),
)


def story(*texts: str, **fields) -> Article:
    return Article(
        title="Dam Repairs Begin", paragraphs=tuple(Paragraph(t) for t in texts), url=URL, **fields
    )


def test_a_corrected_story_replaces_its_quotes_and_the_answer_says_when_it_was_updated(
    archive, tmp_path
):
    """Done when: a corrected version replaces its quotes; the answer says when it was updated."""
    feed = ConditionalFeed(rss([PASS]))
    with WebServer({"/feed.rss": feed}) as site:
        feeds = FeedStore(tmp_path / "feeds.sqlite3")
        feeds.add(site.url("/feed.rss"))
        clock = Clock()
        watcher = Watcher(archive, feeds, Fetcher(allow_private=True), every=600, clock=clock)
        watcher.poll()
        before = archive.ask("how much will the transit pass cost?")
        assert "$65 a month" in before.quotes[0].text and before.quotes[0].citation.updated is None
        feed.set(rss([CORRECTED]))
        clock.advance(600)
        report = watcher.poll()
        feeds.close()
    assert [a.url for a in report.updated] == [URL] and report.new == []
    answer = archive.ask("how much will the transit pass cost?")
    texts = " ".join(q.text for q in answer.quotes)
    assert "$60 a month" in texts and "$65" not in texts
    updated = answer.quotes[0].citation.updated
    assert updated and updated == archive.find(URL).updated
    assert f"updated {updated[:10]}" in render_answer(answer)
    assert archive.passages.passage_count() == 2 and archive.check().ok
    [first, current] = archive.history(URL)
    assert "$65 a month" in first.article.paragraphs[1].text and first.replaced_at
    assert current.replaced_at is None and "$60 a month" in current.article.paragraphs[1].text


def test_history_shows_what_changed_and_ask_json_carries_the_update(cli, tmp_path):
    first = tmp_path / "v1.json"
    article = {
        "title": "Dam Repairs Begin",
        "url": URL,
        "published": "2026-05-01",
        "paragraphs": [
            "Crews began repairing the Millbrook dam spillway on Monday.",
            "The work will cost $2.1 million and last until September.",
        ],
    }
    first.write_text(json.dumps(article))
    assert cli("ingest", str(first))[0] == 0
    article["paragraphs"][1] = "The work will cost $2.4 million and last until October."
    article["paragraphs"].append("Fishing below the dam is closed while the crews work.")
    first.write_text(json.dumps(article))
    status, out, _ = cli("ingest", str(first))
    assert status == 0 and "0 added, 1 updated" in out
    answer = cli.ask_json("how much will the dam work cost?")
    cited = answer["answers"][0]["article"]
    assert "$2.4 million" in answer["answers"][0]["quote"]
    assert cited["updated"] and cited["published"] == "2026-05-01"
    status, out, _ = cli("history", URL)
    assert status == 0
    assert "2 version(s)" in out and "Version 2 (current)" in out
    assert "paragraph 2 changed: The work will cost [-$2.1-]{+$2.4+} million" in out
    assert "until [-September.-]{+October.+}" in out
    assert "paragraph 3 added: Fishing below the dam is closed" in out
    assert f"updated: (none) → {cited['updated']}" in out
    versions = json.loads(cli("history", "--json", URL)[1])
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[1]["changes"][-1] == {
        "kind": "added",
        "field": None,
        "old": None,
        "new": "Fishing below the dam is closed while the crews work.",
        "old_paragraph": None,
        "new_paragraph": 3,
    }
    status, _, err = cli("history", "https://valleywire.example/nothing")
    assert status == 1 and "No article" in err


def test_a_quote_from_an_updated_article_carries_its_new_paragraph_number(archive):
    archive.add([story("Crews began work on the dam.", "Anglers must keep off the spillway.")])
    archive.add(
        [
            story(
                "Editor's note: this story was corrected to give the right closing date.",
                "Crews began work on the dam.",
                "Anglers must keep off the spillway until the end of October.",
            )
        ]
    )
    [quote] = [q for q in archive.ask("where must anglers keep off?").quotes if "Anglers" in q.text]
    assert quote.paragraph == 3
    current = archive.find(URL)
    assert_verbatim(quote.text, current.paragraphs[quote.paragraph - 1].text)
    assert quote.citation.updated == current.updated
    assert archive.check().ok and archive.passages.passage_count() == 3


def test_an_unchanged_copy_is_no_update_and_a_newer_source_date_is_kept(archive):
    archive.add([story("Crews began work on the dam.")])
    [changed] = archive.add([story("Crews began work on the dam on Monday.")])
    assert changed.status == "updated" and changed.article.updated
    [again] = archive.add([story("Crews began work on the dam on Monday.")])
    assert again.status == "unchanged" and again.article.updated == changed.article.updated
    assert len(archive.history(URL)) == 2
    [dated] = archive.add([story("Crews began work on Monday.", updated="2099-01-02T03:04:05")])
    assert dated.article.updated == "2099-01-02T03:04:05"
    assert len(archive.history(URL)) == 3
    archive.remove(URL)
    archive.add([story("Crews began work on the dam.")])
    assert len(archive.history(URL)) == 1  # a removed article's versions went with it


def test_versions_are_kept_with_the_article_and_an_interrupted_update_is_repaired(tmp_path):
    with Archive(tmp_path) as first:
        first.add([story("Crews began work on the dam.")])
        first.store.put([story("Crews began work on the dam on Tuesday.")])  # killed here
        assert first.check().stale
    with Archive(tmp_path) as second:
        assert second.check().ok
        assert "Tuesday" in second.ask("when did crews begin work on the dam?").quotes[0].text
        assert len(second.history(URL)) == 2


def test_a_text_file_without_a_link_corrected_and_read_again_is_updated_in_place(cli, tmp_path):
    story_file = tmp_path / "dam-repairs.txt"
    lines = [
        "Title: Dam Repairs Begin",
        "",
        "Crews began repairing the Millbrook dam spillway on Monday, the county said.",
        "",
        "The work will cost $2.1 million, paid from the state's flood fund, and should end "
        "before the autumn rains reach the valley.",
    ]
    story_file.write_text("\n".join(lines))
    assert cli("ingest", str(story_file))[0] == 0
    story_file.write_text("\n".join(lines).replace("$2.1 million", "$2.4 million"))
    status, out, _ = cli("ingest", str(story_file))
    assert status == 0 and "0 added, 1 updated" in out
    listed = json.loads(cli("list", "--json")[1])
    assert len(listed) == 1 and listed[0]["updated"]
    answer = cli.ask_json("how much will the dam work cost?")
    assert "$2.4 million" in answer["answers"][0]["quote"]
    assert "[-$2.1-]{+$2.4+}" in cli("history", listed[0]["id"])[1]
    other = tmp_path / "other.txt"  # like text from another file is another article
    other.write_text("\n".join(lines).replace("$2.1 million", "$2.7 million"))
    assert "1 added" in cli("ingest", str(other))[1]
