"""When Slack falters: the real Bolt App, WebClient and Socket Mode client against a fake Slack
that fails on purpose (5xx, Slack's internal_error, answers held past the client's timeout,
dropped connections, closed websockets, `disconnect` messages, refused reconnects). The answer
arrives once, and Slack's trouble is never called ours."""

from __future__ import annotations

import logging

import pytest

from bot.slackbot.delivery import Policy
from tests.fake_slack import (
    APP_TOKEN,
    BOT_TOKEN,
    FakeSlack,
    RunningBot,
    events_api,
    mention,
    settings_for,
)

BRIDGE = "why was the harbor bridge vote delayed?"
ANSWERED = "cable anchors"
QUICK = Policy(timeout=1.0, delays=(0.2, 0.4, 0.8), deadline=10.0)  # the same, sooner


def answers_in(fake: FakeSlack, thread_ts: str) -> list[dict]:
    """The messages Slack holds in a thread: what people see, whatever the bot was told."""
    with fake._changed:
        return [
            m
            for channel in fake.messages.values()
            for m in channel
            if m.get("thread_ts") == thread_ts
        ]


def assert_answered_once(fake: FakeSlack, thread_ts: str) -> None:
    shown = answers_in(fake, thread_ts)
    assert len(shown) == 1, f"{len(shown)} messages in the thread"
    assert ANSWERED in str(shown[0]["blocks"]).replace("*", "")


# -- replies: errors, timeouts, dropped connections


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, {"ok": False, "error": "internal_error"}),
        (502, {"ok": False, "error": "bad_gateway"}),
        (503, {"ok": False, "error": "service_unavailable"}),
        (200, {"ok": False, "error": "internal_error"}),  # Slack's words for its own trouble
    ],
)
def test_a_server_error_on_the_answer_is_retried_and_the_answer_arrives_once(
    fake, sampled, feedback, caplog, status, body
):
    fake.fail("chat.postMessage", status=status, body=body)
    fake.fail("chat.postMessage", status=status, body=body)
    event = mention(BRIDGE)
    with RunningBot(fake, settings_for(fake), sampled, feedback, http=True, delivery=QUICK) as bot:
        bot.event(event)
        fake.wait_until(lambda: answers_in(fake, event["ts"]), "the answer")
    assert_answered_once(fake, event["ts"])
    tries = fake.posted(event["ts"])
    assert len(tries) == 3 and tries[0].args["blocks"] == tries[2].args["blocks"]
    assert len(fake.calls_to("conversations.replies")) == 2  # looked before each new try
    assert not fake.calls_to("chat.postEphemeral")  # no apology, no notice: it got through
    assert "Sorry" not in caplog.text


@pytest.mark.parametrize("how", ["timeout", "dropped"])
def test_an_answer_slack_took_but_never_confirmed_is_not_posted_again(fake, sampled, feedback, how):
    if how == "timeout":  # held past the client's 1 s timeout
        fake.fail_after_doing("chat.postMessage", delay=2.5)
    else:
        fake.fail_after_doing("chat.postMessage", drop=True)
    event = mention(BRIDGE)
    with RunningBot(fake, settings_for(fake), sampled, feedback, http=True, delivery=QUICK) as bot:
        bot.event(event)
        fake.wait_for_calls("conversations.replies")
        bot.event(mention("when will the library open on sundays?"))
        fake.wait_until(lambda: len(fake.calls_to("chat.postMessage")) >= 2, "the next answer")
    assert_answered_once(fake, event["ts"])
    assert len(fake.posted(event["ts"])) == 1  # found in the thread: not sent again
    [looked] = fake.calls_to("conversations.replies")
    assert looked.args["ts"] == event["ts"]


def test_slack_failing_for_good_is_logged_once_and_never_called_our_fault(
    fake, sampled, feedback, caplog
):
    caplog.set_level(logging.DEBUG)
    for _ in range(10):
        fake.fail("chat.postMessage", status=500, body={"ok": False, "error": "internal_error"})
    event = mention(BRIDGE)
    with RunningBot(fake, settings_for(fake), sampled, feedback, http=True, delivery=QUICK) as bot:
        bot.event(event)
        [notice] = fake.wait_for_calls("chat.postEphemeral")
    assert len(fake.posted(event["ts"])) == 4  # bounded: the first try and three more
    assert not answers_in(fake, event["ts"])
    assert "Slack is having trouble" in notice.args["text"]
    assert "Sorry" not in notice.args["text"] and "my side" not in notice.args["text"]
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(failures) == 1 and "HTTP 500" in failures[0].getMessage()
    assert "after 4 tries" in failures[0].getMessage()
    assert BOT_TOKEN not in caplog.text and APP_TOKEN not in caplog.text


def test_a_rate_limit_then_a_server_error_still_gives_one_answer(fake, sampled, feedback):
    fake.fail("chat.postMessage", status=429, body={"ok": False, "error": "ratelimited"},
              headers={"Retry-After": "1"})  # fmt: skip
    fake.fail("chat.postMessage", status=500, body={"ok": False, "error": "internal_error"})
    event = mention(BRIDGE)
    with RunningBot(fake, settings_for(fake), sampled, feedback, http=True, delivery=QUICK) as bot:
        bot.event(event)
        fake.wait_until(lambda: answers_in(fake, event["ts"]), "the answer")
    assert_answered_once(fake, event["ts"])
    assert len(fake.posted(event["ts"])) == 3


# -- Socket Mode: the connection goes and comes back


def test_a_closed_websocket_is_reopened_and_an_event_in_flight_is_answered_once(
    fake, sampled, feedback
):
    first, lost, after = mention(BRIDGE), mention(BRIDGE), mention(BRIDGE)
    with RunningBot(fake, settings_for(fake), sampled, feedback, http=False, delivery=QUICK):
        fake.send_envelope("events_api", events_api(first, "Ev0FIRST"))
        fake.wait_until(lambda: answers_in(fake, first["ts"]), "the first answer")
        fake.close_sockets(after=("events_api", events_api(lost, "Ev0INFLIGHT")))
        fake.wait_until(lambda: fake.connections() >= 2, "a new connection")
        fake.send_envelope("events_api", events_api(after, "Ev0AFTER"))
        fake.wait_until(lambda: answers_in(fake, after["ts"]), "the answer after")
        fake.wait_until(lambda: answers_in(fake, lost["ts"]), "the event sent as it closed")
    for event in (first, lost, after):
        assert_answered_once(fake, event["ts"])


@pytest.mark.parametrize("reason", ["refresh_requested", "warning"])
def test_a_disconnect_message_moves_the_bot_to_a_new_connection(fake, sampled, feedback, reason):
    during, after = mention(BRIDGE), mention(BRIDGE)
    with RunningBot(fake, settings_for(fake), sampled, feedback, http=False, delivery=QUICK):
        fake.disconnect(reason)
        fake.send_envelope("events_api", events_api(during, "Ev0DURING"))  # on the old one
        fake.wait_until(lambda: fake.connections() >= 2, "a new connection")
        fake.wait_until(lambda: answers_in(fake, during["ts"]), "the event sent during it")
        # Slack retries an event whose ack it missed: the retry is not answered again
        fake.send_envelope("events_api", events_api(during, "Ev0DURING"), retry_attempt=1)
        fake.send_envelope("events_api", events_api(after, "Ev0AFTER"))
        fake.wait_until(lambda: answers_in(fake, after["ts"]), "the answer after")
    assert_answered_once(fake, during["ts"])
    assert_answered_once(fake, after["ts"])


@pytest.mark.slow
def test_a_refused_reconnect_is_tried_again_until_slack_lets_the_bot_in(
    fake, sampled, feedback, caplog
):
    after = mention(BRIDGE)
    with RunningBot(fake, settings_for(fake), sampled, feedback, http=False, delivery=QUICK):
        fake.fail("apps.connections.open", body={"ok": False, "error": "internal_error"})
        fake.close_sockets()
        fake.wait_until(lambda: fake.connections() >= 2, "a connection after the refusal")
        assert len(fake.calls_to("apps.connections.open")) >= 3  # start, refused, let in
        fake.send_envelope("events_api", events_api(after, "Ev0AFTER"))
        fake.wait_until(lambda: answers_in(fake, after["ts"]), "the answer after")
    assert_answered_once(fake, after["ts"])
    assert APP_TOKEN not in caplog.text
