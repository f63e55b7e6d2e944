"""The Slack renderer: Answer -> Block Kit, escaped, matched words in bold, within limits."""

from __future__ import annotations

import json
import re

import pytest

from bot.render import blocks
from index.answering.answers import Answer, Fact, Quote
from index.citation import Citation
from index.ingest.sources import ingest

CITATION = Citation(
    article_id="a1",
    title="Council delays the harbor bridge vote",
    author="Ann Reporter",
    source="Millbrook Ledger",
    source_url="https://ledger.example",
    url="https://ledger.example/news/bridge?id=7&ref=rss",
    published="2025-08-24T10:00:00+00:00",
    updated=None,
)


def quote(text: str, words: tuple[str, ...] = (), paragraph: int = 3, **citation) -> Quote:
    spans = []
    for word in words:
        start = text.index(word)
        spans.append((start, start + len(word)))
    cited = Citation(**{**CITATION.__dict__, **citation})
    return Quote(text, paragraph, 1.0, tuple(spans), "Why was it delayed?", cited)


def answer_of(*quotes: Quote, **fields) -> Answer:
    return Answer(question="why was the vote delayed?", quotes=tuple(quotes), **fields)


def all_text(message: dict) -> str:
    return json.dumps(message, ensure_ascii=False)


def sections(message: dict) -> list[str]:
    return [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]


def actions(message: dict) -> dict[str, str]:
    return {
        e["action_id"]: e["value"]
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    }


def test_mentions_links_and_ampersands_in_article_text_are_escaped():
    text = "Ask <!channel>, <!here> & <@U123> to see <https://evil.example|the map> > now"
    message = blocks.answer_message(answer_of(quote(text)), answer_id="x")
    [section] = sections(message)
    assert section == (
        ">Ask &lt;!channel&gt;, &lt;!here&gt; &amp; &lt;@U123&gt; to see "
        "&lt;https://evil.example|the map&gt; &gt; now"
    )
    for raw in ("<!channel>", "<!here>", "<@U123>", "<https://evil"):
        assert raw not in all_text(message)


def test_matched_words_are_in_bold_and_neighbours_share_the_marks():
    text = "The council delayed the harbor bridge vote by a week."
    shown = blocks.quote_mrkdwn(quote(text, ("delayed", "harbor", "bridge")))
    assert shown == ">The council *delayed* the *harbor bridge* vote by a week."


def test_an_escaped_word_is_bold_around_its_escape():
    shown = blocks.quote_mrkdwn(quote("Smith & Sons <Ltd> won", ("Sons",)))
    assert shown == ">Smith &amp; *Sons* &lt;Ltd&gt; won"


def test_a_quote_of_several_lines_stays_one_quotation():
    shown = blocks.quote_mrkdwn(quote("first line\nsecond line"))
    assert shown == ">first line\n>second line"


def test_the_citation_links_the_headline_and_names_author_outlet_date_and_paragraph():
    [context] = [
        b for b in blocks.answer_message(answer_of(quote("x")))["blocks"] if b["type"] == "context"
    ]
    line = context["elements"][0]["text"]
    headline = "Council delays the harbor bridge vote"
    assert line.startswith(f"<https://ledger.example/news/bridge?id=7&amp;ref=rss|{headline}>")
    assert "Ann Reporter" in line
    assert "<https://ledger.example|Millbrook Ledger>" in line
    assert "2025-08-24" in line
    assert "paragraph 3" in line and "Why was it delayed?" in line


def test_a_link_that_is_not_a_web_link_is_shown_as_text_only():
    hostile = quote("x", url="javascript:alert(1)", title="Click <me> | now")
    line = blocks.citation_mrkdwn(hostile.citation, 1)
    assert "javascript" not in line
    assert line.startswith("Click &lt;me&gt; ¦ now")


def test_three_quotes_at_first_then_more_and_the_vote_buttons():
    quotes = [quote(f"Passage number {n} about the vote.") for n in range(7)]
    message = blocks.answer_message(answer_of(*quotes), answer_id="abc123")
    assert len(sections(message)) == 3
    buttons = actions(message)
    assert buttons[blocks.ACTION_VOTE_UP] == "abc123"
    assert buttons[blocks.ACTION_VOTE_DOWN] == "abc123"
    assert json.loads(buttons[blocks.ACTION_MORE])["shown"] == 3
    more = next(b for b in message["blocks"] if b["type"] == "actions")["elements"][0]
    assert more["text"]["text"] == "More (4)"


def test_no_more_button_when_everything_is_shown():
    message = blocks.answer_message(answer_of(quote("Only one.")), answer_id="abc123")
    assert blocks.ACTION_MORE not in actions(message)
    assert blocks.ACTION_VOTE_UP in actions(message)


def test_the_50_block_limit_holds_however_many_quotes_are_asked_for():
    quotes = [quote(f"Passage {n}.") for n in range(60)]
    answer = answer_of(*quotes, corrected="why was the vote delayed")
    message = blocks.answer_message(answer, answer_id="abc", shown=60, asked_by="U1")
    assert len(message["blocks"]) <= blocks.MAX_BLOCKS
    assert message["blocks"][-1]["type"] == "actions"  # the buttons are never cut off
    assert len(sections(message)) == len(blocks.visible(answer, 60))


def test_a_section_never_exceeds_3000_characters_and_marks_its_cut():
    text = "Smith & Jones said " + "the bridge & the harbor " * 400
    long_quote = quote(text, ("Jones",))
    shown = blocks.quote_mrkdwn(long_quote)
    assert len(shown) <= blocks.SECTION_CHARS
    assert shown.endswith("…")
    assert "*Jones*" in shown
    assert "&amp" in shown and not shown.rstrip("…").endswith("&")  # no escape cut in half
    message = blocks.answer_message(answer_of(long_quote))
    assert all(len(s) <= blocks.SECTION_CHARS for s in sections(message))


def test_no_answer_is_short_and_kind_with_the_suggestion():
    message = blocks.answer_message(answer_of(suggestion="harbor <bridge>"), answer_id="x")
    assert message["text"].startswith("Nothing in the archive answers that.")
    assert "Did you mean: *harbor &lt;bridge&gt;*?" in sections(message)[0]
    assert not actions(message)
    assert len(message["text"]) < 200


def test_the_fallback_text_is_plain_short_and_escaped():
    long = "<!channel> " + "word " * 400
    message = blocks.answer_message(answer_of(quote(long), quote("second")))
    assert message["text"].startswith("“&lt;!channel&gt;")
    assert len(message["text"]) <= blocks.FALLBACK_CHARS
    assert "and 1 more" in message["text"]


def test_the_asker_and_a_corrected_question_are_shown_above_the_quotes():
    answer = answer_of(quote("x"), corrected="harbor bridge")
    first, second = blocks.answer_message(answer, asked_by="U0ASKER")["blocks"][:2]
    assert first["elements"][0]["text"].startswith("<@U0ASKER> asked: why was the vote delayed?")
    assert second["elements"][0]["text"] == "Showing results for: *harbor bridge*"


def test_an_ingest_report_names_titles_and_failures_escaped():
    from index.article import Article
    from index.ingest.report import IngestReport

    article = Article(title="Bridge <vote> & more", paragraphs=())
    report = IngestReport(added=[article], failed=["https://x.example: HTTP 404 <Not Found>"])
    text = blocks.ingest_message(report)["text"]
    assert "Added: Bridge &lt;vote&gt; &amp; more" in text
    assert "Could not add https://x.example: HTTP 404 &lt;Not Found&gt;" in text


def test_facts_about_an_article_are_shown_with_their_citation():
    fact = Fact("author", "Ann <Reporter>", CITATION)
    message = blocks.answer_message(Answer("who wrote it?", (), facts=(fact,)))
    assert sections(message) == ["*Written by:* Ann &lt;Reporter&gt;"]
    assert "Millbrook Ledger" in all_text(message)


def test_the_story_answer_renders_the_guarantors_quote_and_its_citation(archive, story_path):
    assert ingest(archive, [str(story_path)]).added
    answer = archive.ask("who are the proposed guarantors?", limit=blocks.MAX_QUOTES)
    message = blocks.answer_message(answer, answer_id="seed")
    shown = all_text(message).replace("*", "")
    assert "group of guarantors" in shown
    assert "Mara Okonjo" in shown
    assert "<https://northsoundreport.example|North Sound Report>" in shown
    assert "*guarantors*" in sections(message)[0]


@pytest.mark.parametrize("pad", range(5))
def test_a_long_citation_is_cut_between_entities_and_links_never_inside_one(pad):
    # Escaping makes "&" five characters; the section is cut to 3,000 after escaping, at
    # whatever offset the padding leaves: never inside "&amp;" or a "<url|label>" link.
    cited = quote("x", title="&" * 300, author="a" * pad + "&" * 199, source="<" * 100)
    text = blocks.citation_mrkdwn(cited.citation, 4, "&" * 300)
    assert len(text) <= blocks.SECTION_CHARS and text.endswith("…")
    assert not re.search(r"&(?!amp;|lt;|gt;)", text)
    assert text.count("<") == text.count(">")
