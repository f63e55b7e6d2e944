"""New stories announced by the bots' background watcher: the real Bolt App and discord.py
client against the fakes on 127.0.0.1, feeds from a real HTTP server, a real archive."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.conftest import eventually
from tests.fake_discord import MODERATOR, run_bot
from tests.fake_slack import FakeSlack, RunningBot, settings_for
from tests.feeds import ConditionalFeed, Entry, rss

SLACK_NEWS = "C0NEWSDESK"
DISCORD_NEWS = 900000000000000077

FERRY_TEXT = (
    "The harbor ferry will add a crossing at ten at night from July, the port authority said on "
    "Monday, after riders from the late shift at the Riverdale hospital asked for a later boat "
    "home. The new crossing will use the smaller of the two boats and will run on weekdays only "
    "until the autumn, when the authority will count riders again."
)
MARKET_TEXT = (
    "The Depot Square farmers market will open on Wednesday evenings in July and August, with "
    "lanterns strung over the stalls and a brass band on the first night, manager Luz Herrera "
    "said. Growers from the valley asked for the change because the morning heat spoils berries "
    "and greens before noon, and the city agreed to close two streets for it."
)
FERRY = Entry(
    "Ferry <!channel> Adds a *Night* Crossing @everyone",
    "https://valleywire.example/2026/05/night-ferry",
    FERRY_TEXT,
    published="Tue, 05 May 2026 09:15:00 -0400",
    author="Ann <@U0BOSS> Reporter",
)
MARKET = Entry(
    "Farmers Market Opens an Evening Session",
    "https://valleywire.example/2026/05/market",
    MARKET_TEXT,
    published="Mon, 04 May 2026 09:15:00 -0400",
    author="Luz Ortega",
)
LIBRARY = Entry(
    "Library Starts a Seed Lending Shelf",
    "https://valleywire.example/2026/05/seeds",
    "Gardeners can now borrow tomato, bean and squash seeds at the Millbrook Public Library, "
    "which asks borrowers to bring back seeds saved from their own harvest in the fall.",
    published="Sun, 03 May 2026 09:15:00 -0400",
)
# The same market story republished by another outlet a day later, with a footer of its own
MARKET_COPY = Entry(
    MARKET.title,
    "https://harbordaily.example/copy/market",
    MARKET_TEXT + "\n\nThis story was republished by Harbor Daily News with permission.",
    published="Tue, 05 May 2026 12:00:00 -0400",
)
FERRY_CORRECTED = Entry(
    FERRY.title,
    FERRY.link,
    FERRY_TEXT.replace("ten at night", "half past ten at night"),
    published=FERRY.published,
)
DAM = Entry(
    "Repairs Begin on the Old Mill Dam",
    "https://valleywire.example/2026/05/dam",
    "Crews began repairing the spillway of the old mill dam on Tuesday, a job the county "
    "expects to last until late September, the county engineer told the supervisors.",
    published="Wed, 06 May 2026 08:00:00 -0400",
)


@pytest.fixture
def routes():
    return {
        "/wire.rss": ConditionalFeed(rss([FERRY, MARKET, LIBRARY])),
        "/later.rss": ConditionalFeed(rss([FERRY_CORRECTED, DAM])),
        "/harbor-daily.rss": ConditionalFeed(rss([MARKET_COPY], title="Harbor Daily News")),
    }


def test_slack_announces_new_stories_up_to_the_hourly_limit_pinging_no_one(archive, feedback, site):
    with FakeSlack() as fake:
        settings = settings_for(
            fake,
            feeds=(site.url("/wire.rss"),),
            allow_private_urls=True,
            slack_news_channel=SLACK_NEWS,
            announce_max_per_hour=2,
        )
        with RunningBot(fake, settings, archive, feedback, http=True):
            fake.wait_until(lambda: len(news_posts(fake)) >= 2, "two messages in the news channel")
        posted = news_posts(fake)  # the bot has stopped: nothing more will come
    assert len(archive.articles()) == 3
    assert len(posted) == 2, "at most ANNOUNCE_MAX_PER_HOUR=2 messages"
    story, summary = posted
    shown = story.text()
    assert (
        "New story:" in shown and "<https://valleywire.example/2026/05/night-ferry|Ferry " in shown
    )
    assert "By Ann &lt;@U0BOSS&gt; Reporter" in shown and "2026-05-05" in shown
    assert "&lt;!channel&gt;" in shown
    for ping in ("<!channel>", "<@U0BOSS>", "<!everyone>", "<!here>"):
        assert ping not in shown and ping not in summary.text()
    assert story.args["unfurl_links"] in (False, "false", "0", 0)
    listed = summary.text()
    assert "2 more new stories" in listed and "limited to 2 an hour" in listed
    market = listed.index("Farmers Market Opens an Evening Session")
    assert market < listed.index("Library Starts a Seed Lending Shelf"), "newest first"


def news_posts(fake: FakeSlack) -> list:
    return [c for c in fake.calls_to("chat.postMessage") if c.args.get("channel") == SLACK_NEWS]


def test_discord_announces_new_stories_not_copies_or_corrections(archive, feedback, site):
    def posts(fake):
        path = f"/channels/{DISCORD_NEWS}/messages"
        return [c for c in fake.calls if c.method == "POST" and c.path == path]

    async def scenario(fake):
        await asyncio.to_thread(
            eventually, lambda: len(posts(fake)) >= 3, what="the first three stories"
        )
        added = await fake.slash(MODERATOR, "feeds add", url=site.url("/harbor-daily.rss"))
        await fake.responses(added)
        await asyncio.to_thread(
            eventually, lambda: archive.store.find(MARKET_COPY.link), what="the copy to be ingested"
        )
        added = await fake.slash(MODERATOR, "feeds add", url=site.url("/later.rss"))
        await fake.responses(added)
        await asyncio.to_thread(
            eventually, lambda: len(posts(fake)) >= 4, what="the new story of the later feed"
        )
        await asyncio.to_thread(
            eventually, lambda: "half past" in corrected_text(archive), what="the correction"
        )
        return None

    run = run_bot(
        archive,
        feedback,
        scenario,
        feeds=(site.url("/wire.rss"),),
        allow_private_urls=True,
        discord_news_channel=DISCORD_NEWS,
    )
    assert run.status == 0
    posted = posts(run.fake)
    titles = [call.body["embeds"][0]["title"] for call in posted]
    assert titles == [
        r"Ferry \<!channel\> Adds a \*Night\* Crossing @" + "\u200beveryone",
        "Farmers Market Opens an Evening Session",
        "Library Starts a Seed Lending Shelf",
        "Repairs Begin on the Old Mill Dam",
    ], "each new story once; not the copy, not the correction"
    for call in posted:
        assert call.authorized
        assert call.body["allowed_mentions"]["parse"] == []
        assert call.body["content"] == "📰 **New story**"
    ferry = posted[0].body["embeds"][0]
    assert ferry["url"] == FERRY.link
    assert ferry["description"].startswith(
        r"By Ann \<@U0BOSS\> Reporter · [Valley Wire](https://valleywire.example) · 2026-05-05"
    )
    assert ferry["description"].endswith(FERRY.link)
    assert len(archive.articles()) == 5  # the copy and the new story went in; the fix replaced


def corrected_text(archive) -> str:
    found = archive.store.find(FERRY.link)
    return json.dumps([p.text for p in found.paragraphs]) if found else ""
