"""The Discord token never reaches a log line, an error message or a chat reply."""

from __future__ import annotations

import asyncio
import json
import logging
import traceback

from tests.conftest import eventually
from tests.fake_discord import BOT_ID, MEMBER, TOKEN, run_bot


async def logged_eventually(caplog, words: str) -> bool:
    """Whether a log record says `words` within 20 s (waited for off the event loop)."""
    said = lambda: any(words in r.getMessage() for r in caplog.records)  # noqa: E731
    return await asyncio.to_thread(eventually, said, 20, f"a log line with {words!r}")


def logged(records: list[logging.LogRecord]) -> str:
    """Every record as a handler would write it, tracebacks included."""
    lines = []
    for record in records:
        lines.append(record.getMessage())
        if record.exc_info:
            lines.append("".join(traceback.format_exception(*record.exc_info)))
        if record.exc_text:
            lines.append(record.exc_text)
    return "\n".join(lines)


def test_a_refused_token_stops_start_up_without_logging_it(seeded, feedback, caplog, capsys):
    async def connected(fake):
        return True

    caplog.set_level(logging.DEBUG)
    run = run_bot(seeded, feedback, connected, expected_token="another-token", timeout=30)
    assert run.status == 1
    assert run.result is None  # never connected
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("DISCORD_TOKEN" in e for e in errors), errors
    assert TOKEN not in logged(caplog.records)
    out, err = capsys.readouterr()
    assert TOKEN not in out + err
    (login,) = [c for c in run.fake.calls if c.path == "/users/@me"]
    assert not login.authorized  # the fake did see a token: the one it was not expecting


def test_a_gateway_refusal_stops_the_bot_with_a_clear_error(seeded, feedback, caplog):
    async def scenario(fake):
        await fake.close_gateway(4004)  # Discord's "Authentication failed"
        # the bot stops by itself, well before the run's time limit
        return await logged_eventually(caplog, "DISCORD_TOKEN")

    caplog.set_level(logging.DEBUG)
    run = run_bot(seeded, feedback, scenario, timeout=40)
    assert run.result is True
    assert run.status == 1
    assert TOKEN not in logged(caplog.records)


def test_a_failed_request_is_logged_without_the_token(seeded, feedback, caplog):
    async def scenario(fake):
        fake.fail("POST", r"^/channels/\d+/messages$", status=403, times=2)
        asked = await fake.post(MEMBER, f"<@{BOT_ID}> who are the proposed guarantors?")
        await fake.reply_to(asked)
        return await logged_eventually(caplog, "Could not reply")

    caplog.set_level(logging.DEBUG)
    run = run_bot(seeded, feedback, scenario, timeout=40)
    assert run.result is True
    assert run.status == 0  # one failed reply does not stop the bot
    text = logged(caplog.records)
    assert "HTTP 403" in text
    assert TOKEN not in text
    sent = json.dumps([c.body for c in run.fake.calls if c.method != "GATEWAY"])
    assert TOKEN not in sent  # nor in anything sent to the chat


def test_an_unreachable_discord_stops_start_up_with_status_1(seeded, feedback, caplog):
    from bot.config import Settings
    from bot.discordbot.app import serve

    settings = Settings(
        discord_token=TOKEN,
        discord_api_base="http://127.0.0.1:9/api/v10",  # the discard port: nothing listens
        discord_gateway_url="ws://127.0.0.1:9/gateway",
    )
    caplog.set_level(logging.DEBUG)
    status = asyncio.run(asyncio.wait_for(serve(settings, seeded, feedback, announce=print), 30))
    assert status == 1
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("Could not reach Discord" in e for e in errors), errors
    assert TOKEN not in logged(caplog.records)
