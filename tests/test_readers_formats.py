"""HTML, Markdown, JSON, JSON Lines and feed readers, and choosing among them."""

from __future__ import annotations

import json

import pytest

from index.article import Article
from index.errors import ReadError
from index.readers import read
from tests.conftest import SAMPLES


def articles_of(data: bytes, name: str, **kwargs) -> list[Article]:
    items = read(data, name, **kwargs)
    assert all(isinstance(item, Article) for item in items), items
    return items


def test_html_page_loses_its_boilerplate_and_keeps_its_metadata():
    [article] = articles_of((SAMPLES / "harbor-bridge-vote.html").read_bytes(), "page.html")
    assert article.title == "Harbor Bridge Vote Delayed Over Cable Anchor Review"
    assert article.author == "Priya Raman"
    assert article.source == "The Millbrook Ledger"
    assert article.url == "https://millbrookledger.example/news/2026/03/harbor-bridge-vote-delayed"
    assert article.published == "2026-03-03T13:30:00+00:00"  # its meta tag, in UTC
    body = "\n".join(p.text for p in article.paragraphs)
    assert body.startswith("The Millbrook city council postponed its vote")
    for boilerplate in ("adSlots", "color: red", "Subscribe", "$1 a week", "All rights reserved"):
        assert boilerplate not in body
    assert "Most read" not in body
    cost = next(p for p in article.paragraphs if "$48 million" in p.text)
    assert cost.heading == "How much will the bridge cost?"


def test_html_without_article_text_is_a_clear_error():
    with pytest.raises(ReadError, match="no article text"):
        read(b"<html><body><nav>Home</nav></body></html>", "empty.html")


def test_markdown_front_matter_and_sections():
    [article] = articles_of((SAMPLES / "library-hours.md").read_bytes(), "library-hours.md")
    assert article.title == "Library Hours Cut as County Budget Tightens"
    assert article.author == "Tomás Álvarez"
    assert article.source == "Valley Courier"
    assert article.published == "2026-04-11"
    assert article.paragraphs[0].text.startswith("The Millbrook Public Library will close")
    assert article.paragraphs[0].heading is None
    bookmobile = next(p for p in article.paragraphs if "bookmobile" in p.text)
    assert bookmobile.heading == "Which services are affected?"
    assert all(not p.text.startswith("#") for p in article.paragraphs)


def test_markdown_without_front_matter_takes_its_title_from_the_first_heading():
    text = (
        "# Pier Reopens\n\nThe *old* pier reopened on [Sunday](https://x.example).\n\n"
        "- Fishing allowed\n"
    )
    [article] = articles_of(text.encode(), "pier.md")
    assert article.title == "Pier Reopens"
    assert [p.text for p in article.paragraphs] == [
        "The old pier reopened on Sunday.",
        "Fishing allowed",
    ]


def test_markdown_with_broken_front_matter_names_the_problem():
    with pytest.raises(ReadError, match="front matter"):
        read(b"---\ntitle: [unclosed\n---\nBody text.\n", "broken.md")


def test_json_object_list_and_articles_key():
    one = {"title": "A", "author": "X", "paragraphs": ["First.", "Second."]}
    two = {"title": "B", "body": "Para one.\n\nPara two.\n\n\nPara three."}
    assert len(articles_of(json.dumps(one).encode(), "a.json")) == 1
    listed = articles_of(json.dumps([one, two]).encode(), "b.json")
    assert [a.title for a in listed] == ["A", "B"]
    assert [p.text for p in listed[1].paragraphs] == ["Para one.", "Para two.", "Para three."]
    wrapped = articles_of(json.dumps({"articles": [one, two]}).encode(), "c.json")
    assert len(wrapped) == 2


def test_json_id_becomes_the_article_id():
    data = json.dumps({"id": "cms-981", "title": "T", "paragraphs": ["Text."]}).encode()
    assert articles_of(data, "a.json")[0].id == "cms-981"


def test_json_lines_bad_line_fails_alone():
    lines = [
        json.dumps({"title": "Good one", "author": "Ann", "paragraphs": ["Text one."]}),
        "{not json",
        json.dumps({"title": "No text"}),
        json.dumps({"title": "Bad date", "published": "last Tuesday", "paragraphs": ["x y"]}),
        json.dumps({"title": "Good two", "body": "Text two."}),
    ]
    items = read("\n".join(lines).encode(), "feed.jsonl")
    read_ok = [i for i in items if isinstance(i, Article)]
    assert [i.title for i in read_ok] == ["Good one", "Bad date", "Good two"]
    errors = [str(i) for i in items if isinstance(i, ReadError)]
    assert errors[0].startswith("feed.jsonl line 2: not valid JSON")
    assert errors[1].startswith("feed.jsonl line 3:") and '"paragraphs"' in errors[1]
    # A date that is no date is left out, never guessed, and the article still goes in.
    assert read_ok[1].published is None
    assert read_ok[1].notes == (
        "\"published\" left out: 'last Tuesday' is relative to a day the source does not give",
    )


def test_invalid_json_names_the_file_and_line():
    with pytest.raises(ReadError, match=r"broken\.json: not valid JSON \(line 2"):
        read(b'{"title": "x",\n oops}', "broken.json")


def test_rss_entries_become_articles_with_full_content_or_summary():
    items = articles_of((SAMPLES / "valley-wire.rss").read_bytes(), "valley-wire.rss")
    assert [a.title for a in items] == [
        "Regional Transit Pass Expands to Three Counties",
        "Heat Advisory Issued for the Sable Valley",
    ]
    transit, heat = items
    assert transit.author == "Alicia Moreno"
    assert transit.source == "Valley Wire"
    assert transit.url == "https://valleywire.example/2026/05/transit-pass-expands"
    assert transit.published.startswith("2026-05-04T13:15:00")
    assert len(transit.paragraphs) == 3  # the full content, not the one-line description
    assert transit.paragraphs[2].heading == "Why now?"
    assert heat.paragraphs[1].text.startswith("Millbrook will open cooling centers")


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Gull Island Gazette</title>
  <link href="https://gullgazette.example/"/>
  <updated>2026-06-02T10:00:00Z</updated>
  <id>urn:gull</id>
  <entry>
    <title>Lighthouse Repairs Finished</title>
    <link href="https://gullgazette.example/lighthouse"/>
    <id>urn:gull:1</id>
    <author><name>Rowan Pike</name></author>
    <published>2026-06-01T09:00:00Z</published>
    <updated>2026-06-02T10:00:00Z</updated>
    <content type="html">&lt;p&gt;The lighthouse is lit again.&lt;/p&gt;
      &lt;p&gt;Tours resume in July.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Empty entry</title>
    <id>urn:gull:2</id>
  </entry>
</feed>"""


def test_atom_feed_and_an_entry_without_text():
    items = read(ATOM, "gull.atom")
    article, error = items
    assert article.title == "Lighthouse Repairs Finished"
    assert article.author == "Rowan Pike"
    assert article.published == "2026-06-01T09:00:00+00:00"
    assert article.updated == "2026-06-02T10:00:00+00:00"
    assert [p.text for p in article.paragraphs] == [
        "The lighthouse is lit again.",
        "Tours resume in July.",
    ]
    assert isinstance(error, ReadError) and "Empty entry" in str(error)


def test_xml_that_is_not_a_feed_is_read_as_html_or_refused():
    with pytest.raises(ReadError):
        read(b"<?xml version='1.0'?><rss><channel><title>x</title></channel></rss>", "x.xml")


@pytest.mark.parametrize(
    ("data", "content_type", "title"),
    [
        (
            b"<html><head><title>T1</title></head><body><article><p>"
            + b"Words here. " * 20
            + b"</p></article></body></html>",
            "text/html; charset=utf-8",
            "T1",
        ),
        (json.dumps({"title": "T2", "paragraphs": ["x y z"]}).encode(), "application/json", "T2"),
        (b"Title: T3\n\nSome text.", "text/plain", "T3"),
        (b"---\ntitle: T4\n---\nSome text.", "text/markdown", "T4"),
    ],
)
def test_the_content_type_decides_the_reader(data, content_type, title):
    [article] = articles_of(data, "https://site.example/no-suffix", content_type=content_type)
    assert article.title == title


def test_unknown_suffix_is_sniffed():
    assert articles_of(b'{"title": "Sniffed", "body": "x"}', "notes.dat")[0].title == "Sniffed"
    assert articles_of(b"Just words in a file.", "notes.dat")[0].paragraphs[0].text == (
        "Just words in a file."
    )
