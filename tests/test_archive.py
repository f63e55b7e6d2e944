"""The archive: SQLite store and Whoosh index in step, identity, updates, removal, repair."""

from __future__ import annotations

import os
import sqlite3

import pytest

from index.archive import Archive
from index.article import Article, Paragraph
from index.errors import NotFound
from index.search import writes


def article(title="Dam inspection set for May", url=None, text="The dam will be inspected.", **kw):
    return Article(title=title, paragraphs=(Paragraph(text),), url=url, **kw)


def test_same_article_twice_is_stored_once(archive):
    first = archive.add([article()])
    second = archive.add([article()])
    assert [s.status for s in first] == ["added"]
    assert [s.status for s in second] == ["unchanged"]
    assert archive.store.count() == 1
    assert archive.passages.passage_count() == 1


def test_an_article_with_a_url_is_updated_in_place(archive):
    url = "https://courier.example/dam?utm_source=feed#top"
    archive.add([article(url=url, text="The dam will be inspected in May.")])
    [stored] = archive.add(
        [article(url="https://COURIER.example/dam", text="The dam will be inspected in June.")]
    )
    assert stored.status == "updated"
    assert archive.store.count() == 1
    assert archive.passages.passage_count() == 1
    assert archive.ask("when will the dam be inspected?").quotes[0].text.endswith("in June.")
    assert all("May" not in quote.text for quote in archive.ask("dam inspected May").quotes)


def test_without_a_url_the_content_is_the_identity(archive):
    archive.add([article(text="One text."), article(text="Another text.")])
    assert archive.store.count() == 2


def test_find_and_remove_by_id_or_url(archive):
    url = "https://courier.example/ferry"
    archive.add([article(url=url, text="Ferry fares rise."), article(text="Bridge closes.")])
    assert archive.find(url + "?utm_medium=email").url == url
    removed = archive.remove(url)
    assert removed.url == url
    assert archive.store.count() == 1
    assert not archive.ask("ferry fares").quotes
    with pytest.raises(NotFound, match="ferry"):
        archive.remove(url)


def test_store_survives_and_index_is_rebuilt_from_it(tmp_path):
    with Archive(tmp_path) as first:
        first.add([article(text="Lighthouse tours resume in July.")])
    (tmp_path / "passages").rename(tmp_path / "lost")
    with Archive(tmp_path) as second:
        assert not second.check().ok
        assert second.reindex() == 1
        assert second.check().ok
        assert second.ask("lighthouse tours").quotes


def test_an_interrupted_ingest_is_finished_at_the_next_start(tmp_path, caplog):
    with Archive(tmp_path) as first:
        first.store.put([article(text="Stored, but the process died before indexing it.")])
        assert first.check().missing
    with Archive(tmp_path) as second:
        assert second.check().ok
        assert second.ask("process died before indexing").quotes
    assert "Repairing the search index" in caplog.text


def test_an_interrupted_removal_is_finished_at_the_next_start(tmp_path):
    with Archive(tmp_path) as first:
        first.add([article(text="Soon to be removed.")])
        first.store.mark_removed(first.articles()[0].id)
    with Archive(tmp_path) as second:
        assert second.check().ok
        assert not second.ask("soon removed").quotes
        assert second.store.count() == 0
    rows = sqlite3.connect(tmp_path / "articles.sqlite3").execute("SELECT count(*) FROM articles")
    assert rows.fetchone()[0] == 0


def test_articles_are_listed_newest_first(archive):
    archive.add(
        [
            article(text="Old.", published="2024-01-01"),
            article(text="Undated."),
            article(text="New.", published="2026-02-03T10:00:00+00:00"),
        ]
    )
    assert [a.paragraphs[0].text for a in archive.articles()] == ["New.", "Old.", "Undated."]


def test_source_ids_survive_the_round_trip_through_the_store(archive):
    archive.add([article(key="cms-77", text="Keyed.")])
    assert archive.find("cms-77").id == "cms-77"
    assert archive.articles()[0].id == "cms-77"


def twelve_paragraphs(n: int) -> Article:
    texts = [f"Ferry route {n} adds sailing {i} to the island timetable." for i in range(12)]
    return Article(title=f"Ferry {n}", paragraphs=tuple(map(Paragraph, texts)), key=f"f{n}")


@pytest.mark.parametrize(("settled", "segments"), [(2000, 1), (10, 5)])
def test_small_writes_merge_small_segments_and_leave_big_ones(
    archive, monkeypatch, settled, segments
):
    """The fifth write takes four small segments into its own; segments of SETTLED_SEGMENT
    passages or more wait for compact."""
    monkeypatch.setattr(writes, "SETTLED_SEGMENT", settled)
    for n in range(5):
        archive.add([twelve_paragraphs(n)])
    assert archive.passages.segments() == segments
    assert archive.passages.passage_count() == 60


def test_compact_leaves_one_segment_and_the_same_answers(archive, monkeypatch):
    monkeypatch.setattr(writes, "SETTLED_SEGMENT", 10)
    for n in range(5):
        archive.add([twelve_paragraphs(n)])
    before = archive.ask("which ferry route adds sailing 7?")
    assert archive.passages.segments() == 5
    archive.passages.compact()
    archive.passages.reopen()
    assert archive.passages.segments() == 1
    after = archive.ask("which ferry route adds sailing 7?")
    assert after.quotes and [q.text for q in after.quotes] == [q.text for q in before.quotes]


def test_a_big_write_goes_to_parallel_writers_and_loses_nothing(archive, caplog):
    """From PARALLEL_FROM passages a write is split among processes: every passage arrives,
    once, and an update through the same path replaces the old version's passages."""
    batch = [twelve_paragraphs(n) for n in range(writes.PARALLEL_FROM // 12 + 1)]
    archive.add(batch)
    assert archive.passages.passage_count() == 12 * len(batch)
    assert archive.passages.segments() >= min(os.cpu_count() or 1, writes.MAX_PROCS)
    assert "lost passages" not in caplog.text
    assert archive.check().ok
    revised = [
        Article(title=a.title, paragraphs=a.paragraphs[:6], key=a.key) for a in batch
    ]  # the same articles, half as long
    archive.add(revised)
    assert archive.passages.passage_count() == 6 * len(batch)
    assert archive.check().ok
    assert "lost passages" not in caplog.text
    assert archive.ask("which ferry route adds sailing 3?").quotes


def test_a_parallel_writer_that_fails_leaves_the_index_as_it_was(archive):
    """A worker process that cannot write its share raises in the parent, and none of the
    commit (other workers' segments, the deletions) reaches the index."""
    archive.add([twelve_paragraphs(0)])
    batch = [twelve_paragraphs(n) for n in range(1, writes.PARALLEL_FROM // 12 + 2)]
    bad = batch[-1]  # a lone surrogate cannot be encoded as a term: its worker fails
    batch[-1] = Article(title="Bad", paragraphs=bad.paragraphs, key="bad", published="2024\ud800")
    with pytest.raises(UnicodeEncodeError):
        archive.passages.write(batch, delete=["f0"])
    assert archive.passages.passage_count() == 12
    assert archive.passages.segments() == 1
    quotes = archive.ask("which ferry route adds sailing 3?").quotes
    assert quotes and all(quote.text.startswith("Ferry route 0") for quote in quotes)
    archive.passages.write(batch[:-1])
    assert archive.passages.passage_count() == 12 * len(batch)


def test_a_question_asked_again_is_answered_from_memory_until_the_index_changes(tmp_path):
    with Archive(tmp_path) as asking, Archive(tmp_path) as other_process:
        question = "when does the night ferry sail?"
        first = asking.ask(question)
        assert not first.quotes
        assert asking.ask(question) is first  # remembered
        ferry = "https://harbor.example/ferry"
        other_process.add([article(url=ferry, text="The night ferry sails at 11 p.m.")])
        second = asking.ask(question)  # another writer changed the index: asked afresh
        assert second.quotes and "11 p.m." in second.quotes[0].text
        asking.add([article(url=ferry, text="The night ferry sails at midnight now.")])
        third = asking.ask(question)
        assert "midnight" in third.quotes[0].text


def test_remembered_answers_are_forgotten_when_the_index_is_rebuilt(tmp_path):
    """A rebuilt index starts its commit numbers again; the store's change counter still moves."""
    with Archive(tmp_path) as asking:
        asking.add([article(url="https://harbor.example/ferry", text="The ferry sails at 9.")])
        before = asking.ask("when does the ferry sail?")
        assert before.quotes
        with Archive(tmp_path) as other_process:
            other_process.remove("https://harbor.example/ferry")
            other_process.reindex()
        assert not asking.ask("when does the ferry sail?").quotes


def route_cut(first: Article) -> Article:
    """The article's second version: its last paragraph says the route is cut."""
    last = Paragraph("Ferry route 1 is cut.")
    return Article(title=first.title, paragraphs=(*first.paragraphs[:11], last), key="f1")


def test_an_article_revised_later_in_the_same_ingest_ends_at_its_last_version(
    archive, monkeypatch, caplog
):
    """Parts are stored while the one before is indexed: a second version of an article in a
    later part is indexed too, with no complaint that the first was not recorded."""
    import index.archive

    monkeypatch.setattr(index.archive, "COMMIT_PASSAGES", 12)
    first = twelve_paragraphs(1)
    revised = route_cut(first)
    stored = archive.add([first, twelve_paragraphs(2), revised, twelve_paragraphs(3)])
    assert [s.status for s in stored] == ["added", "added", "updated", "added"]
    assert archive.check().ok
    assert archive.find("f1").paragraphs[-1].text == "Ferry route 1 is cut."
    assert "did not record" not in caplog.text and "Repairing" not in caplog.text
    assert "cut" in archive.ask("which ferry route is cut?").quotes[0].text


def test_a_version_stored_while_the_one_before_is_indexed_replaces_its_passages(
    archive, monkeypatch
):
    """The index gets the first version while the second is stored, so the store cannot
    record it: the second's commit must still look for the first's passages and drop them."""
    import index.archive

    monkeypatch.setattr(index.archive, "COMMIT_PASSAGES", 12)
    first = twelve_paragraphs(1)
    revised = route_cut(first)
    archive.add([first, revised, twelve_paragraphs(2)])
    consistency = archive.check()
    assert consistency.ok and consistency.passages == 24


def test_passages_the_store_did_not_record_are_replaced_not_doubled(tmp_path):
    """Killed after the index commit but before the store recorded it: the journal says
    never indexed, yet the passages are there, and the next write must drop them."""
    with Archive(tmp_path) as archive:
        archive.add([twelve_paragraphs(1)])
        with sqlite3.connect(tmp_path / "articles.sqlite3") as db:
            db.execute("UPDATE articles SET indexed_hash = NULL")
        archive.add([twelve_paragraphs(2)])
        consistency = archive.check()
        assert consistency.ok and consistency.passages == 24


def test_a_passage_found_brings_the_paragraphs_beside_it(archive):
    """Wire copy's short paragraphs lean on each other ("It opened in 1990."): a search can
    bring each passage's neighbours, and never another article's or a replaced version's."""
    url = "https://courier.example/ferry-terminal"

    def ferry(texts):
        return Article(title="Ferry terminal", paragraphs=tuple(map(Paragraph, texts)), url=url)

    texts = ["The ferry terminal reopens Monday.", "It closed in March.", "Fares are unchanged."]
    archive.add([ferry(texts)])
    archive.add([article(title="Dam", text="The dam closed in March too.")])
    edited = ["The ferry terminal reopens Tuesday.", "It closed in March for repairs.", texts[2]]
    archive.add([ferry(edited)])

    found = {
        (p.citation.title, p.paragraph): p.beside
        for p in archive.passages.search(["closed", "reopens", "fares"], beside=True)
    }
    assert found == {
        ("Ferry terminal", 1): ("", edited[1]),
        ("Ferry terminal", 2): (edited[0], edited[2]),
        ("Ferry terminal", 3): (edited[1], ""),
        ("Dam", 1): ("", ""),
    }
    assert all(p.beside == ("", "") for p in archive.passages.search(["closed"]))
