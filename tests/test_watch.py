"""Watched feeds: conditional polls of a real HTTP server on 127.0.0.1, schedules on an injected
clock, back-off and one report for a failing feed, full text for summaries, `watch --once`."""

from __future__ import annotations

import logging

import pytest

from index.feeds.watched import FeedStore
from index.feeds.watcher import MIN_INTERVAL, Watcher
from index.fetch import Fetcher
from tests.feeds import Clock, ConditionalFeed, Entry, rss
from tests.webserver import WebServer, body

EVERY = 600.0
FERRY = Entry(
    "Ferry Service Returns to Halvorsen Island",
    "https://valleywire.example/2026/05/ferry",
    "The Halvorsen Island ferry will resume daily crossings on June 3 after a winter overhaul "
    "of both boats, the county transit office said.\n\nCaptain Ruth Ambler said the new "
    "engines cut the crossing from forty minutes to thirty.",
)
MARKET = Entry(
    "Farmers Market Adds a Night Session",
    "https://valleywire.example/2026/05/market-night",
    "The Depot Square farmers market will add a Wednesday evening session in July, with "
    "lanterns strung over the stalls, manager Luz Herrera said.",
)
LIBRARY = Entry(
    "Library Opens a Seed Lending Shelf",
    "https://valleywire.example/2026/05/seed-library",
    "Gardeners can now borrow tomato, bean and squash seeds at the Millbrook Public Library, "
    "which asks borrowers to return seeds saved from their harvest in the fall.",
)


@pytest.fixture
def feed():
    return ConditionalFeed(rss([FERRY, MARKET]))


@pytest.fixture
def routes(feed):
    return {"/feed.rss": feed}


@pytest.fixture
def feeds(tmp_path):
    store = FeedStore(tmp_path / "data" / "feeds.sqlite3")
    yield store
    store.close()


def watcher(archive, feeds, clock, **options) -> Watcher:
    fetcher = Fetcher(timeout=5, allow_private=True)
    return Watcher(archive, feeds, fetcher, every=EVERY, clock=clock, **options)


def test_a_feed_is_ingested_once_then_304_and_a_new_entry_within_one_interval(
    archive, feeds, feed, site
):
    """Done when: ingested once; unchanged -> 304, no body, nothing ingested; a new entry is
    answerable within one polling interval."""
    url, clock = site.url("/feed.rss"), Clock()
    feeds.add(url)
    watching = watcher(archive, feeds, clock)

    first = watching.poll()
    assert (first.polled, len(first.new), first.unchanged, first.failed) == (1, 2, 0, [])
    assert first.line() == "polled 1 feed(s): 2 new, 0 updated, 0 unchanged, 0 failed"
    quotes = archive.ask("what did the new engines cut the crossing to?").quotes
    assert "thirty" in quotes[0].text
    stored = {a.id: a for a in archive.articles()}

    clock.advance(EVERY / 2)  # not due yet: no request at all
    assert watching.poll().polled == 0
    assert len(feed.log) == 1

    clock.advance(EVERY / 2)
    second = watching.poll()
    assert (second.polled, second.not_modified, second.new, second.updated) == (1, 1, [], [])
    conditional = feed.log[-1]
    assert conditional.headers["If-None-Match"] == feed.etag
    assert conditional.headers["If-Modified-Since"] == feed.last_modified
    assert (conditional.status, conditional.body_bytes) == (304, 0)
    assert {a.id: a for a in archive.articles()} == stored
    assert all(len(archive.history(i)) == 1 for i in stored)

    feed.set(rss([LIBRARY, FERRY, MARKET]))
    assert not archive.ask("borrow squash seeds").quotes
    clock.advance(EVERY)  # one polling interval later
    third = watching.poll()
    assert [a.title for a in third.new] == [LIBRARY.title]
    assert (third.unchanged, third.updated, feed.log[-1].status) == (2, [], 200)
    answer = archive.ask("where can gardeners borrow squash seeds?")
    assert answer.quotes[0].citation.title == LIBRARY.title
    assert answer.quotes[0].citation.source == "Valley Wire"
    assert archive.check().ok


def test_a_failing_feed_backs_off_is_reported_once_and_shows_its_last_error(
    archive, feeds, feed, site, caplog
):
    url, clock = site.url("/feed.rss"), Clock()
    feeds.add(url)
    watching = watcher(archive, feeds, clock)
    feed.failing = 503
    caplog.set_level(logging.INFO, logger="index.feeds.watcher")
    for _ in range(3):
        report = watching.poll()
        assert report.polled == 1 and "503" in report.failed[0]
        clock.advance(feeds.get(url).next_poll - clock.now)  # exactly when it is due again
    state = feeds.get(url)
    assert state.failures == 3 and "503" in state.last_error
    pauses = [b.created for b in caplog.records]  # one warning, then quieter lines
    assert len(pauses) == 3
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and url in warnings[0].getMessage()

    clock.advance(-1)  # backing off: not polled a moment before it is due, even with --once
    assert watching.poll(force=True).polled == 0
    clock.advance(1)
    feed.failing = None
    recovered = watching.poll()
    assert len(recovered.new) == 2 and not recovered.failed
    assert feeds.get(url).failures == 0 and feeds.get(url).last_error is None
    assert "works again, after 3 failed poll(s)" in caplog.text


def test_back_off_doubles_after_each_failure(archive, feeds, feed, site):
    url, clock = site.url("/feed.rss"), Clock()
    feeds.add(url)
    watching = watcher(archive, feeds, clock)
    feed.failing = 500
    waits = []
    for _ in range(3):
        watching.poll()
        state = feeds.get(url)
        waits.append(state.next_poll - state.polled_at)
        clock.advance(waits[-1])
    assert waits == [2 * EVERY, 4 * EVERY, 8 * EVERY]


def test_a_feed_is_never_polled_more_often_than_the_minimum_interval(archive, feeds, site):
    url, clock = site.url("/feed.rss"), Clock()
    feeds.add(url)
    watching = watcher(archive, feeds, clock)
    watching.every = 1.0  # asked for every second: the floor still holds
    assert watching.interval(feeds.get(url)) == MIN_INTERVAL
    assert watching.poll().polled == 1
    clock.advance(MIN_INTERVAL - 1)
    assert watching.poll(force=True).polled == 0
    clock.advance(1)
    assert watching.poll(force=True).polled == 1


def test_summary_only_entries_are_read_from_their_pages_when_full_text_is_on(archive, feeds):
    page = (
        b"<html><head><title>Bridge cables pass</title></head><body><article>"
        b"<h1>Bridge cables pass inspection</h1>"
        b"<p>Inspectors found the harbor bridge cables sound after a month of tests.</p>"
        b"<p>The council will now schedule the delayed vote for the first week of June, "
        b"clerk Ana Ruiz said, and the span should reopen to trucks in the autumn.</p>"
        b"</article></body></html>"
    )
    routes = {"/bridge.html": body(page, "text/html; charset=utf-8")}
    with WebServer(routes) as site:
        summary = Entry(
            "Bridge cables pass inspection",
            site.url("/bridge.html"),
            "Inspectors found the harbor bridge cables sound.",
            full=False,
        )
        routes["/feed.rss"] = ConditionalFeed(rss([summary]))
        feeds.add(site.url("/feed.rss"))
        clock = Clock()
        watching = watcher(archive, feeds, clock, full_text=True)
        assert len(watching.poll().new) == 1
        [article] = archive.articles()
        assert len(article.paragraphs) == 2 and "first week of June" in article.paragraphs[1].text
        assert article.title == "Bridge cables pass inspection" and article.url == summary.link
        clock.advance(EVERY)
        routes["/feed.rss"].set(routes["/feed.rss"].data + b" ")  # a new body, same entries
        assert watching.poll().unchanged == 1
        assert site.requests.count("/bridge.html") == 1  # the page is not fetched again


def test_without_full_text_a_summary_is_what_is_kept(archive, feeds):
    with WebServer({}) as site:
        summary = Entry("Short", site.url("/page.html"), "Only a summary of the story.", full=False)
        feed = ConditionalFeed(rss([summary]))
        with WebServer({"/feed.rss": feed}) as feed_site:
            feeds.add(feed_site.url("/feed.rss"))
            watcher(archive, feeds, Clock()).poll()
        assert [p.text for p in archive.articles()[0].paragraphs] == [summary.text]
        assert site.requests == []


def test_an_article_an_editor_removed_stays_out_while_its_entry_is_unchanged(
    archive, feeds, feed, site
):
    feeds.add(site.url("/feed.rss"))
    clock = Clock()
    watching = watcher(archive, feeds, clock)
    watching.poll()
    archive.remove(FERRY.link)
    feed.set(rss([FERRY, MARKET], title="Valley Wire "))  # a new body, unchanged entries
    clock.advance(EVERY)
    report = watching.poll()
    assert report.new == [] and feed.log[-1].status == 200
    assert [a.title for a in archive.articles()] == [MARKET.title]


def test_a_page_that_is_not_a_feed_fails_with_a_reason(archive, feeds):
    with WebServer({"/": body(b"<html><body><p>Hello</p></body></html>", "text/html")}) as site:
        feeds.add(site.url("/"))
        report = watcher(archive, feeds, Clock()).poll()
    assert report.failed == [f"{site.url('/')}: not an RSS or Atom feed"]
    assert archive.articles() == []


def test_watch_once_ingests_prints_a_progress_line_and_keeps_the_feeds(cli, monkeypatch, site):
    monkeypatch.setenv("ALLOW_PRIVATE_URLS", "true")
    url = site.url("/feed.rss")
    status, out, err = cli("watch", "--once", url)
    assert status == 0, err
    assert out.startswith("polled 1 feed(s): 2 new, 0 updated, 0 unchanged, 0 failed")
    assert cli.ask_json("ferry crossing")["answers"][0]["article"]["source"] == "Valley Wire"
    status, out, _ = cli("watch", "--once")  # the feed was kept; polled a moment ago
    assert status == 0 and "polled 0 feed(s)" in out and "1 not due yet" in out
    feeds = FeedStore(cli.data_dir / "feeds.sqlite3")
    [state] = feeds.feeds()
    feeds.close()
    assert state.url == url and state.etag and state.failures == 0


def test_watch_once_reports_a_failing_feed_and_exits_1(cli, monkeypatch, feed, site):
    monkeypatch.setenv("ALLOW_PRIVATE_URLS", "true")
    feed.failing = 500
    status, out, err = cli("watch", "--once", site.url("/feed.rss"))
    assert status == 1
    assert "0 new, 0 updated, 0 unchanged, 1 failed" in out
    assert "500" in err


def test_watch_refuses_what_is_not_a_web_address_and_private_addresses(cli, site):
    status, _, err = cli("watch", "--once", "file:///etc/passwd")
    assert status == 1 and "only http and https" in err
    status, _, err = cli("watch", "--once", site.url("/feed.rss"))  # private not allowed
    assert status == 1 and "loopback" in err
    assert site.requests == []


def test_feed_settings_are_read_and_malformed_ones_named():
    from bot.config import ConfigError, Settings

    settings = Settings.from_env(
        {"FEEDS": "https://a.example/feed.rss, https://b.example/atom.xml", "FEEDS_EVERY": "5"}
    )
    assert settings.feeds == ("https://a.example/feed.rss", "https://b.example/atom.xml")
    assert settings.feeds_every_minutes == 5 and settings.fetch_full_text is False
    assert Settings.from_env({"FETCH_FULL_TEXT": "true"}).fetch_full_text is True
    for env, name in [
        ({"FEEDS": "file:///etc/passwd"}, "FEEDS"),
        ({"FEEDS_EVERY": "0"}, "FEEDS_EVERY"),
    ]:
        with pytest.raises(ConfigError, match=name):
            Settings.from_env(env)
