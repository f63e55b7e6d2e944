"""Announcing new stories (bot/chat/announce.py): which are new, at most so many an hour, rendered
for Slack and Discord without pinging anyone; the settings behind it. A real archive in a
temporary folder; the announcer's clock is injected."""

from __future__ import annotations

import logging
import re

import pytest

from bot.chat.announce import Announcer, MoreStories, NewStory
from bot.config import ConfigError, Settings
from bot.render import blocks, embeds
from index.article import Article, Paragraph, Publication
from tests.feeds import Clock

HOUR = 3600.0

STORIES = {
    "ferry": (
        "Harbor Ferry Adds a Night Crossing",
        "The harbor ferry will add a crossing at ten at night from July, the port authority "
        "said on Monday, after riders from the late shift at the Riverdale hospital asked for "
        "a later boat home. The new crossing will use the smaller of the two boats and will "
        "run on weekdays only until the autumn, when the authority will count riders again.",
    ),
    "market": (
        "Farmers Market Opens an Evening Session",
        "The Depot Square farmers market will open on Wednesday evenings in July and August, "
        "with lanterns strung over the stalls and a brass band on the first night, manager "
        "Luz Herrera said. Growers from the valley asked for the change because the morning "
        "heat spoils berries and greens before noon, and the city agreed to close two streets.",
    ),
    "library": (
        "Library Starts a Seed Lending Shelf",
        "Gardeners can now borrow tomato, bean and squash seeds at the Millbrook Public "
        "Library, which asks borrowers to bring back seeds saved from their own harvest in "
        "the fall. The shelf began with donations from the garden club, and librarian Omar "
        "Said hopes it will hold forty kinds of seed by next spring, most of them local.",
    ),
    "dam": (
        "Repairs Begin on the Old Mill Dam",
        "Crews began repairing the spillway of the old mill dam on Tuesday, a job the county "
        "expects to last until late September and to cost about two million dollars. Fishing "
        "below the dam is closed while the work goes on, and the footpath on the east bank "
        "will be shut on weekdays, the county engineer told the board of supervisors.",
    ),
    "school": (
        "School Board Backs Later Start Times",
        "The school board voted on Thursday to start the high school day forty minutes later "
        "from next autumn, after a year of surveys of parents, students and bus drivers. The "
        "superintendent said buses will run in two waves, and that sports practice will move "
        "to the evening, which the coaches had asked for in a letter to the board in March.",
    ),
}


def story(key: str, *, day: int = 4, **fields) -> Article:
    title, text = STORIES[key]
    values = {
        "title": title,
        "paragraphs": (Paragraph(text),),
        "author": "Ann Reporter",
        "source": "Valley Wire",
        "source_url": "https://valleywire.example",
        "url": f"https://valleywire.example/2026/05/{key}",
        "published": f"2026-05-{day:02d}T09:00:00+00:00",
    } | fields
    return Article(**values)


def copy_of(article: Article, outlet: str, domain: str) -> Article:
    """Another outlet's copy, weeks later: its own link and byline, a footer of its own."""
    footer = Paragraph(f"This story was republished by {outlet} with permission.")
    return Article(
        title=article.title,
        paragraphs=(*article.paragraphs, footer),
        author="Staff",
        source=outlet,
        source_url=f"https://{domain}",
        url=f"https://{domain}/copy/{article.url.rsplit('/', 1)[-1]}",
        published="2026-05-28T09:00:00+00:00",
    )


def added(archive, *articles: Article) -> list[Article]:
    """The articles the archive reports as added, as the watcher hands them over."""
    return [s.article for s in archive.add(articles) if s.status == "added"]


class Channel:
    """Where announcements go: a list, as the adapters' posting would send them."""

    def __init__(self):
        self.posted: list = []

    def __call__(self, announcement) -> None:
        self.posted.append(announcement)

    def titles(self) -> list[str]:
        return [p.article.title for p in self.posted if isinstance(p, NewStory)]


def announcer(archive, channel, clock, per_hour: int = 10) -> Announcer:
    return Announcer(archive.store, channel, per_hour=per_hour, where="test", clock=clock)


# --- which stories are new --------------------------------------------------------------------


def test_each_new_story_is_announced_once_newest_first(archive):
    channel, clock = Channel(), Clock()
    news = announcer(archive, channel, clock)
    news.cycle(added(archive, story("ferry", day=2), story("market", day=5), story("dam", day=3)))
    assert channel.titles() == [
        "Farmers Market Opens an Evening Session",
        "Repairs Begin on the Old Mill Dam",
        "Harbor Ferry Adds a Night Crossing",
    ]
    news.cycle([])
    assert len(channel.posted) == 3


def test_a_copy_of_a_story_already_held_is_not_announced(archive):
    channel, clock = Channel(), Clock()
    news = announcer(archive, channel, clock)
    ferry = story("ferry")
    news.cycle(added(archive, ferry))
    arrived = added(archive, copy_of(ferry, "Harbor Daily News", "harbordaily.example"))
    assert arrived, "the copy is a new article in the archive"
    assert archive.store.story_of(arrived[0].id) == ferry.id  # and a copy of the ferry story
    news.cycle(arrived)
    assert channel.titles() == [ferry.title]


def test_an_original_arriving_after_its_copy_is_not_a_new_story(archive):
    channel, clock = Channel(), Clock()
    news = announcer(archive, channel, clock)
    ferry = story("ferry")
    copy = copy_of(ferry, "Harbor Daily News", "harbordaily.example")
    news.cycle(added(archive, copy))
    news.cycle(added(archive, ferry))  # earlier or credited: may become the story's original
    assert channel.titles() == [ferry.title]
    assert len(channel.posted) == 1


def test_copies_arriving_together_are_one_story_with_the_other_outlets(archive):
    channel, clock = Channel(), Clock()
    news = announcer(archive, channel, clock)
    ferry = story("ferry", day=1)
    copy = copy_of(ferry, "Harbor Daily News", "harbordaily.example")
    news.cycle(added(archive, copy, ferry, story("market")))
    assert sorted(channel.titles()) == sorted(
        [ferry.title, "Farmers Market Opens an Evening Session"]
    )
    [announced] = [p for p in channel.posted if p.article.title == ferry.title]
    assert announced.also_published_by == (Publication("Harbor Daily News", copy.url),)


def test_an_updated_article_is_not_reported_as_added(archive):
    """The watcher hands over only the articles the archive added; a correction is updated."""
    ferry = story("ferry")
    added(archive, ferry)
    corrected = story("ferry", title="Harbor Ferry Adds a Late Crossing")
    assert added(archive, corrected) == []


# --- at most so many an hour ------------------------------------------------------------------


def test_over_the_hourly_limit_the_rest_are_listed_in_one_message(archive):
    channel, clock = Channel(), Clock()
    news = announcer(archive, channel, clock, per_hour=3)
    keys = ["ferry", "market", "library", "dam", "school"]
    news.cycle(added(archive, *(story(k, day=i + 1) for i, k in enumerate(keys))))
    assert len(channel.posted) == 3
    first, second, summary = channel.posted
    assert [first.article.title, second.article.title] == [
        STORIES["school"][0],
        STORIES["dam"][0],
    ]
    assert isinstance(summary, MoreStories) and summary.count == 3 and summary.per_hour == 3
    assert [a.title for a in summary.articles] == [
        STORIES[k][0] for k in ("library", "market", "ferry")
    ]


def test_with_no_room_left_stories_are_held_and_listed_when_the_hour_allows(archive, caplog):
    channel, clock = Channel(), Clock()
    news = announcer(archive, channel, clock, per_hour=2)
    news.cycle(added(archive, story("ferry"), story("market", day=5)))
    assert len(channel.posted) == 2
    clock.advance(20 * 60)
    with caplog.at_level(logging.INFO, logger="bot.chat.announce"):
        news.cycle(added(archive, story("library", day=6)))
    assert len(channel.posted) == 2, "no third message within the hour"
    assert "Not announcing 1 new story(ies) in test yet" in caplog.text
    clock.advance(20 * 60)
    news.cycle([])  # a later cycle, still within the hour of the first two
    assert len(channel.posted) == 2
    clock.advance(20 * 60 + 1)  # an hour after the first two
    news.cycle(added(archive, story("dam", day=7)))
    assert len(channel.posted) == 4
    assert channel.posted[2].article.title == STORIES["dam"][0]
    summary = channel.posted[3]
    assert isinstance(summary, MoreStories) and summary.count == 1
    assert summary.articles[0].title == STORIES["library"][0]
    news.cycle([])
    assert len(channel.posted) == 4, "a listed story is not listed again"


def test_a_failed_post_is_logged_and_does_not_count(archive, caplog):
    clock, sent = Clock(), []

    def flaky(announcement):
        if not sent and not getattr(flaky, "failed", False):
            flaky.failed = True
            raise RuntimeError("Slack is down")
        sent.append(announcement)

    news = Announcer(archive.store, flaky, per_hour=1, where="SLACK_NEWS_CHANNEL C1", clock=clock)
    with caplog.at_level(logging.ERROR, logger="bot.chat.announce"):
        news.cycle(added(archive, story("ferry")))
    assert sent == [] and "Could not announce 'Harbor Ferry Adds a Night Crossing'" in caplog.text
    news.cycle(added(archive, story("market")))
    assert [s.article.title for s in sent] == [STORIES["market"][0]]


# --- rendering: linked headline, byline, link; nobody pinged ----------------------------------

HOSTILE = story(
    "ferry",
    title="Ferry <!channel> & <@U123> *now* @everyone",
    author="Ann <!here> Reporter",
    source="Valley <Wire>",
)


def test_slack_renders_headline_byline_and_link_escaped():
    message = blocks.story_message(NewStory(HOSTILE, (Publication("Harbor Daily", None),)))
    shown = json_text(message)
    assert "<!channel>" not in shown and "<!here>" not in shown and "<@U123>" not in shown
    assert "&lt;!channel&gt; &amp; &lt;@U123&gt;" in shown
    [headline] = [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]
    assert headline.startswith("*New story:* *<https://valleywire.example/2026/05/ferry|Ferry ")
    [context] = [b["elements"][0]["text"] for b in message["blocks"] if b["type"] == "context"]
    byline, also, link = context.split("\n")
    assert byline == (
        "By Ann &lt;!here&gt; Reporter · <https://valleywire.example|Valley &lt;Wire&gt;>"
        " · 2026-05-04"
    )
    assert also == "Also published by Harbor Daily"
    assert (
        link
        == "<https://valleywire.example/2026/05/ferry|https://valleywire.example/2026/05/ferry>"
    )
    assert "<!channel>" not in message["text"]


def test_slack_lists_the_stories_over_the_limit_in_one_message():
    more = MoreStories((HOSTILE, story("dam")), count=7, per_hour=10)
    message = blocks.more_stories_message(more)
    text = message["blocks"][0]["text"]["text"]
    assert text.startswith("*7 more new stories* (announcements are limited to 10 an hour):")
    assert "<https://valleywire.example/2026/05/dam|Repairs Begin on the Old Mill Dam>" in text
    assert "<!channel>" not in text and text.endswith("… and 5 more")
    assert message["text"] == "7 more new stories"


def test_discord_renders_headline_byline_and_link_without_pinging_anyone():
    message = embeds.story_message(NewStory(HOSTILE, (Publication("Harbor Daily", None),)))
    assert message.allowed_mentions == {"parse": [], "replied_user": False}
    [embed] = message.embeds
    assert embed["url"] == "https://valleywire.example/2026/05/ferry"
    assert embed["title"] == r"Ferry \<!channel\> & \<@U123\> \*now\* @" + "\u200beveryone"
    byline, also, link = embed["description"].split("\n")
    assert byline == (
        r"By Ann \<!here\> Reporter · [Valley \<Wire\>](https://valleywire.example) · 2026-05-04"
    )
    assert also == "Also published by Harbor Daily"
    assert link == "https://valleywire.example/2026/05/ferry"
    assert not re.search(r"(?<!\\)[*_]", embed["title"])


def test_discord_lists_the_stories_over_the_limit_in_one_embed():
    more = MoreStories((HOSTILE, story("dam")), count=2, per_hour=3)
    [embed] = embeds.more_stories_message(more).embeds
    assert embed["title"] == "2 more new stories"
    assert (
        "• [Repairs Begin on the Old Mill Dam](https://valleywire.example/2026/05/dam)"
        in (embed["description"])
    )
    assert "@\u200beveryone" in embed["description"] and "… and" not in embed["description"]
    assert embed["footer"]["text"] == "Announcements are limited to 3 an hour."


def json_text(message: dict) -> str:
    import json

    return json.dumps(message, ensure_ascii=False)


# --- settings ---------------------------------------------------------------------------------


def test_the_announcement_settings_are_read_and_checked():
    settings = Settings.from_env(
        {
            "SLACK_NEWS_CHANNEL": " C0NEWSDESK1 ",
            "DISCORD_NEWS_CHANNEL": "123456789012345678",
            "ANNOUNCE_MAX_PER_HOUR": "4",
        }
    )
    assert settings.slack_news_channel == "C0NEWSDESK1"
    assert settings.discord_news_channel == 123456789012345678
    assert settings.announce_max_per_hour == 4
    unset = Settings.from_env({})
    assert (unset.slack_news_channel, unset.discord_news_channel) == ("", None)
    assert unset.announce_max_per_hour == 10


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SLACK_NEWS_CHANNEL", "#newsroom"),
        ("SLACK_NEWS_CHANNEL", "newsroom"),
        ("SLACK_NEWS_CHANNEL", "U0REPORTER1"),
        ("DISCORD_NEWS_CHANNEL", "#news"),
        ("DISCORD_NEWS_CHANNEL", "12345"),
        ("DISCORD_NEWS_CHANNEL", "１２３４５６７８９０１２３４５６７８"),
        ("ANNOUNCE_MAX_PER_HOUR", "0"),
        ("ANNOUNCE_MAX_PER_HOUR", "ten"),
        ("ANNOUNCE_MAX_PER_HOUR", "-3"),
    ],
)
def test_a_malformed_announcement_setting_is_refused_naming_it(name, value):
    with pytest.raises(ConfigError) as refused:
        Settings.from_env({name: value})
    assert str(refused.value).startswith(f"{name} must be")
    assert value not in str(refused.value)
