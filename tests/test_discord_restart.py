"""A Discord bot restarted on the same data directory: slash commands are sent again only
when they changed (or with --sync), and a reply to an answer sent before the restart is read
in its conversation's context. The real client against the fake Discord on 127.0.0.1."""

from __future__ import annotations

from bot.discordbot.sync import HASH_FILE
from tests.fake_discord import APP_ID, BOT_ID, EDITOR_ROLE, GUILD_ID, MEMBER, run_bot

FIRST = "who wrote the harbor bridge story?"  # answered from the article's record: no quotes
FOLLOW_UP = "what delayed it?"


def puts(run) -> list:
    """The bulk overwrites of slash commands the fake Discord received during a run."""
    return [c for c in run.fake.calls if c.method == "PUT"]


async def help_round_trip(fake):
    """The bot is up and answering (its start-up, sync included, is over)."""
    asked = await fake.slash(MEMBER, "help")
    await fake.responses(asked)


def test_commands_are_synced_again_only_when_changed_or_asked(archive, feedback):
    first = run_bot(archive, feedback, help_round_trip)
    again = run_bot(archive, feedback, help_round_trip)
    changed = run_bot(archive, feedback, help_round_trip, discord_editor_role=EDITOR_ROLE)
    unchanged = run_bot(archive, feedback, help_round_trip, discord_editor_role=EDITOR_ROLE)
    forced = run_bot(archive, feedback, help_round_trip, discord_editor_role=EDITOR_ROLE, sync=True)
    in_server = run_bot(
        archive,
        feedback,
        help_round_trip,
        discord_editor_role=EDITOR_ROLE,
        discord_guild_ids=(GUILD_ID,),
    )
    assert [len(puts(run)) for run in (first, again, changed, unchanged, forced)] == [1, 0, 1, 0, 1]
    assert puts(first)[0].path == f"/applications/{APP_ID}/commands"
    # the editor role leaves the moderators' commands visible: a changed definition
    assert puts(first)[0].body != puts(changed)[0].body
    assert puts(changed)[0].body == puts(forced)[0].body
    # a server is a target of its own: its first sync is made, the global hash aside
    [to_server] = puts(in_server)
    assert to_server.path == f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"
    hashes = (archive.data_dir / HASH_FILE).read_text().splitlines()
    assert sorted(line.split()[1] for line in hashes) == [
        f"{APP_ID}/{GUILD_ID}",
        f"{APP_ID}/global",
    ]
    assert all(run.status == 0 for run in (first, again, changed, unchanged, forced, in_server))


def test_a_refused_sync_is_tried_again_at_the_next_start(archive, feedback):
    def refuse_commands(fake):
        fake.fail("PUT", r"/applications/\d+/commands$", status=403)

    refused = run_bot(archive, feedback, help_round_trip, prepare=refuse_commands)
    retried = run_bot(archive, feedback, help_round_trip)
    again = run_bot(archive, feedback, help_round_trip)
    assert [len(puts(run)) for run in (refused, retried, again)] == [1, 1, 0]
    assert refused.status == 0  # the bot answers all the same


def test_a_follow_up_after_a_restart_is_read_in_its_conversations_context(sampled, feedback):
    async def ask(fake):
        asked = await fake.slash(MEMBER, "ask", question=FIRST)
        [answered] = await fake.responses(asked)
        return answered.response["resource"]["message"]  # the public answer, as Discord has it

    first = run_bot(sampled, feedback, ask)
    answer = first.result
    assert "Priya Raman" in str(answer["embeds"])  # the author, from the article's record
    assert not answer["components"]  # no quotes, so no vote button to find the question by

    async def follow(fake):  # a new bot, a new connection: only the data directory is shared
        replied = await fake.post(MEMBER, f"<@{BOT_ID}> {FOLLOW_UP}", reply_to=answer)
        return await fake.reply_to(replied)

    reply = run_bot(sampled, feedback, follow).result
    vote = next(
        c["custom_id"]
        for row in reply.body["components"]
        for c in row["components"]
        if c["custom_id"].startswith("newsbot:vote:up:")
    )
    shown = feedback.answer(vote.rsplit(":", 1)[1])
    assert (shown.question, shown.context) == (FOLLOW_UP, FIRST)
    assert "Harbor Bridge" in reply.body["embeds"][0]["title"]
