"""The bots' help documents the filters and the questions about an article or an author (one
text, in bot/render/help.py, for Slack and Discord), and Discord shows facts ("who wrote …").
Real Bolt App and discord.py client against the fakes on 127.0.0.1; a real archive of the
samples."""

from __future__ import annotations

import json
import re

from bot.render import blocks, embeds
from bot.render.help import (
    ABOUT_ARTICLE,
    ABOUT_BYLINE,
    EXAMPLE,
    FILTERS,
    OTHER_PAIRS,
    ask_option_description,
)
from bot.render.plain import NO_ANSWER
from index.answering.answers import Answer, Fact
from index.citation import Citation
from tests.fake_discord import BOT_ID, MEMBER, run_bot
from tests.fake_slack import FakeSlack, RunningBot, mention, settings_for

EPHEMERAL = 64
WRITTEN = ("who wrote the harbor bridge story?", "Priya Raman")
BRIDGE = "Harbor Bridge Vote Delayed Over Cable Anchor Review"


def documents_asking(text: str) -> None:
    """Every filter, the rule for other word:word pairs, and each question about an article."""
    for name, _ in FILTERS:
        assert f"`{name}`" in text, name
    for name in ("author:NAME", "source:OUTLET", "since:YYYY-MM-DD", "until:YYYY-MM-DD"):
        assert name in text
    assert 'in:"words of a title"' in text
    assert OTHER_PAIRS in text
    for question in ABOUT_ARTICLE + ABOUT_BYLINE:
        assert question in text


def unescaped(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def test_both_bots_help_documents_the_filters_and_questions_about_an_article():
    slack = "\n".join(b["text"]["text"] for b in blocks.help_message()["blocks"])
    documents_asking(slack)
    assert "*Filters*" in slack and "`/ask who wrote the harbor bridge story?`" in slack
    discord = embeds.help_message().content
    documents_asking(discord)
    assert "**Filters**" in discord and "`who wrote the harbor bridge story?`" in discord
    assert len(ask_option_description()) <= 100 and "author:" in ask_option_description()


def test_the_help_examples_are_answered(sampled):
    example = sampled.ask(EXAMPLE)
    assert example.quotes
    assert {q.citation.source for q in example.quotes} == {"The Millbrook Ledger"}
    assert all(q.citation.published >= "2026-01-01" for q in example.quotes)
    fields = ("author", "published", "source", "author")
    for question, field in zip(ABOUT_ARTICLE, fields, strict=True):
        [fact] = sampled.ask(question).facts
        assert fact.field == field and fact.value, question
    written, reported = (sampled.ask(question) for question in ABOUT_BYLINE)
    assert written.facts and {f.value for f in written.facts} == {"Mei Lin"}
    assert reported.quotes and {q.citation.source for q in reported.quotes} == {"Valley Wire"}


def test_slack_help_on_a_mention_and_on_an_empty_ask(archive, feedback):
    with (
        FakeSlack() as fake,
        RunningBot(fake, settings_for(fake), archive, feedback, http=True) as bot,
    ):
        bot.event(mention("help"))
        [posted] = fake.wait_for_calls("chat.postMessage")
        bot.command("/ask", "")
        [replied] = fake.wait_for_calls("response:command")
    for call in (posted, replied):
        blocks_sent = call.args["blocks"]
        if isinstance(blocks_sent, str):
            blocks_sent = json.loads(blocks_sent)
        documents_asking("\n".join(b["text"]["text"] for b in blocks_sent))
    assert replied.args["response_type"] == "ephemeral"


def test_discord_help_command_mention_and_ask_option(archive, feedback):
    async def scenario(fake):
        synced = await fake.wait_for(lambda c: c.method == "PUT")
        asked = await fake.slash(MEMBER, "help")
        [helped] = await fake.responses(asked)
        mentioned = await fake.post(MEMBER, f"<@{BOT_ID}>")
        replied = await fake.reply_to(mentioned)
        return synced, helped, replied

    synced, helped, replied = run_bot(archive, feedback, scenario).result
    commands = {c["name"]: c for c in synced.body}
    assert (
        commands["help"]["options"] == [] and commands["help"]["default_member_permissions"] is None
    )
    [question] = [o for o in commands["ask"]["options"] if o["name"] == "question"]
    assert question["description"] == ask_option_description()
    data = helped.body["data"]
    assert data["flags"] & EPHEMERAL, "only the asker sees the help"
    assert data["allowed_mentions"]["parse"] == []
    documents_asking(unescaped(data["content"]))
    documents_asking(unescaped(replied.body["content"]))


def test_discord_answers_who_wrote_an_article_with_the_fact_and_its_citation(sampled, feedback):
    async def scenario(fake):
        asked = await fake.slash(MEMBER, "ask", question=WRITTEN[0])
        return (await fake.responses(asked))[0]

    answered = run_bot(sampled, feedback, scenario).result
    data = answered.body["data"]
    [embed] = data["embeds"]
    assert embed["title"] == BRIDGE
    assert embed["url"].startswith("https://millbrookledger.example/news/2026/03/")
    assert embed["description"].startswith(f"**Written by:** {WRITTEN[1]}\n\n— ")
    assert "2026-03-03" in embed["description"]
    assert "No passage" not in (data.get("content") or "")
    assert data["content"] == f"**Q:** {WRITTEN[0]}"


CITED = Citation(
    article_id="a1",
    title="Council *delays* the bridge vote",
    author=None,
    source="Millbrook <Ledger>",
    source_url="https://ledger.example",
    url="https://ledger.example/news/bridge",
    published="2026-03-03T10:00:00+00:00",
    updated=None,
)


def test_discord_renders_each_fact_escaped_with_its_citation():
    facts = (
        Fact("author", None, CITED),
        Fact("published", CITED.published, CITED),
        Fact("source", "Millbrook <Ledger> @everyone", CITED),
    )
    message = embeds.answer_message(Answer("who wrote the bridge story?", (), facts=facts))
    assert message.allowed_mentions == {"parse": [], "replied_user": False}
    assert [e["title"] for e in message.embeds] == [r"Council \*delays\* the bridge vote"] * 3
    assert all(e["url"] == CITED.url for e in message.embeds)
    first, second, third = (e["description"] for e in message.embeds)
    assert first.startswith("**Written by:** *not recorded in the archive*\n\n— ")
    assert second.startswith("**Published:** 2026-03-03\n\n")
    assert third.startswith("**Outlet:** Millbrook \\<Ledger\\> @\u200beveryone\n\n")
    assert "[Millbrook \\<Ledger\\>](https://ledger.example)" in first
    assert "paragraph" not in first
    assert message.content == "**Q:** who wrote the bridge story?"
    assert embeds.answer_message(Answer("q", ())).content == NO_ANSWER
