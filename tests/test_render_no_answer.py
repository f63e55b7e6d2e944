"""No answer on every surface: the same sentence, and the nearest story when one is close."""

from __future__ import annotations

import json
import re

from bot.render import blocks, embeds
from bot.render.discord_text import length
from bot.render.jsonout import answer_json, citation_json
from bot.render.plain import NO_ANSWER, render_answer
from index.answering.answers import Answer, Quote
from index.citation import Citation

NEAREST = Citation(
    article_id="b2",
    title="Harbor Bridge Vote Delayed Over Cable Anchor Review",
    author="Priya Raman",
    source="The Millbrook Ledger",
    source_url="https://millbrookledger.example",
    url="https://millbrookledger.example/news/2026/03/harbor-bridge-vote-delayed",
    published="2026-03-03T09:00:00+00:00",
    updated=None,
)
HOSTILE = Citation(
    **{
        **NEAREST.__dict__,
        "title": "<!channel> @everyone *bold* & [x](https://evil.example) <@123456789012345678>",
        "author": "@here <!here>",
        "source": "Ledger & <Co>",
    }
)
QUOTE = Quote("The vote was delayed.", 1, 0.9, ((4, 8),), None, NEAREST)


def no_answer(nearest: Citation | None = NEAREST, **fields) -> Answer:
    return Answer("why did the ferry sink?", (), nearest=nearest, **fields)


def slack_sections(message: dict) -> str:
    return "\n".join(b["text"]["text"] for b in message["blocks"] if b["type"] == "section")


# --- the terminal --------------------------------------------------------------------------


def test_plain_says_nothing_answers_and_offers_the_nearest_story_with_its_link():
    shown = render_answer(no_answer(suggestion="why did the ferry sail?"))
    assert shown.splitlines() == [
        "Nothing in the archive answers that.",
        "The nearest story is “Harbor Bridge Vote Delayed Over Cable Anchor Review”, "
        "Priya Raman, The Millbrook Ledger (millbrookledger.example), 2026-03-03",
        "    https://millbrookledger.example/news/2026/03/harbor-bridge-vote-delayed",
        "Did you mean: why did the ferry sail?",
    ]
    assert "paragraph" not in shown


def test_plain_without_a_nearest_story_or_a_link():
    assert render_answer(no_answer(None)) == NO_ANSWER + "\n"
    unlinked = Citation(**{**NEAREST.__dict__, "url": None})
    lines = render_answer(no_answer(unlinked)).splitlines()
    assert len(lines) == 2 and lines[1].startswith("The nearest story is “Harbor Bridge")


def test_the_nearest_story_is_not_offered_beside_quotes():
    shown = render_answer(Answer("q", (QUOTE,), nearest=NEAREST))
    assert "nearest" not in shown and NO_ANSWER not in shown


# --- Slack ---------------------------------------------------------------------------------


def test_slack_says_the_sentence_and_links_the_nearest_story():
    message = blocks.answer_message(no_answer(suggestion="ferry sail"), answer_id="x")
    text = slack_sections(message)
    assert text.splitlines() == [
        "Nothing in the archive answers that.",
        "The nearest story is “<https://millbrookledger.example/news/2026/03/"
        "harbor-bridge-vote-delayed|Harbor Bridge Vote Delayed Over Cable Anchor Review>”, "
        "Priya Raman, <https://millbrookledger.example|The Millbrook Ledger>, 2026-03-03",
        "Did you mean: *ferry sail*?",
    ]
    assert message["text"].startswith("Nothing in the archive answers that. The nearest story is")
    assert "Harbor Bridge Vote Delayed" in message["text"]
    assert not [b for b in message["blocks"] if b["type"] == "actions"]


def test_slack_without_a_nearest_story_says_only_the_sentence():
    message = blocks.answer_message(no_answer(None))
    assert slack_sections(message) == NO_ANSWER
    assert message["text"] == NO_ANSWER


def test_slack_escapes_a_hostile_nearest_story():
    message = blocks.answer_message(no_answer(HOSTILE))
    text = slack_sections(message) + message["text"]
    for token in ("<!channel>", "<!here>", "<@123456789012345678>", "<Co>"):
        assert token not in text, token
    assert "&lt;!channel&gt; @everyone *bold* &amp; [x](https://evil.example)" in text
    assert "&lt;@123456789012345678&gt;" in text and "@here &lt;!here&gt;" in text
    assert "|Ledger &amp; &lt;Co&gt;>" in text  # the outlet, linked to its site
    # every "<" left in the section opens one of our own links
    assert re.findall(r"<([^|>]*)\|", slack_sections(message)) == [
        NEAREST.url,
        NEAREST.source_url,
    ]


def test_slack_a_headline_without_a_web_link_is_not_linked():
    unlinked = Citation(**{**NEAREST.__dict__, "url": "javascript:alert(1)"})
    text = slack_sections(blocks.answer_message(no_answer(unlinked)))
    assert "javascript" not in text
    assert "The nearest story is “Harbor Bridge Vote Delayed Over Cable Anchor Review”," in text


def test_slack_a_very_long_nearest_story_stays_within_the_section_limit():
    huge = Citation(**{**NEAREST.__dict__, "title": "&" * 5000, "author": "<" * 5000})
    message = blocks.answer_message(no_answer(huge, suggestion="&" * 5000))
    assert all(len(s["text"]["text"]) <= blocks.SECTION_CHARS for s in message["blocks"])
    assert len(message["text"]) <= blocks.FALLBACK_CHARS
    assert slack_sections(message).startswith(NO_ANSWER)


# --- Discord -------------------------------------------------------------------------------


def test_discord_says_the_sentence_and_links_the_nearest_story():
    message = embeds.answer_message(no_answer(suggestion="ferry sail"))
    assert message.embeds == ()
    assert message.content.splitlines() == [
        "Nothing in the archive answers that.",
        "The nearest story is [“Harbor Bridge Vote Delayed Over Cable Anchor Review”]"
        "(<https://millbrookledger.example/news/2026/03/harbor-bridge-vote-delayed>), "
        "Priya Raman, [The Millbrook Ledger](<https://millbrookledger.example>), 2026-03-03",
        "Did you mean: *ferry sail*",
    ]
    assert message.allowed_mentions == {"parse": [], "replied_user": False}


def test_discord_without_a_nearest_story_says_only_the_sentence():
    assert embeds.answer_message(no_answer(None)).content == NO_ANSWER


def test_discord_escapes_a_hostile_nearest_story_and_pings_nobody():
    message = embeds.answer_message(no_answer(HOSTILE))
    content = message.content
    assert "@everyone" not in content and "@here" not in content
    assert "@\u200beveryone" in content and "@\u200bhere" in content
    assert r"\<!channel\>" in content and "\\<@\u200b123456789012345678\\>" in content
    assert r"\*bold\*" in content and r"\[x\]" in content
    assert r"[Ledger & \<Co\>](<https://millbrookledger.example>)" in content
    assert message.allowed_mentions == {"parse": [], "replied_user": False}


def test_discord_a_very_long_nearest_story_stays_within_the_content_limit():
    huge = Citation(
        **{
            **NEAREST.__dict__,
            "title": "*" * 5000,
            "author": "😀" * 5000,
            "source": "_" * 5000,
            "url": "https://example.com/" + "<" * 1000,
            "source_url": "https://example.com/" + "a" * 1000,
        }
    )
    message = embeds.answer_message(no_answer(huge, suggestion="😀" * 5000))
    assert length(message.content) <= embeds.CONTENT_MAX
    assert message.content.startswith(NO_ANSWER + "\nThe nearest story is “")
    assert "Did you mean: *😀" in message.content
    assert "](<" not in message.content  # links too long to show are left out, not cut


# --- JSON ----------------------------------------------------------------------------------

OLD_KEYS = ["question", "answers", "suggestion", "corrected", "facts"]


def test_json_adds_confidence_and_nearest_and_keeps_every_old_key():
    shown = answer_json(no_answer(confidence=0.123456, suggestion="ferry sail"))
    assert list(shown) == [*OLD_KEYS, "confidence", "nearest", "within"]
    assert shown["answers"] == [] and shown["facts"] == []
    assert shown["suggestion"] == "ferry sail" and shown["corrected"] is None
    assert shown["confidence"] == 0.1235
    assert shown["nearest"] == citation_json(NEAREST)
    assert shown["nearest"]["title"] == NEAREST.title
    assert shown["nearest"]["url"] == NEAREST.url
    json.dumps(shown)


def test_json_new_fields_are_null_when_unknown_and_answers_are_unchanged():
    shown = answer_json(Answer("q", (QUOTE,)))
    assert shown["confidence"] is None and shown["nearest"] is None and shown["within"] is None
    [quoted] = shown["answers"]
    assert quoted.pop("unmentioned") == []  # the one key added to a quote, after the old ones
    assert shown["answers"] == [
        {
            "quote": "The vote was delayed.",
            "paragraph": 1,
            "score": 0.9,
            "highlights": [[4, 8]],
            "heading": None,
            "article": citation_json(NEAREST),
        }
    ]
    assert list(shown["answers"][0]["article"]) == [
        "id",
        "title",
        "author",
        "source",
        "source_url",
        "url",
        "published",
        "updated",
        "also_published_by",
        "derived",  # added by issue 15: which citation fields the reader made
    ]


# --- asked of one author's or outlet's stories -----------------------------------------------

ELSEWHERE = Citation(
    **{**NEAREST.__dict__, "title": "River cleanup", "source": "Riverdale Gazette"}
)


def test_every_surface_says_whose_stories_hold_no_answer_and_offers_one_of_the_rest():
    answer = no_answer(ELSEWHERE, within=(("author", "Dev Patel"), ("source", "Valley Wire")))
    said = "Nothing by Dev Patel from Valley Wire answers that."
    assert render_answer(answer).splitlines()[:2] == [
        said,
        "The nearest story is “River cleanup”, Priya Raman, Riverdale Gazette "
        "(millbrookledger.example), 2026-03-03",
    ]
    message = blocks.answer_message(answer)
    assert slack_sections(message).splitlines()[0] == said
    assert message["text"].startswith(said + " The nearest story is “River cleanup”")
    assert embeds.answer_message(answer).content.splitlines()[0] == said
    assert answer_json(answer)["within"] == {"author": "Dev Patel", "source": "Valley Wire"}
    outlet_only = no_answer(None, within=(("source", "Valley Wire"),))
    assert render_answer(outlet_only) == "Nothing from Valley Wire answers that.\n"


def test_whose_stories_are_escaped_on_each_chat_surface():
    answer = no_answer(None, within=(("author", "<!channel> *x*"), ("source", "@everyone")))
    slack = slack_sections(blocks.answer_message(answer))
    assert "<!channel>" not in slack and "&lt;!channel&gt;" in slack
    discord = embeds.answer_message(answer).content
    assert "@everyone" not in discord and r"\*x\*" in discord
