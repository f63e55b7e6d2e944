"""When Discord falters: the real discord.py client, run by bot.discord_app, against a fake
Discord that fails on purpose (5xx, 429s, answers held past the client's timeout, dropped
connections, the gateway's Reconnect and Invalid Session, a dropped gateway and its Resume).
Each question is answered once, and Discord's trouble is never called ours."""

from __future__ import annotations

import logging

import pytest

from bot.discordbot.delivery import Policy
from bot.discordbot.ui import APOLOGY, DISCORD_TROUBLE
from tests.fake_discord import BOT_ID, MEMBER, TOKEN, FakeDiscord, run_bot

BRIDGE = "why was the harbor bridge vote delayed?"
ANSWERED = "cable anchors"
QUICK = Policy(timeout=1.0, delays=(0.2, 0.4, 0.8), deadline=10.0)  # the same, sooner
MESSAGES = r"^/channels/\d+/messages$"


def shown(message: dict) -> str:
    return str(message.get("embeds")).replace("*", "").replace("\\", "")


def assert_answered_once(fake: FakeDiscord, asked: dict) -> None:
    """Discord holds exactly one reply to `asked`, and it is the answer."""
    replies = fake.replies_to(asked)
    assert len(replies) == 1, f"{len(replies)} replies"
    assert ANSWERED in shown(replies[0])


async def ask(fake: FakeDiscord, text: str = BRIDGE) -> dict:
    return await fake.post(MEMBER, f"<@{BOT_ID}> {text}")


# -- replies: errors, rate limits, timeouts, dropped connections


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_a_failed_reply_is_sent_again_and_arrives_once(sampled, feedback, caplog, status):
    async def scenario(fake):
        fake.fail("POST", MESSAGES, status=status, times=2)
        asked = await ask(fake)
        await fake.answered(asked)
        return asked

    run = run_bot(sampled, feedback, scenario, delivery=QUICK)
    assert_answered_once(run.fake, run.result)
    posts = [c for c in run.fake.calls if c.method == "POST" and "/messages" in c.path]
    assert len(posts) == 3  # two refused, then taken
    assert len({c.body["nonce"] for c in posts}) == 1  # one nonce for every try
    assert all(c.body["enforce_nonce"] is True for c in posts)
    assert APOLOGY not in str([c.body for c in posts])
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("how", ["timeout", "dropped"])
def test_a_reply_discord_made_but_never_confirmed_is_not_shown_twice(sampled, feedback, how):
    async def scenario(fake):
        if how == "timeout":  # held past the bot's 1 s timeout
            fake.fail_after_doing("POST", MESSAGES, delay=2.5)
        else:
            fake.fail_after_doing("POST", MESSAGES, drop=True)
        asked = await ask(fake)
        await fake.wait_for(lambda c: c.method == "POST" and c.path.endswith("/messages")
                            and c is not first_post(fake))  # fmt: skip
        later = await ask(fake, "when will the library open on sundays?")
        await fake.answered(later)
        return asked

    run = run_bot(sampled, feedback, scenario, delivery=QUICK)
    assert_answered_once(run.fake, run.result)
    tries = [
        c
        for c in run.fake.calls
        if c.method == "POST"
        and str((c.body or {}).get("message_reference", {}).get("message_id")) == run.result["id"]
    ]
    assert len(tries) == 2 and tries[0].body["nonce"] == tries[1].body["nonce"]


def first_post(fake: FakeDiscord):
    return next(c for c in fake.calls if c.method == "POST" and c.path.endswith("/messages"))


def test_discord_failing_for_good_is_logged_once_and_never_called_our_fault(
    sampled, feedback, caplog
):
    async def scenario(fake):
        fake.fail("POST", MESSAGES, status=503, times=50)
        asked = await ask(fake)
        await fake.wait_for(lambda c: DISCORD_TROUBLE in str(c.body))  # the one-try notice
        return asked

    run = run_bot(sampled, feedback, scenario, delivery=QUICK)
    assert not run.fake.replies_to(run.result)
    sent = [c.body for c in run.fake.calls if c.method == "POST" and "/messages" in c.path]
    assert len(sent) == 5  # four tries of the answer, bounded, and one of the notice
    assert APOLOGY not in str(sent)
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(failures) == 1 and "HTTP 503 after 4 tries" in failures[0].getMessage()
    assert TOKEN not in caplog.text


@pytest.mark.parametrize("how", ["server error", "timeout"])
def test_a_slash_command_answer_survives_a_failed_response(sampled, feedback, how):
    async def scenario(fake):
        callback = r"^/interactions/\d+/[^/]+/callback$"
        if how == "server error":
            fake.fail("POST", callback, status=503)
        else:  # Discord took it; its answer is held past the bot's timeout
            fake.fail_after_doing("POST", callback, delay=2.5)
        interaction = await fake.slash(MEMBER, "ask", question=BRIDGE)
        await fake.responses(interaction, 2)
        return interaction

    run = run_bot(sampled, feedback, scenario, delivery=QUICK)
    answers = [
        c
        for c in run.fake.calls
        if run.result["token"] in c.path and c.response and "resource" in c.response
    ]
    assert len(answers) == 1  # one response made; a second try was "already acknowledged"
    assert ANSWERED in shown(answers[0].response["resource"]["message"])


# -- the gateway: Reconnect, Invalid Session, a dropped connection and Resume


async def resumed(fake: FakeDiscord, count: int = 1) -> None:
    await fake.wait_for(lambda c: c.method == "GATEWAY" and c.path == "RESUMED"
                        and fake.resumes >= count)  # fmt: skip


@pytest.mark.parametrize("fault", ["reconnect", "invalid session, resumable", "dropped"])
def test_after_the_gateway_goes_and_resumes_questions_are_answered_once(sampled, feedback, fault):
    async def scenario(fake):
        before = await ask(fake)
        await fake.answered(before)
        if fault == "reconnect":
            await fake.reconnect()  # op 7
        elif fault == "dropped":
            await fake.drop_gateway()
        else:
            await fake.invalidate(resumable=True)  # op 9, d: true
        during = await ask(fake)  # sent while the client reconnects: replayed on RESUME
        await resumed(fake)
        after = await ask(fake)
        await fake.answered(during)
        await fake.answered(after)
        return before, during, after

    run = run_bot(sampled, feedback, scenario, delivery=QUICK)
    assert run.fake.resumes == 1 and run.fake.session == 1  # resumed, never identified again
    for asked in run.result:
        assert_answered_once(run.fake, asked)


def test_an_invalid_session_that_cannot_resume_identifies_again_and_answers(sampled, feedback):
    async def scenario(fake):
        before = await ask(fake)
        await fake.answered(before)
        await fake.invalidate(resumable=False)  # op 9, d: false
        await fake.wait_for(lambda c: c.method == "GATEWAY" and c.path == "READY"
                            and fake.session == 2)  # fmt: skip
        after = await ask(fake)
        await fake.answered(after)
        return before, after

    run = run_bot(sampled, feedback, scenario, delivery=QUICK)
    assert run.fake.session == 2 and run.fake.connections == 2
    for asked in run.result:
        assert_answered_once(run.fake, asked)
