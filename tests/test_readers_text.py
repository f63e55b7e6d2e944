"""Plain-text reader: syndicated copies, headers, headings, titles and encodings."""

from __future__ import annotations

import pytest

from index.errors import ReadError
from index.readers import read
from index.readers.text import read_text


def test_a_syndicated_storys_metadata_comes_from_its_footer(story_path, story_text):
    article = read_text(story_text, str(story_path))
    assert article.author == "Mara Okonjo"
    assert article.source == "North Sound Report"
    assert article.source_url == "https://northsoundreport.example"
    assert article.domain == "northsoundreport.example"
    assert article.credits_source  # "Click here for the original source": a credited copy
    assert article.title == "Marenia dam talks"  # from the file's name, marked derived
    assert article.derived == ("title",)


def test_a_syndicated_storys_footer_and_subheadings_are_not_quotable(story_path, story_text):
    article = read_text(story_text, str(story_path))
    texts = [p.text for p in article.paragraphs]
    assert len(texts) == 15
    assert texts[0].startswith("In an interview broadcast Sunday on the public channel MRT’s")
    assert texts[-1].startswith("Moravec’s five-year term formally ended in June 2025,")
    body = "\n".join(texts)
    for boilerplate in ("Click here", "Author:", "Source:", "copyrighted", "Regional Digest"):
        assert boilerplate not in body
    assert "What are Marenia’s terms for a deal?" not in texts
    assert "Will Lund sit down with Moravec?" not in texts


def test_a_syndicated_storys_paragraphs_carry_their_section_heading(story_path, story_text):
    article = read_text(story_text, str(story_path))
    guarantors = next(p for p in article.paragraphs if "group of guarantors" in p.text)
    assert article.paragraphs.index(guarantors) + 1 == 4
    assert guarantors.heading == "What are Marenia’s terms for a deal?"
    assert article.paragraphs[0].heading is None
    assert article.paragraphs[-1].heading == "Will Lund sit down with Moravec?"


def test_a_syndicated_story_has_the_same_id_under_any_file_name(story_text):
    assert read_text(story_text, "a.txt").id == read_text(story_text, "b/other-name.txt").id


def test_seed_article_metadata_comes_from_its_footer(seed_path):
    article = read_text(seed_path.read_text(encoding="utf-8"), str(seed_path))
    assert article.author == "Diane Duenez"
    assert article.source == "Straight Arrow News"
    assert article.source_url == "https://straightarrownews.com"
    assert article.domain == "straightarrownews.com"
    assert article.title == "Lavrov meet the press"


def test_seed_article_footer_and_subheadings_are_not_quotable(seed_path):
    article = read_text(seed_path.read_text(encoding="utf-8"), str(seed_path))
    texts = [p.text for p in article.paragraphs]
    assert len(texts) == 14
    assert texts[0].startswith("In an exclusive interview with NBC’s “Meet the Press”")
    assert texts[-1].startswith("Zelenskyy’s term technically ended in May 2024.")
    body = "\n".join(texts)
    for boilerplate in ("Click this link", "Author:", "copyrighted", "USSANews"):
        assert boilerplate not in body
    assert "What are Moscow’s terms for an agreement?" not in texts
    assert "Will Putin sit down with Zelenskyy?" not in texts


def test_seed_article_paragraphs_carry_their_section_heading(seed_path):
    article = read_text(seed_path.read_text(encoding="utf-8"), str(seed_path))
    guarantors = next(p for p in article.paragraphs if "group of guarantors" in p.text)
    assert article.paragraphs.index(guarantors) + 1 == 4
    assert guarantors.heading == "What are Moscow’s terms for an agreement?"
    assert article.paragraphs[0].heading is None
    assert article.paragraphs[-1].heading == "Will Putin sit down with Zelenskyy?"


def test_seed_article_has_the_same_id_every_time(seed_path):
    text = seed_path.read_text(encoding="utf-8")
    assert read_text(text, "a.txt").id == read_text(text, "b/other-name.txt").id


def test_header_lines_give_metadata_and_wrapped_lines_join():
    text = (
        "Title: Ferry Fares Rise in June\n"
        "Author: Ines Carvalho\n"
        "Source: Harbor Herald\n"
        "URL: https://harborherald.example/ferry-fares\n"
        "Date: 2026-05-20\n"
        "\n"
        "Ferry fares between Millbrook and Gull Island will rise by\n"
        "fifty cents in June, the port authority said.\n"
        "\n"
        "Who pays more?\n"
        "\n"
        "Commuters with monthly passes will pay\n"
        "three dollars more a month.\n"
    )
    article = read_text(text, "ferry.txt")
    assert article.title == "Ferry Fares Rise in June"
    assert article.author == "Ines Carvalho"
    assert article.source == "Harbor Herald"
    assert article.url == "https://harborherald.example/ferry-fares"
    assert article.published == "2026-05-20"
    assert [p.text for p in article.paragraphs] == [
        "Ferry fares between Millbrook and Gull Island will rise by fifty cents in June, "
        "the port authority said.",
        "Commuters with monthly passes will pay three dollars more a month.",
    ]
    assert article.paragraphs[1].heading == "Who pays more?"


def test_title_line_and_byline_at_the_top():
    text = "Storm Closes Schools\n\nBy Ana Ruiz\n\nAll schools closed Friday as snow fell.\n"
    article = read_text(text, "x.txt")
    assert (article.title, article.author) == ("Storm Closes Schools", "Ana Ruiz")
    assert [p.text for p in article.paragraphs] == ["All schools closed Friday as snow fell."]


def test_copyright_footer_names_the_outlet():
    text = "The dam will be inspected in May.\n\n© 2026 The Valley Courier. All rights reserved.\n"
    article = read_text(text, "dam-inspection.txt")
    assert article.source == "The Valley Courier"
    assert [p.text for p in article.paragraphs] == ["The dam will be inspected in May."]


def test_a_last_paragraph_that_mentions_copyright_is_kept():
    text = "Lawmakers met.\n\nThe copyright office will rule on the case in May.\n"
    article = read_text(text, "x.txt")
    assert len(article.paragraphs) == 2


@pytest.mark.parametrize(
    ("origin", "expected"),
    [
        ("notes/city-hall-budget-2026.txt", "City hall budget 2026"),
        ("notes/article-1.txt", "The council met on Monday to discuss the road repairs and"),
        (None, "The council met on Monday to discuss the road repairs and"),
    ],
)
def test_title_is_derived_when_the_file_has_none(origin, expected):
    text = (
        "The council met on Monday to discuss the road repairs and the new budget for parks "
        "and libraries.\nIt adjourned late.\n"
    )
    title = read_text(text, origin).title
    assert title.startswith(expected)
    assert title.strip()


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-8-sig", "utf-16"])
def test_text_in_other_encodings_is_decoded(encoding):
    text = "Title: Café owners protest\n\nThe café’s owner, José Núñez, said “no” to the plan.\n"
    if encoding == "latin-1":
        text = text.replace("’", "'").replace("“", '"').replace("”", '"')
    articles = read(text.encode(encoding), "cafe.txt")
    assert articles[0].title == "Café owners protest"
    assert "José Núñez" in articles[0].paragraphs[0].text
    if encoding != "latin-1":
        assert "café’s" in articles[0].paragraphs[0].text


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"  \n\n  ", "empty"), (b"\x00\x01\x02PK\x03\x04", "binary")],
)
def test_empty_and_binary_files_are_refused_with_a_reason(data, reason):
    with pytest.raises(ReadError, match=reason) as caught:
        read(data, "bad.txt")
    assert "bad.txt" in str(caught.value)
