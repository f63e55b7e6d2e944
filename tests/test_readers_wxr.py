"""WordPress exports (WXR): published posts only, their citations, bodies, and hostile files."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest

from index.article import Article, Paragraph
from index.errors import ReadError
from index.readers import read
from index.readers.wxr import looks_like_wxr, read_wxr
from tests.conftest import SAMPLES, assert_verbatim

EXPORT = Path(__file__).resolve().parent / "fixtures" / "wordpress-export.xml"
PUBLISHED = [
    "Harbor Ferry to Resume Service After Dock Repairs",
    "Library Adds Sunday Hours at Two Branches",
    "Council Approves Riverside Park Playground",
    "Mill Street to Close for Water Main Work",
]
NOT_PUBLISHED = {  # a title and a phrase of its body, for each item that must stay out
    "ferry-dock": "A crane lowers a new piling",  # the attachment
    "Draft: Zoning Board Weighs Warehouse Plan": "Quarrytown warehouse plan",
    "Embargoed: Hospital Merger Talks": "private merger talks",
    "About the Ledger": "first edition, printed above",  # the page
    "Home": None,  # the menu item
}


def export(items: str, *, namespace: str = "1.2", doctype: str = "", channel: str = "") -> bytes:
    """A small WXR file around the given <item>s."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>{doctype}
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/{namespace}/">
<channel><title>The Millbrook Ledger</title><link>https://millbrookledger.example</link>
{channel}{items}</channel></rss>""".encode()


def post(title: str, body: str, *, extra: str = "", status: str = "publish", slug: str = "") -> str:
    slug = slug or title.lower().replace(" ", "-")
    return f"""<item><title>{title}</title>
<link>https://millbrookledger.example/2026/04/{slug}/</link>
<dc:creator><![CDATA[jkowal]]></dc:creator>
<content:encoded><![CDATA[{body}]]></content:encoded>
<wp:post_date_gmt>2026-04-02 08:00:00</wp:post_date_gmt>
<wp:status>{status}</wp:status><wp:post_type>post</wp:post_type>{extra}</item>
"""


def read_export(data: bytes, name: str = "export.xml") -> list[Article | ReadError]:
    return list(read_wxr(io.BytesIO(data), name))


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    with EXPORT.open("rb") as file:
        items = list(read_wxr(file, "wordpress-export.xml"))
    assert all(isinstance(item, Article) for item in items), items
    return {article.title: article for article in items}


def test_a_wordpress_export_is_told_from_other_feeds():
    assert looks_like_wxr(EXPORT.read_bytes()[:4096])
    assert not looks_like_wxr((SAMPLES / "valley-wire.rss").read_bytes()[:4096])
    for version in ("1.0", "1.1", "1.2"):
        assert looks_like_wxr(export("", namespace=version)[:4096])


def test_only_published_posts_come_out_and_the_rest_are_counted():
    with EXPORT.open("rb") as file:
        items = read_wxr(file, "wordpress-export.xml")
        titles = [item.title for item in items]
    assert titles[:4] == PUBLISHED and len(titles) == 5  # the fifth has no title of its own
    assert items.skipped == 5
    assert dict(items.skipped_kinds) == {
        "attachment": 1,
        "draft post": 1,
        "private post": 1,
        "page": 1,
        "nav_menu_item": 1,
    }
    assert not set(NOT_PUBLISHED) & set(titles)


def test_citation_fields_come_from_the_post_and_the_channel(articles):
    ferry = articles["Harbor Ferry to Resume Service After Dock Repairs"]
    assert ferry.author == "Priya Raman"  # dc:creator "praman", by its wp:author display name
    assert ferry.source == "The Millbrook Ledger"
    assert ferry.source_url == "https://millbrookledger.example"
    assert ferry.url == "https://millbrookledger.example/2026/03/10/harbor-ferry-to-resume-service/"
    assert ferry.key is None  # identity from the permalink
    assert ferry.published == "2026-03-10T13:05:00+00:00"  # wp:post_date_gmt, not the local time
    assert ferry.updated is None  # modified at the moment it was published
    assert ferry.categories == ("News", "Transportation", "ferry", "harbor")
    assert ferry.derived == () and ferry.notes == ()
    # An author whose export gives no display name is cited by the login.
    assert articles["Library Adds Sunday Hours at Two Branches"].author == "jkowal"


def test_dates_are_utc_and_never_invented(articles):
    # wp:post_date_gmt of zeros: the pubDate, with its -04:00 offset, converted to UTC.
    library = articles["Library Adds Sunday Hours at Two Branches"]
    assert library.published == "2026-03-18T21:30:00+00:00"
    playground = articles["Council Approves Riverside Park Playground"]
    assert playground.published == "2026-03-24T23:45:00+00:00"
    assert playground.updated == "2026-03-25T14:15:00+00:00"
    # Zeros and WordPress's "Mon, 30 Nov -0001" pubDate: no date at all, and a note says so.
    closure = articles["Mill Street to Close for Water Main Work"]
    assert closure.published is None and closure.updated is None
    [note] = closure.notes
    assert "item 5" in note and "Mill Street to Close" in note and "no publication date" in note


def test_categories_and_tags_are_deduplicated_in_order(articles):
    playground = articles["Council Approves Riverside Park Playground"]
    assert playground.categories == ("News", "Parks", "playgrounds")  # "News" is both
    library = articles["Library Adds Sunday Hours at Two Branches"]
    assert library.categories == ("News", "Libraries & Schools", "library")


def test_html_body_keeps_subheadings_and_leaves_out_image_captions(articles):
    ferry = articles["Harbor Ferry to Resume Service After Dock Repairs"]
    assert [p.heading for p in ferry.paragraphs] == [
        None,
        None,
        "When will the ferry run again?",
        "When will the ferry run again?",
        "What did the repairs cost?",
    ]
    assert ferry.paragraphs[2].text.startswith("The first ferry will leave the Front Street dock")
    body = " ".join(p.text for p in ferry.paragraphs)
    assert "Photo" not in body and "Workers replace a piling" not in body  # [caption]…[/caption]
    assert "[" not in body and "<" not in body


def test_classic_editor_text_is_split_at_blank_lines(articles):
    library = articles["Library Adds Sunday Hours at Two Branches"]
    assert library.paragraphs == (
        Paragraph(
            "The Millbrook Public Library will open its Elm Street and Riverside branches on "
            "Sundays from noon to 5 p.m. starting in April, library director Hana Brooks said "
            "on Wednesday."
        ),
        Paragraph(
            "The Sunday hours are paid for by a two-year gift from the Friends of the Library, "
            "which raised $180,000 at its winter book sale and auction."
        ),
        Paragraph(
            "The main library on Court Street will stay closed on Sundays until its roof is "
            'replaced next year, Brooks said. "We would open it tomorrow if the roof let us '
            '[sic]," she said.',  # an editor's bracket is not a shortcode
            "Which branches stay closed?",
        ),
        # (the YouTube link alone on its line is an embed, not text)
        Paragraph(
            "Patrons can still return books at the Court Street drop box on any day of the week.",
            "Which branches stay closed?",
        ),
    )


def test_block_editor_posts_lose_their_markers_and_keep_their_text(articles):
    playground = articles["Council Approves Riverside Park Playground"]
    texts = [p.text for p in playground.paragraphs]
    assert texts[0].startswith("The Millbrook city council voted 6-1")
    assert "A climbing wall for older children" in texts
    assert "Kids in this part of town have waited long enough." in texts
    body = " ".join(texts)
    assert "wp:" not in body and "<!--" not in body
    assert "fenced-off play area" not in body  # the image's caption
    assert "youtube" not in body  # the embed
    cost = next(p for p in playground.paragraphs if "$410,000" in p.text)
    assert cost.heading == "Who is paying for it?"


def test_a_post_without_a_title_gets_one_from_its_text_marked_derived(articles):
    [untitled] = [a for a in articles.values() if a.title not in PUBLISHED]
    assert untitled.derived == ("title",)
    assert untitled.title.startswith("Volunteers planted")
    assert untitled.url == "https://millbrookledger.example/?p=140"


def test_read_picks_the_wordpress_reader_for_an_export():
    items = read(EXPORT.read_bytes(), "wordpress-export.xml")
    assert [item.title for item in items][:4] == PUBLISHED
    assert len(items) == 5


def test_a_post_that_cannot_be_read_fails_alone():
    items = read_export(
        export(
            post("Pier Reopens", "<p>The old pier reopened on Sunday.</p>")
            + post("Empty Post", "<!-- wp:paragraph --><p> </p><!-- /wp:paragraph -->")
            + post("Kiosk Moves", "The ticket kiosk moved to Depot Square.")
        ),
        "site.xml",
    )
    assert [type(item) for item in items] == [Article, ReadError, Article]
    assert items[1].source == "site.xml item 2 ('Empty Post')"
    assert "no text" in items[1].reason
    assert items[2].paragraphs == (Paragraph("The ticket kiosk moved to Depot Square."),)


def test_a_post_over_the_article_limit_fails_alone():
    big = "<p>" + "word " * 3000 + "</p>"
    items = list(
        read_wxr(
            io.BytesIO(export(post("Long", big) + post("Short", "<p>Short text.</p>"))),
            "site.xml",
            max_bytes=10_000,
        )
    )
    assert isinstance(items[0], ReadError) and "over the 10,000-byte limit" in items[0].reason
    assert items[1].title == "Short"


def test_a_file_that_is_not_xml_is_an_error_naming_the_line():
    data = export(post("Pier Reopens", "<p>Text.</p>")).replace(b"</channel>", b"<channel>")
    broken_early = b'<rss xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<item><title>'
    with pytest.raises(ReadError, match=r"broken\.xml: not well-formed XML .*line 3"):
        read_export(broken_early, "broken.xml")
    # Broken after some posts: those posts come, then the error.
    items = read_export(data, "cut.xml")
    assert isinstance(items[0], Article) and items[0].title == "Pier Reopens"
    assert isinstance(items[-1], ReadError) and "not well-formed XML" in items[-1].reason
    assert "line" in items[-1].reason


def laughs(levels: int) -> str:
    """Entity declarations each ten times the one before: "lol" 10**levels times."""
    declared = (f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, levels + 1))
    return "".join(declared).replace("&lol0;", "lol")


def test_entities_expand_to_nothing(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the contents of a private file")
    doctype = f'\n<!DOCTYPE rss [{laughs(3)}<!ENTITY leak SYSTEM "{secret.as_uri()}">]>'
    item = post("Laughs &lol3; and &leak;", "<p>Body text &amp; more.</p>", slug="laughs")
    item = item.replace("<content:encoded>", "<content:encoded>&lol3;&leak;")
    [article] = read(export(item, doctype=doctype), "hostile.xml")
    assert article.title == "Laughs and"
    text = " ".join(p.text for p in article.paragraphs)
    assert text == "Body text & more."
    assert "lol" not in text and "private file" not in text


def test_a_billion_laughs_is_refused_quickly():
    item = post("Laughs &lol9;", "<p>Body.</p>", slug="laughs")
    started = time.perf_counter()
    with pytest.raises(ReadError, match=r"bomb\.xml: not well-formed XML"):
        read(export(item, doctype=f"\n<!DOCTYPE rss [{laughs(9)}]>"), "bomb.xml")
    assert time.perf_counter() - started < 5


OLDER_ITEMS = """<item><title>Guid Only</title><dc:creator>ghost</dc:creator>
<guid isPermaLink="true">https://millbrookledger.example/guid-only/</guid>
<content:encoded><![CDATA[<p>Linked by its guid.</p>]]></content:encoded>
<pubDate>Thu, 02 Apr 2026 08:00:00 GMT</pubDate>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
<item><title>No Link</title><guid isPermaLink="false">https://millbrookledger.example/?p=9</guid>
<content:encoded><![CDATA[<p>No permalink at all.</p>]]></content:encoded>
<pubDate>Thu, 02 Apr 2026 08:00:00</pubDate>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
"""


def test_an_older_export_with_protected_posts_and_permalinks_in_guids():
    locked = post("Locked", "<p>Members only.</p>", extra="<wp:post_password>pw</wp:post_password>")
    data = export(locked + OLDER_ITEMS, namespace="1.0")
    items = read_wxr(io.BytesIO(data), "older.xml")
    guided, unlinked = items
    assert dict(items.skipped_kinds) == {"password-protected post": 1}
    assert guided.url == "https://millbrookledger.example/guid-only/"
    assert guided.author == "ghost"  # no wp:author block: the login as given
    assert guided.published == "2026-04-02T08:00:00+00:00"
    assert unlinked.url is None and unlinked.published is None  # a pubDate without a zone
    assert unlinked.notes == ("older.xml item 3 ('No Link'): no publication date given",)


def test_the_reader_streams_a_file_that_cannot_seek():
    class Pipe:
        def __init__(self, data: bytes):
            self.data, self.position = data, 0

        def read(self, size: int = -1) -> bytes:
            size = len(self.data) if size < 0 else size
            chunk = self.data[self.position : self.position + size]
            self.position += len(chunk)
            return chunk

    body = "<p>" + "The harbor ferry crossed again. " * 40 + "</p>"
    data = export("".join(post(f"Crossing {n}", body, slug=f"c{n}") for n in range(2000)))
    pipe = Pipe(data)
    items = read_wxr(pipe, "big.xml")
    first = next(items)
    assert first.title == "Crossing 0"
    assert pipe.position < len(data) / 4  # the first post came before the file was read
    assert sum(1 for _ in items) == 1999


def test_an_export_ingests_and_answers_with_a_full_citation(cli):
    status, _, err = cli("ingest", str(EXPORT))
    assert status == 0, err
    assert (  # what was passed over on purpose is told, by kind
        f"warning: {EXPORT}: 5 items left out, not published posts (1 attachment, 1 draft post, "
        "1 private post, 1 page, 1 nav_menu_item)"
    ) in err
    listed = json.loads(cli("list", "--json")[1])
    titles = {entry["title"] for entry in listed}
    assert set(PUBLISHED) <= titles and len(listed) == 5
    assert not set(NOT_PUBLISHED) & titles

    result = cli.ask_json("What time will the first ferry leave the Front Street dock?")
    top = result["answers"][0]
    assert_verbatim(top["quote"], articles_text(EXPORT))
    assert "6:40 a.m. on April 14" in top["quote"]
    assert top["heading"] == "When will the ferry run again?"
    cited = top["article"]
    assert cited["title"] == "Harbor Ferry to Resume Service After Dock Repairs"
    assert cited["author"] == "Priya Raman"
    assert cited["source"] == "The Millbrook Ledger"
    assert cited["published"] == "2026-03-10T13:05:00+00:00"
    assert cited["url"] == (
        "https://millbrookledger.example/2026/03/10/harbor-ferry-to-resume-service/"
    )
    for phrase in filter(None, NOT_PUBLISHED.values()):
        for answer in cli.ask_json(phrase)["answers"]:
            assert phrase not in answer["quote"]

    cli("ingest", str(EXPORT))  # again: nothing new, nothing doubled
    assert len(json.loads(cli("list", "--json")[1])) == 5


def articles_text(path: Path) -> str:
    """Every published post's text as the reader gives it, to hold quotes against."""
    with path.open("rb") as file:
        return "\n".join(p.text for a in read_wxr(file, path.name) for p in a.paragraphs)
