"""The real discord.py client, run by bot.discord_app, against a fake Discord on 127.0.0.1."""

from __future__ import annotations

import json
import re

from bot.discordbot.endpoints import PERMISSIONS
from index.archive import Archive
from index.feedback.store import FeedbackStore
from index.ingest.sources import ingest
from tests.fake_discord import (
    APP_ID,
    BOT_ID,
    EDITOR,
    EDITOR_ROLE,
    GUILD_ID,
    MANAGE_GUILD,
    MEMBER,
    MODERATOR,
    Call,
    run_bot,
)
from tests.webserver import WebServer, body

QUESTION = "who are the proposed guarantors?"
MESSAGE_CONTENT, GUILD_MEMBERS, GUILD_PRESENCES = 1 << 15, 1 << 1, 1 << 8
EPHEMERAL = 64


def plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown.replace("**", ""))


def embeds_of(call: Call) -> list[dict]:
    payload = call.body.get("data", call.body)  # an interaction callback nests the message
    return payload.get("embeds") or []


def payload_of(call: Call) -> dict:
    return call.body.get("data", call.body)


def assert_story_answer(embeds: list[dict]) -> None:
    assert 1 <= len(embeds) <= 3
    quoted = [e for e in embeds if "group of guarantors" in plain(e["description"])]
    assert quoted, [e["description"][:200] for e in embeds]
    citation = quoted[0]["description"].rsplit("\n", 1)[-1]
    assert "Mara Okonjo" in citation and "North Sound Report" in citation
    assert re.search(r"paragraph \d+", citation)
    assert quoted[0]["title"] == "Marenia dam talks"


def custom_ids(call: Call) -> list[str]:
    rows = payload_of(call).get("components") or []
    return [c["custom_id"] for row in rows for c in row["components"]]


def test_a_mention_is_answered_by_a_reply_with_the_quote_and_citation(seeded, feedback):
    async def scenario(fake):
        asked = await fake.post(MEMBER, f"<@{BOT_ID}> {QUESTION}")
        return await fake.reply_to(asked)

    run = run_bot(seeded, feedback, scenario)
    reply = run.result
    assert reply.path.endswith("/messages") and reply.authorized
    assert reply.body["allowed_mentions"] == {"parse": []}
    assert_story_answer(reply.body["embeds"])
    ids = custom_ids(reply)
    assert any(i.startswith("newsbot:vote:up:") for i in ids)
    recorded = feedback.answer(ids[0].rsplit(":", 1)[1])
    assert recorded.surface == "discord" and recorded.question == QUESTION
    assert run.status == 0
    # connected with the gateway protocol: identified with the token, heartbeats, no privileges
    identify = run.fake.identify
    assert identify["intents"] & (MESSAGE_CONTENT | GUILD_MEMBERS | GUILD_PRESENCES) == 0
    assert run.fake.heartbeats >= 1


def test_ask_gets_the_same_answer_publicly_or_privately(seeded, feedback):
    async def scenario(fake):
        public = await fake.slash(MEMBER, "ask", question=QUESTION)
        private = await fake.slash(MEMBER, "ask", question=QUESTION, private=True)
        return (await fake.responses(public))[0], (await fake.responses(private))[0]

    public, private = run_bot(seeded, feedback, scenario).result
    for call in (public, private):
        assert call.body["type"] == 4  # answered at once: the search is quick
        assert call.body["data"]["allowed_mentions"] == {"parse": []}
        assert_story_answer(embeds_of(call))
    assert not (public.body["data"].get("flags") or 0) & EPHEMERAL
    assert private.body["data"]["flags"] & EPHEMERAL


def test_a_slow_answer_is_deferred_then_delivered(seeded, feedback):
    async def scenario(fake):
        asked = await fake.slash(MEMBER, "ask", question=QUESTION)
        return await fake.responses(asked, count=2)

    deferred, delivered = run_bot(seeded, feedback, scenario, defer_after=0).result
    assert deferred.body["type"] == 5  # "thinking…", within Discord's 3 seconds
    assert delivered.method == "PATCH" and delivered.path.endswith("/messages/@original")
    assert delivered.body["allowed_mentions"] == {"parse": []}
    assert_story_answer(delivered.body["embeds"])


def test_ingest_by_a_member_is_refused_and_ingests_nothing(seeded, feedback):
    before = [a.id for a in seeded.articles()]
    with WebServer({"/story.txt": body(b"Title: Other\n\nA story.", "text/plain")}) as web:

        async def scenario(fake):
            asked = await fake.slash(MEMBER, "ingest", url=web.url("/story.txt"))
            removal = await fake.slash(MEMBER, "remove", article=before[0])
            return (await fake.responses(asked))[0], (await fake.responses(removal))[0]

        refusals = run_bot(seeded, feedback, scenario, allow_private_urls=True).result
        assert web.requests == []  # not even fetched
    for refusal in refusals:
        assert refusal.body["type"] == 4
        assert refusal.body["data"]["flags"] & EPHEMERAL
        assert "Only members with Manage Server" in refusal.body["data"]["content"]
    assert [a.id for a in seeded.articles()] == before


def test_moderators_and_editors_ingest_and_remove(seeded, feedback):
    story = b"Title: Harbor vote\nAuthor: Ann Lee\n\nThe harbor vote was delayed again.\n"
    with WebServer({"/story.txt": body(story, "text/plain")}) as web:

        async def scenario(fake):
            added = await fake.slash(MODERATOR, "ingest", url=web.url("/story.txt"))
            added = await fake.responses(added, count=2)
            new_id = next(a.id for a in seeded.articles() if a.title == "Harbor vote")
            removed = await fake.slash(EDITOR, "remove", article=new_id)
            return added, (await fake.responses(removed))[0]

        settings = {"allow_private_urls": True, "discord_editor_role": EDITOR_ROLE}
        (deferred, added), removed = run_bot(seeded, feedback, scenario, **settings).result
    assert deferred.body["type"] == 5 and deferred.body["data"]["flags"] & EPHEMERAL
    assert "Added: **Harbor vote**" in added.body["content"]
    assert "Removed: **Harbor vote**" in removed.body["data"]["content"]
    assert [a.title for a in seeded.articles()] == ["Marenia dam talks"]


def test_ingest_takes_only_web_links(seeded, feedback, tmp_path):
    local = tmp_path / "secret.txt"
    local.write_text("Title: Private\n\nNot for the archive.\n")

    async def scenario(fake):
        asked = await fake.slash(MODERATOR, "ingest", url=str(local))
        return (await fake.responses(asked, count=2))[1]

    answer = run_bot(seeded, feedback, scenario).result
    assert "http:// or https://" in answer.body["content"]
    assert [a.title for a in seeded.articles()] == ["Marenia dam talks"]


def test_commands_are_synced_at_start_with_moderator_defaults(seeded, feedback):
    async def scenario(fake):
        return await fake.wait_for(lambda c: c.method == "PUT")

    run = run_bot(seeded, feedback, scenario)
    synced = run.result
    assert synced.path == f"/applications/{APP_ID}/commands" and synced.authorized
    commands = {c["name"]: c for c in synced.body}
    assert set(commands) == {"ask", "sources", "help", "ingest", "remove", "feeds"}
    assert int(commands["ingest"]["default_member_permissions"]) == MANAGE_GUILD
    assert int(commands["remove"]["default_member_permissions"]) == MANAGE_GUILD
    assert commands["ask"]["default_member_permissions"] is None
    assert [o["name"] for o in commands["ask"]["options"]] == ["question", "private"]
    (invite,) = run.announced
    assert f"client_id={APP_ID}" in invite and "scope=bot+applications.commands" in invite
    assert f"permissions={PERMISSIONS.value}" in invite


def test_commands_go_to_the_listed_servers_instantly(seeded, feedback):
    async def scenario(fake):
        await fake.wait_for(lambda c: c.method == "PUT")
        asked = await fake.slash(MEMBER, "sources")
        await fake.responses(asked)
        return [c for c in fake.calls if c.method == "PUT"]

    settings = {"discord_guild_ids": (GUILD_ID,), "discord_editor_role": EDITOR_ROLE}
    (synced,) = run_bot(seeded, feedback, scenario, **settings).result
    assert synced.path == f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"
    # with an editor role, the commands stay visible: the check happens when they run
    assert {c["default_member_permissions"] for c in synced.body} == {None}


def test_a_reply_to_an_answer_is_a_follow_up_of_the_first_question(seeded, feedback):
    async def scenario(fake):
        asked = await fake.post(MEMBER, f"<@{BOT_ID}> {QUESTION}")
        answer = await fake.reply_to(asked)
        answered = fake._messages[int(answer.response["id"])]
        follow = await fake.post(MEMBER, "and does Norland join them?", reply_to=answered)
        again = await fake.reply_to(follow)
        return answered, again

    answered, again = run_bot(seeded, feedback, scenario).result
    (vote_id, *_) = custom_ids(again)
    shown = feedback.answer(vote_id.rsplit(":", 1)[1])
    assert shown.question == "and does Norland join them?"
    assert shown.context == QUESTION

    # after a restart the bot no longer remembers its messages: the buttons still tell
    async def later(fake):
        follow = await fake.post(MEMBER, "and Brova?", reply_to=answered)
        return await fake.reply_to(follow)

    reply = run_bot(seeded, feedback, later).result
    (vote_id, *_) = custom_ids(reply)
    assert feedback.answer(vote_id.rsplit(":", 1)[1]).context == QUESTION


def test_votes_are_recorded_and_more_shows_the_next_quotes(seeded, feedback):
    async def scenario(fake):
        asked = await fake.post(MEMBER, f"<@{BOT_ID}> Keller Moravec Lund Osterra")
        answer = await fake.reply_to(asked)
        message = fake._messages[int(answer.response["id"])]
        up = next(i for i in custom_ids(answer) if ":up:" in i)
        voted = await fake.click(MEMBER, message, up)
        more = next(i for i in custom_ids(answer) if i.startswith("newsbot:more:"))
        shown = await fake.click(MEMBER, message, more)
        return answer, (await fake.responses(voted))[0], (await fake.responses(shown))[0]

    first, voted, more = run_bot(seeded, feedback, scenario).result
    assert voted.body["data"]["flags"] & EPHEMERAL and "👍" in voted.body["data"]["content"]
    (vote,) = feedback.votes()
    voter = feedback.hash_asker("discord", MEMBER["id"])
    assert (vote.vote, vote.user, vote.answer.surface) == (1, voter, "discord")
    assert more.body["data"]["flags"] & EPHEMERAL
    before = {e["description"] for e in first.body["embeds"]}
    after = {e["description"] for e in embeds_of(more)}
    assert after and not after & before  # the next quotes, not the same ones again


def test_article_text_never_pings_or_formats(tmp_path, feedback):
    hostile = {
        "id": "hostile",
        "title": "Council @everyone meeting",
        "author": "<@123456789012345678>",
        "paragraphs": [
            "The zebra council told @everyone and @here: **vote** <@&223456789012345678>"
        ],
    }
    (tmp_path / "hostile.json").write_text(json.dumps(hostile))
    with Archive(tmp_path / "data") as archive:
        ingest(archive, [str(tmp_path / "hostile.json")])

        async def scenario(fake):
            asked = await fake.post(MEMBER, f"<@{BOT_ID}> what did the zebra council say?")
            return await fake.reply_to(asked)

        reply = run_bot(archive, feedback, scenario).result
    text = json.dumps(reply.body, ensure_ascii=False)
    assert "zebra" in text
    assert "@everyone" not in text and "@here" not in text
    assert not re.search(r"(?<!\\)<@", text)
    assert reply.body["allowed_mentions"] == {"parse": []}


def test_a_fast_asker_is_told_to_wait(seeded, feedback):
    async def scenario(fake):
        first = await fake.slash(MEMBER, "ask", question=QUESTION)
        await fake.responses(first)
        asked = await fake.post(MEMBER, f"<@{BOT_ID}> {QUESTION}")
        told = await fake.reply_to(asked)
        again = await fake.slash(MEMBER, "ask", question=QUESTION)  # must still be answered
        return told, (await fake.responses(again))[0]

    told, refused = run_bot(seeded, feedback, scenario, rate_limit_per_minute=1).result
    assert not told.body.get("embeds")
    assert "Please wait" in told.body["content"]
    assert refused.body["data"]["flags"] & EPHEMERAL
    assert "limit is 1 per minute" in refused.body["data"]["content"]
    assert not refused.body["data"].get("embeds")


def test_sources_lists_and_filters_the_archive(seeded, feedback):
    async def scenario(fake):
        listed = await fake.slash(MEMBER, "sources")
        none = await fake.slash(MEMBER, "sources", query="no such outlet")
        return (await fake.responses(listed))[0], (await fake.responses(none))[0]

    listed, none = run_bot(seeded, feedback, scenario).result
    (embed,) = embeds_of(listed)
    assert "Marenia dam talks" in embed["description"]
    assert "North Sound Report" in embed["description"]
    assert "No article" in none.body["data"]["content"]


def test_a_bad_question_gets_its_reason_and_a_failure_an_apology(tmp_path, story_path, caplog):
    with Archive(tmp_path / "data", max_question_chars=40) as archive:
        ingest(archive, [str(story_path)])
        feedback = FeedbackStore(tmp_path / "feedback.sqlite3")

        async def scenario(fake):
            asked = await fake.slash(MEMBER, "ask", question="why " * 30)
            return (await fake.responses(asked))[0]

        reason = run_bot(archive, feedback, scenario).result
        feedback.close()  # the bot's next record of an answer fails

        async def failing(fake):
            asked = await fake.post(MEMBER, f"<@{BOT_ID}> {QUESTION}")
            return await fake.reply_to(asked)

        apology = run_bot(archive, feedback, failing).result
    assert "40" in reason.body["data"]["content"]  # the QuestionError's own words
    assert apology.body["content"].startswith("Sorry, something went wrong")
    assert "Error" not in apology.body["content"] and "closed" not in apology.body["content"]
    errors = [r for r in caplog.records if r.levelname == "ERROR" and r.exc_info]
    assert errors, "the failure is logged with its traceback"
