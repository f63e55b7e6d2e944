"""/feeds in Slack and Discord: editors list, add and remove watched feeds; the watcher polls
them in the background; others are refused. Real SDK clients against the fakes on 127.0.0.1."""

from __future__ import annotations

import asyncio

import pytest

from index.feeds.watched import FeedStore
from tests.conftest import eventually
from tests.fake_discord import MANAGE_GUILD, MEMBER, MODERATOR, run_bot
from tests.fake_slack import FakeSlack, RunningBot, settings_for
from tests.feeds import ConditionalFeed, Entry, rss

EDITOR = "U0EDITOR"
STORY = Entry(
    "Harbor Ferry Adds a Night Crossing",
    "https://valleywire.example/2026/06/night-ferry",
    "The harbor ferry will add a crossing at ten at night from July, the port authority said, "
    "after riders from the late shift at the Riverdale hospital asked for a later boat home.",
)
EPHEMERAL = 64


@pytest.fixture
def routes():
    served = {"/feed.rss": ConditionalFeed(rss([STORY])), "/broken.rss": ConditionalFeed(b"")}
    served["/broken.rss"].failing = 500
    return served


def test_slack_editors_add_list_and_remove_feeds_and_the_bot_watches_them(archive, feedback, site):
    good, broken = site.url("/feed.rss"), site.url("/broken.rss")
    with FakeSlack() as fake:
        settings = settings_for(fake, slack_editors=frozenset({EDITOR}), allow_private_urls=True)
        with RunningBot(fake, settings, archive, feedback, http=True) as bot:
            bot.command("/feeds", f"add <{good}>", user_id=EDITOR)
            [added] = fake.wait_for_calls("response:command")
            eventually(lambda: archive.articles(), what="the watcher to ingest the feed")
            bot.command("/feeds", f"add {broken}", user_id=EDITOR)
            fake.wait_for_calls("response:command", 2)
            feeds = FeedStore(archive.data_dir / "feeds.sqlite3")
            eventually(lambda: feeds.get(broken).failures, what="the broken feed to be polled")
            feeds.close()
            bot.command("/feeds", "", user_id=EDITOR)
            listed = fake.wait_for_calls("response:command", 3)[-1]
            bot.command("/feeds", f"remove {good}", user_id=EDITOR)
            removed = fake.wait_for_calls("response:command", 4)[-1]
            bot.command("/feeds", "", user_id="U0INTERN")
            refused = fake.wait_for_calls("response:command", 5)[-1]
    assert added.args["response_type"] == "ephemeral"
    assert added.args["text"].startswith(f"Now watching {good}")
    assert archive.articles()[0].title == STORY.title
    assert "ten at night" in archive.ask("when is the new night ferry crossing?").quotes[0].text
    text = listed.args["text"]
    assert f"{good}: ok, polled" in text
    assert f"{broken}: failing since" in text and "500" in text
    assert removed.args["text"].startswith(f"Stopped watching {good}")
    assert "only the newsroom's editors" in refused.args["text"]
    remaining = FeedStore(archive.data_dir / "feeds.sqlite3")
    assert [f.url for f in remaining.feeds()] == [broken]
    remaining.close()


def test_slack_refuses_feeds_to_anyone_else_and_fetches_nothing(archive, feedback, site):
    with FakeSlack() as fake:
        settings = settings_for(fake, slack_editors=frozenset({EDITOR}), allow_private_urls=True)
        with RunningBot(fake, settings, archive, feedback, http=True) as bot:
            bot.command("/feeds", f"add {site.url('/feed.rss')}", user_id="U0INTERN")
            [refused] = fake.wait_for_calls("response:command")
    assert "only the newsroom's editors" in refused.args["text"]
    assert site.requests == [] and archive.articles() == []
    feeds = FeedStore(archive.data_dir / "feeds.sqlite3")
    assert feeds.feeds() == []
    feeds.close()


def test_the_feeds_setting_is_watched_in_the_background(archive, feedback, site):
    with FakeSlack() as fake:
        settings = settings_for(fake, feeds=(site.url("/feed.rss"),), allow_private_urls=True)
        with RunningBot(fake, settings, archive, feedback, http=True):
            eventually(lambda: archive.articles(), what="the FEEDS setting's feed to be ingested")
    assert [a.title for a in archive.articles()] == [STORY.title]


def test_discord_moderators_manage_feeds_and_members_are_refused(archive, feedback, site):
    good, broken = site.url("/feed.rss"), site.url("/broken.rss")

    async def scenario(fake):
        refused = await fake.slash(MEMBER, "feeds add", url=good)
        refused = (await fake.responses(refused))[0]
        refused_list = (await fake.responses(await fake.slash(MEMBER, "feeds list")))[0]
        added = (await fake.responses(await fake.slash(MODERATOR, "feeds add", url=good)))[0]
        await asyncio.to_thread(eventually, archive.articles, what="the feed to be ingested")
        await fake.responses(await fake.slash(MODERATOR, "feeds add", url=broken))
        feeds = FeedStore(archive.data_dir / "feeds.sqlite3")
        await asyncio.to_thread(
            eventually, lambda: feeds.get(broken).failures, what="the broken feed to be polled"
        )
        feeds.close()
        listed = (await fake.responses(await fake.slash(MODERATOR, "feeds list")))[0]
        removed = await fake.slash(MODERATOR, "feeds remove", url=broken)
        removed = (await fake.responses(removed))[0]
        again = await fake.slash(MODERATOR, "feeds remove", url=broken)
        again = (await fake.responses(again))[0]
        synced = next(c for c in fake.calls if c.method == "PUT")
        return refused, refused_list, added, listed, removed, again, synced

    run = run_bot(archive, feedback, scenario, allow_private_urls=True)
    refused, refused_list, added, listed, removed, again, synced = run.result

    def content(call):
        return call.body["data"]["content"].replace("\\", "")

    for refusal in (refused, refused_list):
        assert "Only members with Manage Server" in content(refusal)
        assert refusal.body["data"]["flags"] & EPHEMERAL
    assert content(added).startswith(f"Now watching {good}")
    assert f"{good}: ok, polled" in content(listed)
    assert f"{broken}: failing since" in content(listed) and "500" in content(listed)
    assert content(removed).startswith(f"Stopped watching {broken}")
    assert broken in content(again) and not content(again).startswith("Stopped")
    [feeds_command] = [c for c in synced.body if c["name"] == "feeds"]
    assert int(feeds_command["default_member_permissions"]) == MANAGE_GUILD
    subcommands = {o["name"]: o for o in feeds_command["options"]}
    assert list(subcommands) == ["list", "add", "remove"]
    assert {o["type"] for o in subcommands.values()} == {1}  # subcommands of a group
    assert [o["name"] for o in subcommands["add"]["options"]] == ["url"]
    assert [o["name"] for o in subcommands["remove"]["options"]] == ["url"]
    assert [a.title for a in archive.articles()] == [STORY.title]
    assert run.status == 0
