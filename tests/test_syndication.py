"""Syndicated copies: one story, quoted once from its original, the other outlets listed."""

from __future__ import annotations

import itertools
import logging
import sqlite3

import pytest

from bot.render.blocks import citation_mrkdwn
from bot.render.embeds import citation_markdown
from bot.render.plain import render_answer
from index.archive import Archive
from index.article import Article, Paragraph, Publication
from index.copies.shingles import (
    MIN_SHINGLES,
    THRESHOLD,
    Member,
    are_copies,
    band_keys,
    jaccard,
    original,
    shingles,
)
from index.fetch import Fetcher
from index.ingest.sources import ingest, read_source
from tests.conftest import SAMPLES
from tests.generated import article as generated

QUESTION = "who are the proposed guarantors?"
EDITED = ("Keller went so far as to deny", "Keller even went as far as denying")


def syndicated_copy(story_text: str) -> str:
    """The story as another outlet republishes it: its own byline line and footer, one
    sentence edited."""
    body = story_text.split("Click here for the original source")[0]
    assert EDITED[0] in body
    body = body.replace(*EDITED)
    return f"By Jordan Pike\n{body}© 2025 Harbor Daily News. All rights reserved.\n"


def sample_articles() -> list[Article]:
    found = []
    for path in sorted(SAMPLES.iterdir()):
        found += [a for a in read_source(str(path), Fetcher(), 10**7) if isinstance(a, Article)]
    return found


def edited_copy(article: Article, n: int = 0) -> Article:
    """Another outlet's copy: a sentence in the lede edited, its own footer paragraph added."""
    words = article.paragraphs[0].text.split()
    lede = " ".join([*words[:3], "reportedly", *words[3:6], "then", *words[7:]])
    footer = Paragraph("Republished with permission. Subscribe to the Harbor Daily for more.")
    paragraphs = (Paragraph(lede), *article.paragraphs[1:], footer)
    return Article(
        title=article.title + " (Harbor Daily)",
        paragraphs=paragraphs,
        source="Harbor Daily News",
        url=f"https://harbordaily.example/copy-{n}",
    )


@pytest.mark.parametrize("copy_first", [False, True], ids=["original-first", "copy-first"])
def test_a_story_and_its_copy_are_one_story_quoted_once_citing_the_original_outlet(
    cli, story_path, story_text, tmp_path, copy_first
):
    """Done when: one story, the guarantors quoted once citing the story's original outlet
    (North Sound Report), and "also published by" naming the other copy."""
    copy = tmp_path / "harbor-daily-copy.txt"
    copy.write_text(syndicated_copy(story_text), encoding="utf-8")
    assert cli("ingest", str(story_path))[0] == 0  # the story alone, to compare with
    without_copy = cli.ask_json(QUESTION)
    order = [str(copy), str(story_path)] if copy_first else [str(story_path), str(copy)]
    cli.data_dir = tmp_path / "with-copy"
    for source in order:
        status, out, err = cli("ingest", source)
        assert status == 0 and "1 added" in out, err
    answer = cli.ask_json(QUESTION)
    guarantors = [a for a in answer["answers"] if "group of guarantors" in a["quote"]]
    assert len(guarantors) == 1
    assert [a["quote"] for a in answer["answers"]] == [a["quote"] for a in without_copy["answers"]]
    for quoted in answer["answers"]:
        cited = quoted["article"]
        assert cited["source"] == "North Sound Report" and cited["author"] == "Mara Okonjo"
        assert cited["also_published_by"] == [{"source": "Harbor Daily News", "url": None}]
        assert cited["id"] == without_copy["answers"][0]["article"]["id"]
    status, out, _ = cli("ask", QUESTION)
    assert "North Sound Report" in out and "also published by Harbor Daily News" in out
    edited = cli.ask_json("Keller even went as far as denying the river")["answers"]
    assert edited and all(a["article"]["source"] == "North Sound Report" for a in edited)
    assert cli("check")[0] == 0


def test_the_copy_answers_again_once_the_original_is_removed(
    archive, story_path, story_text, tmp_path
):
    copy = tmp_path / "copy.txt"
    copy.write_text(syndicated_copy(story_text), encoding="utf-8")
    ingest(archive, [str(story_path), str(copy)])
    assert len(archive.store.copies()) == 1
    original_id = archive.ask(QUESTION).quotes[0].citation.article_id
    archive.remove(original_id)
    top = archive.ask(QUESTION).quotes[0]
    assert top.citation.source == "Harbor Daily News" and top.citation.also_published_by == ()
    assert archive.store.copies() == frozenset()


def test_copies_of_every_sample_are_recognised_and_distinct_samples_never_are():
    samples = sample_articles()
    assert len(samples) == 7
    texts = {a.title: [p.text for p in a.paragraphs] for a in samples}
    for sample in samples:
        copy = [p.text for p in edited_copy(sample).paragraphs]
        similarity = jaccard(shingles(texts[sample.title]), shingles(copy))
        assert similarity >= THRESHOLD, (sample.title, similarity)
        assert are_copies(texts[sample.title], copy), sample.title
        assert set(band_keys(texts[sample.title])) & set(band_keys(copy)), sample.title
    for a, b in itertools.combinations(samples, 2):
        assert not are_copies(texts[a.title], texts[b.title]), (a.title, b.title)
        assert not set(band_keys(texts[a.title])) & set(band_keys(texts[b.title]))


def test_copies_of_the_samples_collapse_in_the_archive(archive):
    samples = sample_articles()
    copies = [edited_copy(a, n) for n, a in enumerate(samples)]
    archive.add([*copies[:3], *samples, *copies[3:]])  # some copies arrive before the original
    assert archive.store.count() == 14
    assert len(archive.store.copies()) == 7
    for question in ["bridge vote", "transit pass price", "library mondays", "solar panels"]:
        quotes = archive.ask(question).quotes
        assert quotes, question
        for quote in quotes:
            assert quote.citation.source != "Harbor Daily News", question
            [also] = quote.citation.also_published_by
            assert also.source == "Harbor Daily News" and also.url.startswith("https://harbor")
    assert archive.check().ok


def test_bands_an_earlier_release_made_are_made_anew_and_the_stories_found_again(tmp_path, caplog):
    samples = sample_articles()
    with Archive(tmp_path / "data") as archive:
        archive.add([*samples, *(edited_copy(a, n) for n, a in enumerate(samples))])
        assert len(archive.store.copies()) == 7
    with sqlite3.connect(tmp_path / "data" / "articles.sqlite3") as db:  # as FORMAT 1 left it
        db.execute("DROP TABLE band_format")  # which earlier releases did not have
        db.execute("UPDATE bands SET key = key / 2")
        db.execute("UPDATE signatures SET sig = zeroblob(576)")
        db.execute("UPDATE articles SET story = NULL")
    caplog.set_level(logging.WARNING, logger="index.store.articles")
    with Archive(tmp_path / "data") as archive:
        assert len(archive.store.copies()) == 7
        assert archive.check().ok
        archive.add([edited_copy(samples[0], 99)])  # a new copy meets the new bands
        assert len(archive.store.copies()) == 8
    assert "Looked for syndicated copies among 14 stored article(s)" in caplog.text
    caplog.clear()
    Archive(tmp_path / "data").close()
    assert "Looked for syndicated copies" not in caplog.text  # once


def test_stories_cut_from_one_template_differ_in_their_figures_and_stay_apart(archive):
    def report(day: str, high: str, low: str) -> Article:
        text = (
            f"Forecasters expect a high of {high} degrees on {day} across the Sable Valley, "
            "with a light wind from the west and clear skies through the evening. "
            f"Overnight the temperature should fall to {low} degrees, and the county asks "
            "residents to check on elderly neighbours and to keep pets indoors in the heat."
        )
        return Article(title=f"Weather for {day}", paragraphs=(Paragraph(text),), key=day)

    monday, tuesday = report("Monday", "97", "71"), report("Tuesday", "101", "74")
    texts = [p.text for p in monday.paragraphs], [p.text for p in tuesday.paragraphs]
    assert jaccard(shingles(texts[0]), shingles(texts[1])) >= THRESHOLD  # alike in words
    assert not are_copies(*texts)
    archive.add([monday, tuesday])
    assert archive.store.copies() == frozenset()


def test_short_texts_are_never_judged_copies():
    first, second = generated(1, "a"), generated(1, "b")  # one word apart, 27 words long
    assert len(shingles(first["paragraphs"])) < MIN_SHINGLES
    assert not are_copies(first["paragraphs"], second["paragraphs"])
    assert band_keys(first["paragraphs"]) == []


def test_the_original_is_the_credited_outlet_then_a_credit_then_the_earliest():
    def member(i, source, credited=False, published=None, added="2026-01-01"):
        return Member(i, source, None, credited, published, added)

    aggregator = member("agg", "Straight Arrow News", credited=True, published="2025-08-20")
    own = member("own", "Straight Arrow News", published="2025-08-25")
    other = member("other", "Harbor Daily News", published="2025-08-01")
    assert original([aggregator, own, other]).id == "own"  # the outlet a copy credits
    assert original([aggregator, other]).id == "agg"  # a copy naming the original's outlet
    later = member("later", "Valley Wire", published="2025-08-03")
    undated = member("undated", "Courier", added="2025-01-01")
    assert original([later, other, undated]).id == "other"  # the earliest publication
    first = member("first", "A", added="2026-01-01")
    assert original([member("second", "B", added="2026-02-01"), first]).id == "first"


def test_renderers_show_the_other_outlets(archive, story_path, story_text, tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_text(syndicated_copy(story_text), encoding="utf-8")
    ingest(archive, [str(story_path)])
    archive.add(
        [
            a.__class__(**{**a.__dict__, "url": "https://harbordaily.example/marenia"})
            for a in read_source(str(copy), Fetcher(), 10**6)
        ]
    )
    answer = archive.ask(QUESTION)
    cited = answer.quotes[0].citation
    assert cited.also_published_by == (
        Publication("Harbor Daily News", "https://harbordaily.example/marenia"),
    )
    assert "also published by Harbor Daily News (https://harbordaily.example/marenia)" in (
        render_answer(answer)
    )
    assert "also published by <https://harbordaily.example/marenia|Harbor Daily News>" in (
        citation_mrkdwn(cited, 4)
    )
    assert "Also published by [Harbor Daily News](https://harbordaily.example/marenia)" in (
        citation_markdown(cited, 4)
    )
    assert story_text.count("Harbor Daily") == 0
