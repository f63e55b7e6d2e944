"""bot/render/embeds.py: answers as Discord embeds, escaped, within Discord's limits."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render.embeds import (
    CONTENT_MAX,
    CUSTOM_ID_MAX,
    DESCRIPTION_MAX,
    EMBED_TOTAL_MAX,
    EMBEDS_MAX,
    FIELDS_MAX,
    FOOTER_MAX,
    MORE_TEMPLATE,
    TITLE_MAX,
    VOTE_TEMPLATE,
    answer_message,
    escape,
    http_url,
    length,
    sources_message,
    text_message,
)
from bot.render.plain import NO_ANSWER
from index.answering.answers import Answer, Quote
from index.article import Article, Paragraph
from index.citation import Citation

SEED_LIKE = Citation(
    article_id="70ae8fe795f73492",
    title="Lavrov meet the press",
    author="Diane Duenez",
    source="Straight Arrow News",
    source_url="https://straightarrownews.com",
    url=None,
    published="2025-08-24T10:00:00+00:00",
    updated=None,
)
TEXT = "They provided for the creation of a group of guarantors, this group containing members."


def quote(text: str = TEXT, citation: Citation = SEED_LIKE, paragraph: int = 4, **extra) -> Quote:
    spans = tuple((m.start(), m.end()) for m in re.finditer(r"guarantors|group", text))
    values = {"score": 1.0, "highlights": spans, "heading": "What are Moscow’s terms?"} | extra
    return Quote(text=text, paragraph=paragraph, citation=citation, **values)


def plain(markdown: str) -> str:
    """What a reader sees, roughly: bold markers and escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown.replace("**", ""))


def unescaped(markdown: str, token: str) -> bool:
    """True if `token` occurs in `markdown` without a preceding backslash or a zero-width space."""
    return re.search(r"(?<![\\])" + re.escape(token), markdown) is not None


def test_a_quote_becomes_an_embed_with_bold_matches_and_its_citation():
    message = answer_message(Answer("who are the guarantors?", (quote(),)), answer_id="ab12")
    (embed,) = message.embeds
    assert "**guarantors**" in embed["description"]
    assert "group of guarantors" in plain(embed["description"])
    assert embed["description"].startswith("> ")
    assert embed["title"] == "Lavrov meet the press"
    assert "url" not in embed  # the seed article has no link of its own: no false link
    citation = embed["description"].rsplit("\n", 1)[-1]
    assert "Diane Duenez" in citation
    assert "[Straight Arrow News](https://straightarrownews.com)" in citation
    assert "2025-08-24" in citation and "paragraph 4" in citation
    assert embed["footer"]["text"] == "§ What are Moscow’s terms?"
    assert message.allowed_mentions == {"parse": [], "replied_user": False}


def test_the_headline_links_to_the_article_when_its_link_is_known():
    linked = Citation(**{**SEED_LIKE.__dict__, "url": "https://example.com/news/a_(1)"})
    (embed,) = answer_message(Answer("q", (quote(citation=linked),))).embeds
    assert embed["url"] == "https://example.com/news/a_(1)"
    unsafe = Citation(**{**SEED_LIKE.__dict__, "url": "javascript:alert(1)"})
    (embed,) = answer_message(Answer("q", (quote(citation=unsafe),))).embeds
    assert "url" not in embed


def test_at_most_three_quotes_with_vote_and_more_buttons():
    quotes = tuple(quote(paragraph=n) for n in range(1, 6))
    message = answer_message(Answer("q", quotes), answer_id="0123456789abcdef", more_from=3)
    assert len(message.embeds) == 3
    ids = [b.custom_id for b in message.buttons]
    assert [b.emoji for b in message.buttons[:2]] == ["👍", "👎"]
    assert re.fullmatch(VOTE_TEMPLATE, ids[0])["vote"] == "up"
    assert re.fullmatch(VOTE_TEMPLATE, ids[1])["vote"] == "down"
    more = re.fullmatch(MORE_TEMPLATE, ids[2])
    assert more["answer"] == "0123456789abcdef" and more["offset"] == "3"
    assert message.buttons[2].label == "More"
    assert all(len(i) <= CUSTOM_ID_MAX for i in ids)


def test_no_more_button_when_nothing_more_and_no_buttons_without_a_record():
    answer = Answer("q", (quote(),))
    assert [b.label for b in answer_message(answer, answer_id="ab").buttons] == [None, None]
    assert answer_message(answer).buttons == ()


def test_no_answer_says_so_and_offers_the_suggestion_escaped():
    message = answer_message(Answer("q", (), suggestion="who are the *guarantors*"))
    assert message.embeds == ()
    assert message.content.startswith(NO_ANSWER)
    assert r"\*guarantors\*" in message.content


def test_article_text_cannot_ping_or_format():
    text = (
        "@everyone and @here see <@123456789012345678>, <@!123456789012345678>, "
        "<@&223456789012345678> and <#323456789012345678>: **loud** __under__ ||spoiler|| "
        "`code` ~~gone~~ [click](https://evil.example) <t:1700000000>\n# Heading\n- item\n> quote"
    )
    message = answer_message(Answer("@everyone <@123456789012345678>", (quote(text),)))
    description = message.embeds[0]["description"]
    for token in ("@everyone", "@here"):
        assert token not in description and token not in message.content
    for token in ("<@", "<#", "<t:", "||", "`", "~~", "__", "[click]"):
        assert not unescaped(description, token), token
    assert "**loud**" not in description  # the article's asterisks are shown, not obeyed
    assert "\n> \\# Heading" in description and "\n> \\- item" in description
    assert "\n> \\> quote" in description
    assert "@\u200beveryone" in plain(description)  # still readable as text


def test_escape_keeps_links_working():
    assert escape("see https://example.com/a_b_c.") == "see https://example.com/a_b_c."
    assert escape("1. first") == "1\\. first"


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(st.text(min_size=1, max_size=9000), min_size=1, max_size=6),
    title=st.text(max_size=900),
    author=st.text(max_size=600),
    heading=st.text(max_size=3000),
    question=st.text(min_size=1, max_size=5000),
)
def test_discord_limits_hold_whatever_the_article_holds(texts, title, author, heading, question):
    citation = Citation(
        "id",
        title,
        author or None,
        author + "outlet",
        "https://x.example/" + "a" * 3000,
        "https://x.example/" + "b" * 100,
        "2025-08-24",
        None,
    )
    quotes = tuple(
        Quote(t, n, 1.0, ((0, min(3, len(t))),), heading or None, citation)
        for n, t in enumerate(texts, 1)
    )
    message = answer_message(Answer(question, quotes), answer_id="ab", more_from=3)
    assert length(message.content) <= CONTENT_MAX
    assert len(message.embeds) <= min(EMBEDS_MAX, 3)
    total = 0
    for embed in message.embeds:
        assert length(embed["title"]) <= TITLE_MAX
        assert length(embed["description"]) <= DESCRIPTION_MAX
        assert length(embed.get("footer", {}).get("text", "")) <= FOOTER_MAX
        assert len(embed.get("fields", [])) <= FIELDS_MAX
        assert "paragraph" in embed["description"].rsplit("\n", 1)[-1]  # the citation survives
        assert embed["description"].count("**") % 2 == 0  # no bold left open by a cut
        total += length(embed["title"]) + length(embed["description"])
        total += length(embed.get("footer", {}).get("text", ""))
    assert total <= EMBED_TOTAL_MAX


def test_a_long_quote_is_cut_at_a_word_with_a_mark():
    long = "The group of guarantors met again. " * 400
    (embed,) = answer_message(Answer("q", (quote(long),))).embeds
    shown = embed["description"].split("\n\n")[0]
    assert shown.endswith("…") and not shown.endswith(" …")
    assert length(embed["description"]) <= DESCRIPTION_MAX


def test_http_url_accepts_only_web_links():
    assert http_url("https://straightarrownews.com") == "https://straightarrownews.com"
    for bad in (None, "", "ftp://x.example", "javascript:alert(1)", "https://a b.example", "x"):
        assert http_url(bad) is None


def test_sources_lists_articles_newest_first_with_ids_and_links():
    articles = [
        Article(
            title=f"Story *{n}*",
            paragraphs=(Paragraph("text"),),
            source="The Ledger",
            url=f"https://ledger.example/{n}",
            published=f"2026-04-{n:02d}",
            key=f"id-{n}",
        )
        for n in range(30, 0, -1)
    ]
    message = sources_message(articles)
    (embed,) = message.embeds
    lines = embed["description"].split("\n")
    assert lines[0].startswith("`id-30` 2026-04-30 · The Ledger — [Story \\*30\\*](")
    assert len(lines) < len(articles) and "of 30 shown" in embed["footer"]["text"]
    assert "No article" in sources_message([], "mars").content


def test_every_message_parses_no_mentions():
    for message in (text_message("hi"), sources_message([]), answer_message(Answer("q", ()))):
        assert message.allowed_mentions == {"parse": [], "replied_user": False}
    assert length(text_message("x" * 5000).content) <= CONTENT_MAX
