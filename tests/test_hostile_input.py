"""Hostile or broken input gets a clear error naming what was wrong, and harms nothing else."""

from __future__ import annotations

import codecs
import gzip
import json
import os
import unicodedata
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.article import Article
from index.errors import FetchError, InputError, ReadError
from index.fetch import Fetcher
from index.readers import read
from tests.webserver import WebServer, body

FORMATS = [".txt", ".md", ".json", ".jsonl", ".html", ".rss", ".atom", ".xml", ""]


def assert_read_safely(data: bytes, name: str) -> list:
    """read() gives articles and ReadErrors, or raises an InputError: nothing else escapes,
    and every article is one the archive can store, cite and print."""
    try:
        items = read(data, name)
    except InputError as error:
        assert str(error).startswith(name) or name in str(error)
        return []
    assert isinstance(items, list) and items
    for item in items:
        if isinstance(item, ReadError):
            assert item.reason
            continue
        assert isinstance(item, Article)
        assert item.id and item.content_hash  # computable: a bad URL port would raise here
        assert isinstance(item.title, str) and item.title
        assert item.paragraphs
        for paragraph in item.paragraphs:
            assert paragraph.text and paragraph.text == paragraph.text.strip()
            assert not any(unicodedata.category(c) == "Cc" for c in paragraph.text + item.title), (
                "control characters reach what is quoted"
            )
    return items


# --- properties: every reader, any bytes -------------------------------------------------

words = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | words,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(words, inner, max_size=4),
    max_leaves=12,
)
article_like = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values | st.sampled_from(["a-1", "x" * 81, "bad id", 7]),
        "title": json_values,
        "author": json_values,
        "url": json_values
        | st.sampled_from(["http://x:99999/", "http://[::1", "https://ok.example/a", "ftp://f"]),
        "published": json_values | st.sampled_from(["2025-13-40", "2025-08-24T10:00:00+02:00"]),
        "paragraphs": st.lists(words, max_size=4) | json_values,
        "body": words | json_values,
    },
)
html_parts = st.lists(
    st.sampled_from(
        [
            "<p>",
            "</p>",
            "<script>alert(1)</script>",
            "<style>p{}</style>",
            "<h1>",
            "</h1>",
            "<div>",
            "</div>",
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            "&amp;",
            "&#0;",
            "&lol;",
            "<br>",
            '<?xml version="1.0" encoding="utf-8"?>',
            "<html>",
            "<body>",
            "<title>T</title>",
            "<meta name='author' content='A'>",
            "<link rel='canonical' href='http://x:99999/'>",
        ]
    )
    | words,
    max_size=30,
).map("".join)
feed_items = st.lists(
    st.tuples(words, words, st.sampled_from(["", "Mon, 99 Foo 99999", "2025-08-24", "x"]), words),
    max_size=4,
)


def rss(items) -> str:
    def escaped(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;")

    entries = "".join(
        f"<item><title>{escaped(t)}</title><link>{escaped(link)}</link>"
        f"<pubDate>{d}</pubDate><description>{escaped(b)}</description></item>"
        for t, link, d, b in items
    )
    channel = f"<channel><title>C</title>{entries}</channel>"
    return f"<?xml version='1.0'?><rss version='2.0'>{channel}</rss>"


def encodings(texts):
    return st.tuples(texts, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]))


@st.composite
def documents(draw):
    kind = draw(st.sampled_from(["bytes", "text", "json", "jsonl", "md", "html", "feed"]))
    if kind == "bytes":
        return draw(st.binary(max_size=400)), draw(st.sampled_from(FORMATS))
    if kind == "text":
        text, encoding = draw(encodings(words))
        return text.encode(encoding, "replace"), draw(st.sampled_from([".txt", ""]))
    if kind == "json":
        value = draw(article_like | json_values | st.lists(article_like, max_size=3))
        return json.dumps(value).encode(), ".json"
    if kind == "jsonl":
        lines = draw(st.lists(article_like.map(json.dumps) | words, min_size=1, max_size=4))
        return "\n".join(lines).encode("utf-8", "replace"), ".jsonl"
    if kind == "md":
        meta = draw(st.dictionaries(st.sampled_from(["title", "date", "url", "author"]), words))
        front = "".join(f"{k}: {v}\n" for k, v in meta.items())
        return f"---\n{front}---\n\n# {draw(words)}\n\n{draw(words)}".encode(), ".md"
    if kind == "html":
        return draw(html_parts).encode("utf-8", "replace"), ".html"
    return rss(draw(feed_items)).encode("utf-8", "replace"), draw(st.sampled_from([".rss", ".xml"]))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_no_reader_lets_anything_but_an_input_error_escape(document):
    data, suffix = document
    assert_read_safely(data, "source" + suffix)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600), st.sampled_from(FORMATS))
def test_random_bytes_under_any_name_are_read_or_refused(data, suffix):
    assert_read_safely(data, "source" + suffix)


# --- examples: what people really paste ---------------------------------------------------

HOSTILE = {
    "empty.txt": (b"", "the file is empty"),
    "blank.md": (b"  \n\t\r\n", "the file is empty"),
    "photo.txt": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary data"),
    "report.txt": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >>\n", "binary data"),
    "archive.json": (gzip.compress(b'{"title": "x"}'), "binary data"),
    "controls.txt": (bytes(range(1, 32)) * 40, "binary data"),
    "utf16-cut.txt": (codecs.BOM_UTF16_LE + "News text".encode("utf-16-le")[:-1], "undecodable"),
    "utf32-cut.md": (codecs.BOM_UTF32_LE + b"abc", "undecodable"),
    "garbled.txt": (("\x81\x8d" + "\x90" * 30 + "ab").encode("latin-1") * 50, "undecodable"),
    "deep.json": (b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
    "digits.json": (b'{"title": ' + b"9" * 5000 + b"}", "a number far too long"),
    "broken.json": (b'{"title": "x", ', "not valid JSON"),
    "yaml.md": (b"---\ntitle: \x07\n---\n\nBody.\n", "front matter is not valid YAML"),
    "truncated.rss": (b"<?xml version='1.0'?><rss><channel><title>A", "not a readable feed"),
    "notafeed.rss": (b"this is not xml at all", "not a readable feed"),
    "script.html": (b"<html><script>alert(1)</script><style>p{}</style></html>", "no article"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_fails_alone_with_a_reason(name):
    data, reason = HOSTILE[name]
    with pytest.raises(ReadError) as failure:
        read(data, name)
    assert str(failure.value).startswith(f"{name}: ")
    assert reason in str(failure.value)


def test_a_directory_of_hostile_files_lets_the_good_one_in_and_names_each_bad_one(cli, tmp_path):
    folder = tmp_path / "pasted"
    folder.mkdir()
    for name, (data, _) in HOSTILE.items():
        (folder / name).write_bytes(data)
    (folder / "good.txt").write_text("Title: Good\n\nThe good article text survives its company.\n")
    (folder / "big.txt").write_text("Oversized article text. " * 10_000)
    os.mkfifo(folder / "pipe.txt")  # a reader would wait forever; in a folder it is passed by
    cli._monkeypatch.setenv("MAX_ARTICLE_BYTES", "200000")
    status, out, err = cli("ingest", str(folder), str(folder / "pipe.txt"), "/dev/zero")
    assert status == 1
    lines = err.strip().splitlines()
    failed = len(HOSTILE) + 3  # the hostile files, the oversized one, the FIFO, /dev/zero
    assert f"1 added, 0 updated, 0 unchanged, {failed} failed" in out
    assert len(lines) == failed
    for name, (_, reason) in HOSTILE.items():
        assert any(name in line and reason in line for line in lines), name
    assert any("big.txt" in line and "over the 200,000-byte limit" in line for line in lines)
    assert any("pipe.txt" in line and "not a regular file" in line for line in lines)
    assert any("/dev/zero" in line and "not a regular file" in line for line in lines)
    assert cli.ask_json("good article survives")["answers"][0]["quote"].startswith("The good")
    assert cli("check")[0] == 0


def test_scripts_styles_and_control_characters_never_reach_a_quote():
    page = (
        b"<html><head><title>Pier repairs</title><style>.x{color:red}</style>"
        b"<script>document.write('injected words')</script></head><body><article>"
        b"<h1>Pier repairs begin</h1><p>Crews began repairing the pier on Monday morning, "
        b"the harbor office said.</p><script>steal(document.cookie)</script>"
        b"<p>The work should take three weeks and cost about $2 million in total.</p>"
        b"</article></body></html>"
    )
    [article] = assert_read_safely(page, "pier.html")
    text = " ".join(p.text for p in article.paragraphs)
    assert "Crews began repairing the pier" in text
    for hidden in ("injected", "steal", "cookie", "color:red"):
        assert hidden not in text
    feed = rss(
        [
            (
                "Pier",
                "https://news.example/pier",
                "",
                "<p>Safe text here.</p><script>x()</script><noscript>Enable it</noscript>",
            )
        ]
    )
    [entry] = assert_read_safely(feed.encode(), "feed.rss")
    assert [p.text for p in entry.paragraphs] == ["Safe text here."]
    text_file = (
        b"Title: \x1b[31mRed\x1b[0m alert\n\n"
        b"The bell \x07rang\x1b]0;owned\x07 twice today at noon, the harbor office said.\n"
    )
    [plain] = assert_read_safely(text_file, "bell.txt")
    assert "\x1b" not in plain.title + plain.paragraphs[0].text


def test_feed_entity_tricks_expand_nothing_and_read_no_local_file():
    laughs = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    bomb = (
        f"<?xml version='1.0'?><!DOCTYPE r [<!ENTITY l0 'lol'>{laughs}]>"
        "<rss><channel><item><title>&l9;</title><description>Body text.</description></item>"
        "</channel></rss>"
    ).encode()
    [entry] = assert_read_safely(bomb, "laughs.rss")
    assert len(entry.title) < 100
    secret = "/etc/hostname"
    xxe = (
        f"<?xml version='1.0'?><!DOCTYPE r [<!ENTITY x SYSTEM 'file://{secret}'>]>"
        "<rss><channel><item><title>T</title><description>&x; words</description></item>"
        "</channel></rss>"
    ).encode()
    items = assert_read_safely(xxe, "xxe.rss")
    if os.path.exists(secret):
        with open(secret) as file:
            local = file.read().strip()
        for item in items:
            if isinstance(item, Article):
                assert local not in " ".join(p.text for p in item.paragraphs)


def test_a_feed_file_of_any_size_is_read_entry_by_entry_and_only_an_entry_over_the_limit_fails(
    cli, tmp_path
):
    entries = [
        (f"Entry {n}", f"https://news.example/{n}", "", f"Story number {n} text.")
        for n in range(3000)
    ]
    feed = tmp_path / "huge.rss"
    feed.write_text(rss([*entries[:2999], ("Empty", "https://news.example/e", "", "")]))
    status, out, err = cli("ingest", str(feed))
    assert status == 1  # the empty entry fails alone
    assert "2,999 added, 0 updated, 0 unchanged, 1 failed" in out
    assert "entry 3000 ('Empty'): the entry has no text" in err
    # Over MAX_ARTICLE_BYTES as a whole, the file streams in; one entry over it fails alone.
    long_story = ("Long", "https://news.example/long", "", "A very long story. " * 8_000)
    feed.write_text(rss([*entries[:2999], long_story, entries[2999]]))
    cli._monkeypatch.setenv("MAX_ARTICLE_BYTES", "100000")
    status, out, err = cli("ingest", str(feed))
    assert status == 1
    assert "1 added, 0 updated, 2,999 unchanged, 1 failed" in out
    assert "huge.rss entry 3000: over the 100,000-byte limit" in err


def test_a_yaml_alias_bomb_in_front_matter_is_defused():
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    front = "\n".join(levels) + "\ntitle: *i\nauthor: *i\n"
    [article] = assert_read_safely(f"---\n{front}---\n\nBody text.\n".encode(), "bomb.md")
    assert article.author is None and len(article.title) < 100


@pytest.fixture
def bombs():
    inner = b"<p>" + b"a" * 30_000_000 + b"</p>"
    deflated = zlib.compress(inner, 9)
    twice = gzip.compress(gzip.compress(inner, 9), 9)
    routes = {
        "/double": body(twice, "text/html", headers={"Content-Encoding": "gzip, gzip"}),
        "/deflate": body(deflated, "text/html", headers={"Content-Encoding": "deflate"}),
    }
    with WebServer(routes) as server:
        yield server


def test_compressed_responses_that_expand_without_limit_are_cut_at_the_limit(bombs):
    fetcher = Fetcher(timeout=5, max_bytes=1_000_000, allow_private=True)
    for path in ("/double", "/deflate"):
        with pytest.raises(FetchError, match="more than the 1,000,000-byte limit"):
            fetcher.get(bombs.url(path))
