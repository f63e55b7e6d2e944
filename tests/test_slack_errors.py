"""Failures in Slack: start-up refusals that name the setting, apologies instead of stack traces,
rate limits, Slack's 429s, and secrets that never reach a log line, an error or a reply."""

from __future__ import annotations

import dataclasses
import logging
import socket

import pytest

from bot.config import ConfigError
from bot.slackbot.app import run
from index.errors import InputError
from tests.fake_slack import (
    APP_TOKEN,
    BOT_TOKEN,
    SIGNING_SECRET,
    FakeSlack,
    RunningBot,
    free_port,
    mention,
    settings_for,
)

GUARANTORS = "who are the proposed guarantors?"
SECRETS = (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET)


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


# -- start-up


@pytest.mark.parametrize(
    ("change", "setting"),
    [
        ({"slack_bot_token": ""}, "SLACK_BOT_TOKEN"),
        ({"slack_bot_token": "xoxp-a-user-token"}, "SLACK_BOT_TOKEN"),
        ({"slack_app_token": ""}, "SLACK_APP_TOKEN"),
        ({"slack_app_token": BOT_TOKEN}, "SLACK_APP_TOKEN"),
    ],
)
def test_a_missing_or_malformed_token_stops_start_up_naming_the_setting(
    fake, archive, feedback, change, setting
):
    settings = dataclasses.replace(settings_for(fake), **change)
    with pytest.raises(ConfigError, match=setting) as raised:
        run(settings, archive, feedback)
    assert_no_secret(str(raised.value))
    assert not fake.calls  # refused before any request to Slack


def test_http_mode_needs_the_signing_secret(fake, archive, feedback):
    settings = settings_for(fake, slack_signing_secret="")
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        run(settings, archive, feedback, http=True)


def test_a_token_slack_refuses_stops_start_up_without_showing_it(archive, feedback, caplog):
    caplog.set_level(logging.DEBUG)
    with FakeSlack(bot_token="xoxb-the-one-slack-knows") as fake:
        with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN") as raised:
            run(settings_for(fake), archive, feedback, http=True, port=free_port())
        assert fake.calls_to("auth.test")
    assert "invalid_auth" in str(raised.value)
    assert_no_secret(str(raised.value), caplog.text)


def test_an_unreachable_api_url_is_named(archive, feedback, caplog):
    caplog.set_level(logging.DEBUG)
    with FakeSlack() as fake:
        settings = settings_for(fake)
    with pytest.raises(ConfigError, match="SLACK_API_URL") as raised:
        run(settings, archive, feedback, http=True)  # the fake has stopped: nothing listens
    assert_no_secret(str(raised.value), caplog.text)


def test_a_port_in_use_is_told_plainly(fake, archive, feedback):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(InputError, match=f"port {port}"):
            run(settings_for(fake), archive, feedback, http=True, host="127.0.0.1", port=port)


# -- errors while answering


def test_an_error_is_logged_with_its_traceback_and_the_user_gets_an_apology(
    fake, seeded, feedback, caplog
):
    caplog.set_level(logging.DEBUG)
    fake.fail("chat.postMessage", body={"ok": False, "error": "fatal_error"})
    with RunningBot(fake, settings_for(fake), seeded, feedback, http=True) as bot:
        bot.event(mention(GUARANTORS))
        _, apology = fake.wait_for_calls("chat.postMessage", 2)
    reply = apology.text()
    assert "Sorry" in reply
    for leak in ("fatal_error", "SlackApiError", "Traceback", "Error:"):
        assert leak not in reply
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]
    assert failures and "fatal_error" in caplog.text  # the log has the whole story
    assert_no_secret(caplog.text, reply)


def test_a_user_error_is_told_in_its_own_words(fake, seeded, feedback):
    with RunningBot(fake, settings_for(fake), seeded, feedback, http=True) as bot:
        bot.command("/ask", "guarantors " * 120)
        [reply] = fake.wait_for_calls("response:command")
    assert reply.args["response_type"] == "ephemeral"
    assert "characters long" in reply.args["text"]


def test_slacks_429_is_retried_after_retry_after(fake, seeded, feedback):
    fake.fail(
        "chat.postMessage",
        status=429,
        body={"ok": False, "error": "ratelimited"},
        headers={"Retry-After": "1"},
    )
    with RunningBot(fake, settings_for(fake), seeded, feedback, http=True) as bot:
        bot.event(mention(GUARANTORS))
        fake.wait_for_calls("chat.postMessage", 2)
    refused, delivered = fake.calls_to("chat.postMessage")
    assert refused.args == delivered.args  # the same answer, sent again
    assert "group of guarantors" in delivered.text().replace("*", "")
    assert len(fake.calls_to("chat.postMessage")) == 2  # no apology: it got through


def test_a_fast_asker_gets_one_polite_notice(fake, seeded, feedback):
    settings = settings_for(fake, rate_limit_per_minute=1)
    with RunningBot(fake, settings, seeded, feedback, http=True) as bot:
        for _ in range(4):
            bot.event(mention(GUARANTORS))
        fake.wait_for_calls("chat.postEphemeral")
    assert len(fake.calls_to("chat.postMessage")) == 1
    [notice] = fake.calls_to("chat.postEphemeral")
    assert notice.args["user"] == "U0REPORTER"
    assert "faster" in notice.args["text"]
