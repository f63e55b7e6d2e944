"""Socket Mode end to end: the real Bolt App, WebClient and Socket Mode client against a fake
Slack whose websocket on 127.0.0.1 speaks the envelope protocol."""

from __future__ import annotations

import logging

import pytest

from bot.config import ConfigError
from bot.render.blocks import ACTION_VOTE_UP
from bot.slackbot.app import run
from tests.fake_slack import (
    APP_TOKEN,
    BOT_TOKEN,
    TEAM,
    FakeSlack,
    RunningBot,
    action_payload,
    events_api,
    mention,
    settings_for,
)

GUARANTORS = "who are the proposed guarantors?"


def test_a_mention_is_acknowledged_and_answered_once_in_its_thread(fake, seeded, feedback, caplog):
    caplog.set_level(logging.DEBUG)  # every library's debug lines, searched for the tokens below
    event = mention(GUARANTORS, ts="1712000000.000500")
    with RunningBot(fake, settings_for(fake), seeded, feedback, http=False):
        [opened] = fake.calls_to("apps.connections.open")
        assert opened.headers["Authorization"] == f"Bearer {APP_TOKEN}"
        first = fake.send_envelope("events_api", events_api(event, "Ev0SOCKET"))
        assert fake.wait_for_ack(first) == {"envelope_id": first}
        [posted] = fake.wait_for_calls("chat.postMessage")
        assert posted.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
        assert posted.args["thread_ts"] == "1712000000.000500"
        assert "group of guarantors" in posted.text().replace("*", "")
        assert "Mara Okonjo" in posted.text()
        retried = fake.send_envelope("events_api", events_api(event, "Ev0SOCKET"), retry_attempt=1)
        fake.wait_for_ack(retried)
    assert len(fake.calls_to("chat.postMessage")) == 1  # stopped: this is final
    assert "Skipped event Ev0SOCKET" in caplog.text
    assert BOT_TOKEN not in caplog.text and APP_TOKEN not in caplog.text


def test_a_slash_command_is_acknowledged_in_its_envelope_then_answered(fake, seeded, feedback):
    command = {
        "team_id": TEAM,
        "channel_id": "C0NEWS",
        "user_id": "U0REPORTER",
        "command": "/ask",
        "text": GUARANTORS,
        "api_app_id": "A0NEWS",
        "response_url": fake.response_url("command"),
        "trigger_id": "1.2.3",
    }
    with RunningBot(fake, settings_for(fake), seeded, feedback, http=False):
        envelope = fake.send_envelope("slash_commands", command)
        assert fake.wait_for_ack(envelope)["envelope_id"] == envelope
        [posted] = fake.wait_for_calls("chat.postMessage")
    assert posted.args["channel"] == "C0NEWS"
    assert "group of guarantors" in posted.text().replace("*", "")


def test_a_button_press_arrives_as_an_interactive_envelope(fake, seeded, feedback):
    with RunningBot(fake, settings_for(fake), seeded, feedback, http=False):
        fake.send_envelope("events_api", events_api(mention(GUARANTORS), "Ev0VOTE"))
        [posted] = fake.wait_for_calls("chat.postMessage")
        payload = action_payload(
            posted, ACTION_VOTE_UP, user="U0READER", response_url=fake.response_url("button")
        )
        envelope = fake.send_envelope("interactive", payload)
        fake.wait_for_ack(envelope)
        [thanks] = fake.wait_for_calls("response:button")
    assert "Thanks" in thanks.args["text"]
    [vote] = feedback.votes()
    voter = feedback.hash_asker("slack", "U0READER")
    assert (vote.user, vote.vote, vote.answer.question) == (voter, 1, GUARANTORS)


def test_an_app_token_slack_refuses_stops_start_up_without_showing_it(archive, feedback, caplog):
    caplog.set_level(logging.DEBUG)
    refused = pytest.raises(ConfigError, match="SLACK_APP_TOKEN")
    with FakeSlack(app_token="xapp-the-one-slack-knows") as fake, refused as raised:
        run(settings_for(fake), archive, feedback)
    assert "invalid_auth" in str(raised.value)
    assert APP_TOKEN not in str(raised.value) and APP_TOKEN not in caplog.text
    assert BOT_TOKEN not in caplog.text
