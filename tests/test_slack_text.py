"""Reading Slack message text: the bot's mention, links, entities, and the commands in it."""

from __future__ import annotations

from bot.slackbot.text import Command, command, mentions, mentions_someone_else, plain, urls

BOT = "U0NEWSBOT"


def test_plain_drops_the_bots_mention_and_unescapes_what_the_person_typed():
    text = f"<@{BOT}> what did Smith &amp; Sons say about &lt;the&gt; bridge?"
    assert plain(text, BOT) == "what did Smith & Sons say about <the> bridge?"


def test_plain_shows_links_channels_and_people_as_the_reader_saw_them():
    text = (
        "<@U0ALICE|alice> asked in <#C0NEWS|newsroom> about "
        "<https://ledger.example/a|the story> and <https://ledger.example/b> <!here>"
    )
    assert plain(text, BOT) == (
        "@alice asked in #newsroom about the story and https://ledger.example/b"
    )


def test_mentions_tell_the_bot_from_other_people():
    assert mentions(f"hi <@{BOT}>", BOT)
    assert not mentions("hi <@U0ALICE>", BOT)
    assert mentions_someone_else(f"<@{BOT}> ask <@U0ALICE>", BOT)
    assert not mentions_someone_else(f"<@{BOT}> who?", BOT)


def test_urls_come_from_slacks_links_and_from_bare_text():
    text = "ingest <https://a.example/x?a=1&amp;b=2|a.example/x> and https://b.example/y, please"
    assert urls(text) == ("https://a.example/x?a=1&b=2", "https://b.example/y")
    assert urls("<@U0ALICE> <#C0NEWS|news> <!here>") == ()


def test_commands_in_a_mention_or_a_direct_message():
    assert command(f"<@{BOT}> who are the guarantors?", BOT) == Command(
        "ask", question="who are the guarantors?"
    )
    assert command(f"<@{BOT}>", BOT).kind == "help"
    assert command("help").kind == "help"
    assert command("ingest <https://a.example/x>").urls == ("https://a.example/x",)
    assert command("add https://a.example/x").kind == "ingest"
    # the word alone, without a link, is a question like any other
    assert command("ingest rules for the new port").kind == "ask"
