"""/ask, "More" and 👍 / 👎 over HTTP mode: the real Bolt App against a fake Slack on 127.0.0.1."""

from __future__ import annotations

import json

from bot.render.blocks import ACTION_MORE, ACTION_VOTE_DOWN, ACTION_VOTE_UP, MAX_QUOTES, PAGE
from tests.fake_slack import RunningBot, mention, settings_for

GUARANTORS = "who are the proposed guarantors?"


def shown(call) -> str:
    """A message's blocks as text, bold marks taken out."""
    return json.dumps(call.args.get("blocks", []), ensure_ascii=False).replace("*", "")


def quotations(call) -> list[str]:
    return [
        b["text"]["text"]
        for b in call.args.get("blocks", [])
        if b["type"] == "section" and b["text"]["text"].startswith(">")
    ]


def buttons(call) -> dict[str, str]:
    return {
        e["action_id"]: e["value"]
        for b in call.args.get("blocks", [])
        if b["type"] == "actions"
        for e in b["elements"]
    }


def test_ask_is_acknowledged_at_once_and_answered_in_the_channel(fake, seeded, feedback):
    with RunningBot(fake, settings_for(fake), seeded, feedback, http=True) as bot:
        status, body = bot.command("/ask", GUARANTORS)
        assert status == 200
        assert body == ""  # an empty acknowledgement: nothing echoed, the answer follows
        [posted] = fake.wait_for_calls("chat.postMessage")
    assert posted.args["channel"] == "C0NEWS"
    assert "thread_ts" not in posted.args
    assert "<@U0REPORTER> asked" in shown(posted)
    assert "group of guarantors" in shown(posted)


def test_ask_can_answer_the_asker_only(fake, seeded, feedback):
    settings = settings_for(fake, slack_ask_ephemeral=True)
    with RunningBot(fake, settings, seeded, feedback, http=True) as bot:
        assert bot.command("/ask", GUARANTORS)[0] == 200
        [answer] = fake.wait_for_calls("response:command")
    assert answer.args["response_type"] == "ephemeral"
    assert "group of guarantors" in shown(answer)
    assert not fake.calls_to("chat.postMessage")


def test_ask_where_the_bot_is_not_a_member_answers_through_the_response_url(fake, seeded, feedback):
    fake.fail("chat.postMessage", body={"ok": False, "error": "not_in_channel"})
    with RunningBot(fake, settings_for(fake), seeded, feedback, http=True) as bot:
        bot.command("/ask", GUARANTORS)
        [answer] = fake.wait_for_calls("response:command")
    assert answer.args["response_type"] == "in_channel"
    assert "group of guarantors" in shown(answer)


def test_ask_without_a_question_explains_itself(fake, seeded, feedback):
    with RunningBot(fake, settings_for(fake), seeded, feedback, http=True) as bot:
        bot.command("/ask", "   ")
        [reply] = fake.wait_for_calls("response:command")
    assert reply.args["response_type"] == "ephemeral"
    assert "/ask" in reply.args["text"]


def test_no_answer_is_a_short_kind_message(fake, seeded, feedback):
    with RunningBot(fake, settings_for(fake), seeded, feedback, http=True) as bot:
        bot.event(mention("what about the zeppelin festival?"))
        [posted] = fake.wait_for_calls("chat.postMessage")
    assert "Nothing in the archive answers that" in posted.args["text"]
    assert len(posted.args["text"]) < 300
    assert not buttons(posted)  # nothing to vote on or to show more of


def test_more_shows_the_next_quotes_in_place(fake, seeded, feedback):
    # How many quotes score near enough the first is the ranker's to say: the next page holds
    # them all, up to its six.
    available = min(len(seeded.ask("Keller", limit=MAX_QUOTES).quotes), 2 * PAGE)
    assert available > PAGE
    with RunningBot(fake, settings_for(fake), seeded, feedback, http=True) as bot:
        bot.event(mention("Keller"))
        [posted] = fake.wait_for_calls("chat.postMessage")
        assert len(quotations(posted)) == PAGE == 3
        assert ACTION_MORE in buttons(posted)
        assert bot.press(posted, ACTION_MORE)[0] == 200
        [replaced] = fake.wait_for_calls("response:button")
    assert replaced.args["replace_original"] is True
    assert len(quotations(replaced)) == available
    assert quotations(replaced)[:3] == quotations(posted)
    # the votes on the longer answer are stored with the quotes it shows
    grown = feedback.answer(buttons(replaced)[ACTION_VOTE_UP])
    assert len(grown.quotes) == available


def test_votes_are_stored_with_the_question_and_the_quotes_shown(fake, seeded, feedback):
    with RunningBot(fake, settings_for(fake), seeded, feedback, http=True) as bot:
        bot.event(mention(GUARANTORS))
        [posted] = fake.wait_for_calls("chat.postMessage")
        bot.press(posted, ACTION_VOTE_UP, user="U0READER")
        bot.press(posted, ACTION_VOTE_DOWN, user="U0CRITIC")
        thanks = fake.wait_for_calls("response:button", 2)
    assert all(t.args["response_type"] == "ephemeral" for t in thanks)
    assert all("Thanks" in t.args["text"] for t in thanks)
    votes = {v.user: v for v in feedback.votes()}  # voters as salted hashes, as askers are
    reader, critic = (feedback.hash_asker("slack", user) for user in ("U0READER", "U0CRITIC"))
    assert votes[reader].vote == 1 and votes[critic].vote == -1
    judged = votes[reader].answer
    assert judged.surface == "slack"
    assert judged.question == GUARANTORS
    assert any("group of guarantors" in q["quote"] for q in judged.quotes)
