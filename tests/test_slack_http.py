"""HTTP mode end to end: the real Bolt App and WebClient against a fake Slack on 127.0.0.1,
events and slash commands sent over real HTTP with Slack's signatures."""

from __future__ import annotations

import json
import time

import pytest
from slack_bolt import App

from bot.slackbot.app import build
from index.ingest.sources import ingest
from tests.fake_slack import (
    BOT_ID,
    BOT_USER,
    SIGNING_SECRET,
    RunningBot,
    event_body,
    mention,
    message,
    send,
    settings_for,
    signature,
)

GUARANTORS = "who are the proposed guarantors?"


@pytest.fixture
def bot(fake, seeded, feedback):
    with RunningBot(fake, settings_for(fake), seeded, feedback, http=True) as running:
        yield running


def blocks_text(call) -> str:
    """The text of a message's blocks, bold marks taken out (matched words are in bold)."""
    return json.dumps(call.args.get("blocks", []), ensure_ascii=False).replace("*", "")


# -- Done when: a signed mention is answered once, in its thread; retries and forgeries are not


def test_a_signed_mention_is_answered_once_in_its_thread(fake, seeded, feedback):
    event = mention(GUARANTORS, ts="1712000000.000100")
    with RunningBot(fake, settings_for(fake), seeded, feedback, http=True) as bot:
        status, _ = bot.event(event, event_id="Ev0GUARANTORS")
        assert status == 200
        [posted] = fake.wait_for_calls("chat.postMessage")
        assert posted.args["channel"] == "C0NEWS"
        assert posted.args["thread_ts"] == "1712000000.000100"
        shown = blocks_text(posted)
        assert "group of guarantors" in shown
        assert "Mara Okonjo" in shown and "North Sound Report" in shown
        assert "paragraph 4" in shown
        assert posted.args["text"]  # the notification fallback

        retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
        status, _ = bot.event(event, event_id="Ev0GUARANTORS", headers=retry)
        assert status == 200  # answered, so that Slack stops retrying

        forged = event_body(mention(GUARANTORS), "Ev0FORGED")
        status, _ = send(bot.events_url, forged, content_type="application/json", secret="wrong")
        assert status == 401
    assert len(fake.calls_to("chat.postMessage")) == 1  # the bot has stopped: this is final


def test_a_stale_or_tampered_request_is_rejected(bot, fake):
    body = event_body(mention(GUARANTORS), "Ev0STALE")
    stale = int(time.time()) - 10 * 60
    status, _ = send(bot.events_url, body, content_type="application/json", timestamp=stale)
    assert status == 401
    now = str(int(time.time()))
    tampered = body.replace("guarantors", "sanctions")
    status, _ = send(
        bot.events_url,
        tampered,
        content_type="application/json",
        headers={
            "X-Slack-Request-Timestamp": now,
            "X-Slack-Signature": signature(SIGNING_SECRET, now, body),
        },
    )
    assert status == 401
    status, _ = send(
        bot.events_url, body, content_type="application/json", headers={"X-Slack-Signature": ""}
    )
    assert status == 401
    assert not fake.calls_to("chat.postMessage")


def test_the_factory_builds_the_real_app_against_the_fake(fake, archive, feedback):
    bot = build(settings_for(fake), archive, feedback)
    try:
        assert isinstance(bot.app, App)
        assert bot.app.client.base_url == fake.api_url
        assert bot.identity["user_id"] == BOT_USER
        assert fake.calls_to("auth.test")
    finally:
        bot.close()


def test_the_health_check_answers(bot):
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{bot.port}/healthz") as response:
        assert response.status == 200
        body = json.loads(response.read())
    assert body["ok"] is True and body["mode"] == "slack-http"  # more in tests/test_health.py


def test_the_url_verification_challenge_is_answered(bot):
    body = json.dumps({"type": "url_verification", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY"})
    status, text = send(bot.events_url, body, content_type="application/json")
    assert status == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY" in text


# -- Done when: article text never mentions or links anyone


def test_mentions_and_links_in_an_article_reach_slack_escaped(fake, archive, feedback, tmp_path):
    article = tmp_path / "alert.txt"
    article.write_text(
        "Title: Flood alert\nAuthor: Ann Editor\n\n"
        "The council posted <!channel> and <!here> to everyone & asked <@U123> to read "
        "<https://evil.example|the flood map> before the flood barrier vote.\n",
        encoding="utf-8",
    )
    assert ingest(archive, [str(article)]).added
    with RunningBot(fake, settings_for(fake), archive, feedback, http=True) as bot:
        bot.event(mention("what about the flood barrier vote?"))
        [posted] = fake.wait_for_calls("chat.postMessage")
    sent = posted.text()
    assert "&lt;!channel&gt;" in sent and "&lt;!here&gt;" in sent and "&lt;@U123&gt;" in sent
    assert "&lt;https://evil.example|the flood map&gt;" in sent
    assert " &amp; " in sent
    for raw in ("<!channel>", "<!here>", "<@U123>", "<https://evil.example"):
        assert raw not in sent


# -- the ways of asking


def test_a_direct_message_is_answered_in_the_conversation(bot, fake):
    bot.event(message(GUARANTORS, channel="D0REPORTER", channel_type="im"))
    [posted] = fake.wait_for_calls("chat.postMessage")
    assert posted.args["channel"] == "D0REPORTER"
    assert "thread_ts" not in posted.args
    assert "group of guarantors" in blocks_text(posted)


def test_a_reply_in_the_answer_thread_is_a_follow_up(fake, seeded, feedback):
    root = "1712000000.000200"
    with RunningBot(fake, settings_for(fake), seeded, feedback, http=True) as bot:
        bot.event(mention(GUARANTORS, ts=root))
        fake.wait_for_calls("chat.postMessage")
        # only filler words: on its own, nothing in the archive answers this
        follow_up = message("and what did they say?", channel="C0NEWS", thread_ts=root)
        bot.event(follow_up)
        _, second = fake.wait_for_calls("chat.postMessage", 2)
    assert second.args["thread_ts"] == root
    assert "guarantors" in blocks_text(second)
    [vote_button] = [
        e["value"]
        for b in second.args["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].endswith("vote_up")
    ]
    shown = feedback.answer(vote_button)
    assert shown.question == "and what did they say?"
    assert shown.context == GUARANTORS


def test_after_nothing_from_an_outlet_a_reply_asking_who_wrote_it_names_the_nearest_storys(
    fake, sampled, feedback
):
    """The first answer says whose stories held nothing and offers another outlet's story; "it"
    in the reply is that story (before, the reply repeated "Nothing from Valley Wire …")."""
    root = "1712000000.000250"
    first = "what did the Valley Wire say about the river cleanup?"
    with RunningBot(fake, settings_for(fake), sampled, feedback, http=True) as bot:
        bot.event(mention(first, ts=root))
        [answered] = fake.wait_for_calls("chat.postMessage")
        bot.event(message("who wrote it?", channel="C0NEWS", thread_ts=root))
        _, second = fake.wait_for_calls("chat.postMessage", 2)
    assert "Nothing from Valley Wire answers that." in blocks_text(answered)
    assert "River cleanup" in blocks_text(answered)
    assert second.args["thread_ts"] == root
    assert "Mei Lin" in blocks_text(second) and "Nothing from" not in blocks_text(second)


def test_thread_chatter_and_bots_are_not_answered(fake, seeded, feedback):
    root = "1712000000.000300"
    with RunningBot(fake, settings_for(fake), seeded, feedback, http=True) as bot:
        bot.event(mention(GUARANTORS, ts=root))
        fake.wait_for_calls("chat.postMessage")
        # a thread the bot never answered in; people talking to each other in its thread
        bot.event(message(GUARANTORS, channel="C0NEWS", thread_ts="1712000000.999999"))
        bot.event(message(f"<@U0EDITOR> {GUARANTORS}", channel="C0NEWS", thread_ts=root))
        # plain channel chatter; the bot's own message; another bot's; an edited message
        bot.event(message(GUARANTORS, channel="C0NEWS"))
        bot.event(message(GUARANTORS, channel="C0NEWS", user=BOT_USER, bot_id=BOT_ID))
        bot.event(message(GUARANTORS, channel="D0REPORTER", channel_type="im", bot_id="B0OTHER"))
        bot.event({**mention(GUARANTORS), "bot_id": "B0OTHER"})
        bot.event(message(GUARANTORS, channel="D0X", channel_type="im", subtype="message_changed"))
    assert len(fake.calls_to("chat.postMessage")) == 1
    assert not fake.calls_to("chat.postEphemeral")
