"""Bursts: sixty questions from twenty people at once, in Slack (HTTP and Socket Mode) and
Discord, through the fake servers and the real SDKs. Every question gets exactly one reply (an
answer, the rate-limit notice, or, beyond the bounded answering queue, "busy")."""

from __future__ import annotations

import collections
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.chat.answer_queue import AnswerQueue
from tests.fake_discord import BOT_ID, FakeDiscord, run_bot, user
from tests.fake_slack import FakeSlack, RunningBot, events_api, mention, settings_for

BRIDGE = "why was the harbor bridge vote delayed?"
ANSWERED = "cable anchors"
PEOPLE, EACH = 20, 3  # sixty questions
PER_MINUTE = 2  # so that each person's third question meets the rate limit


def questions() -> list[dict]:
    return [
        mention(BRIDGE, user=f"U0PERSON{person:02d}")
        for _ in range(EACH)
        for person in range(PEOPLE)
    ]


def slack_replies(fake: FakeSlack, asked: list[dict]) -> dict[str, list[str]]:
    """Each question's replies, by kind: "answer" in its thread, "notice" to the asker."""
    replies: dict[str, list[str]] = {event["ts"]: [] for event in asked}
    for call in fake.calls_to("chat.postMessage"):
        if call.args.get("thread_ts") in replies:
            replies[call.args["thread_ts"]].append("answer")
    for call in fake.calls_to("chat.postEphemeral"):
        if call.args.get("thread_ts") in replies:
            kind = "busy" if "busy" in call.args.get("text", "") else "notice"
            replies[call.args["thread_ts"]].append(kind)
    return replies


def assert_one_reply_each(replies: dict, *, notices: int, busy: bool = False) -> None:
    counts = collections.Counter(len(kinds) for kinds in replies.values())
    assert counts == {1: len(replies)}, counts  # none lost, none twice
    kinds = collections.Counter(kinds[0] for kinds in replies.values())
    assert kinds["notice"] == notices
    assert bool(kinds["busy"]) is busy
    assert kinds["answer"] >= 1


@pytest.mark.parametrize("http", [True, False], ids=["http", "socket mode"])
def test_sixty_questions_from_twenty_people_at_once_in_slack_get_one_reply_each(
    sampled, feedback, http
):
    asked = questions()
    with FakeSlack() as fake:
        settings = settings_for(fake, rate_limit_per_minute=PER_MINUTE)
        with RunningBot(fake, settings, sampled, feedback, http=http) as bot:
            if http:
                with ThreadPoolExecutor(max_workers=PEOPLE) as people:
                    statuses = list(people.map(lambda event: bot.event(event)[0], asked))
                assert set(statuses) == {200}
            else:
                for event in asked:
                    fake.send_envelope("events_api", events_api(event))
            fake.wait_until(
                lambda: all(slack_replies(fake, asked).values()), "a reply to every question"
            )
        replies = slack_replies(fake, asked)  # the bot has stopped: this is final
    assert_one_reply_each(replies, notices=PEOPLE)
    answer = fake.calls_to("chat.postMessage")[0]
    assert ANSWERED in answer.text().replace("*", "")


def test_a_flood_beyond_the_slack_queue_is_told_the_bot_is_busy(sampled, feedback):
    asked = [mention(BRIDGE, user=f"U0PERSON{n:02d}") for n in range(30)]
    tight = AnswerQueue(workers=1, waiting=2)
    with FakeSlack() as fake:
        with RunningBot(
            fake, settings_for(fake), sampled, feedback, http=True, answering=tight
        ) as bot:
            with ThreadPoolExecutor(max_workers=30) as people:
                list(people.map(bot.event, asked))
            fake.wait_until(lambda: all(slack_replies(fake, asked).values()), "every reply")
        replies = slack_replies(fake, asked)
    assert_one_reply_each(replies, notices=0, busy=True)
    assert tight.refused == sum(kinds == ["busy"] for kinds in replies.values())
    busy = next(c for c in fake.calls_to("chat.postEphemeral") if "busy" in c.args["text"])
    assert "try again in a minute" in busy.args["text"]


def discord_replies(fake: FakeDiscord, asked: list[dict]) -> dict[str, list[str]]:
    replies: dict[str, list[str]] = {}
    for message in asked:
        kinds = []
        for reply in fake.replies_to(message):
            text = str(reply.get("embeds")) + str(reply.get("content"))
            if ANSWERED in text.replace("*", "").replace("\\", ""):
                kinds.append("answer")
            elif "busy" in text:
                kinds.append("busy")
            else:
                kinds.append("notice")
        replies[message["id"]] = kinds
    return replies


def run_discord_burst(archive, feedback, count: int, **options):
    async def scenario(fake):
        people = [user(810000000000000000 + n, f"person{n}") for n in range(PEOPLE)]
        asked = [await fake.post(people[n % PEOPLE], f"<@{BOT_ID}> {BRIDGE}") for n in range(count)]
        await fake.wait_for(lambda _call: all(discord_replies(fake, asked).values()), timeout=60)
        return asked

    run = run_bot(archive, feedback, scenario, timeout=90, **options)
    return discord_replies(run.fake, run.result)


def test_sixty_questions_from_twenty_people_at_once_in_discord_get_one_reply_each(
    sampled, feedback
):
    replies = run_discord_burst(sampled, feedback, PEOPLE * EACH, rate_limit_per_minute=PER_MINUTE)
    assert_one_reply_each(replies, notices=PEOPLE)


def test_a_flood_beyond_the_discord_queue_is_told_the_bot_is_busy(sampled, feedback):
    tight = AnswerQueue(workers=1, waiting=2)
    replies = run_discord_burst(sampled, feedback, 30, answering=tight)
    assert_one_reply_each(replies, notices=0, busy=True)
    assert tight.refused == sum(kinds == ["busy"] for kinds in replies.values())
