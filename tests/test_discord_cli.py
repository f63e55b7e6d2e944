"""`python -m bot discord`, the real command, against a fake Discord on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import pytest

from bot.config import Settings
from index.archive import Archive
from index.ingest.sources import ingest
from tests.conftest import ROOT
from tests.fake_discord import APP_ID, BOT_ID, MEMBER, TOKEN, FakeDiscord

needs_discord_settings = pytest.mark.skipif(
    not hasattr(Settings, "require_discord"),
    reason="bot/config.py does not read the DISCORD_* settings yet (no Settings.require_discord)",
)


def plain(markdown: str) -> str:
    return markdown.replace("**", "").replace("\\", "")


@needs_discord_settings
def test_python_m_bot_discord_answers_a_mention_and_stops_on_sigterm(tmp_path, story_path):
    data = tmp_path / "data"
    with Archive(data) as archive:
        ingest(archive, [str(story_path)])

    async def main():
        fake = await FakeDiscord(TOKEN).start()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "BOT_"))}
        env |= {
            "DISCORD_TOKEN": TOKEN,
            "DISCORD_API_BASE": fake.api_base,
            "DISCORD_GATEWAY_URL": fake.gateway_url,
            "LOG_LEVEL": "INFO",
            "PYTHONPATH": str(ROOT),
        }
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "discord", "--data", str(data),
            cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            await fake.wait_ready(timeout=60)
            asked = await fake.post(MEMBER, f"<@{BOT_ID}> who are the proposed guarantors?")
            reply = await fake.reply_to(asked)
            bot.send_signal(signal.SIGTERM)
            out, err = await asyncio.wait_for(bot.communicate(), 20)
        finally:
            if bot.returncode is None:
                bot.kill()
                await bot.wait()
            await fake.close()
        return reply, bot.returncode, out.decode(), err.decode()

    reply, status, out, err = asyncio.run(asyncio.wait_for(main(), 120))
    assert reply.body["allowed_mentions"] == {"parse": []}
    described = [plain(e["description"]) for e in reply.body["embeds"]]
    quoted = next(d for d in described if "group of guarantors" in d)
    assert "Mara Okonjo" in quoted and "North Sound Report" in quoted
    assert status == 0, err
    assert f"client_id={APP_ID}" in out and "scope=bot+applications.commands" in out
    assert TOKEN not in out + err


@needs_discord_settings
def test_a_missing_token_stops_start_up_naming_the_setting(cli, monkeypatch):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    status, _, err = cli("discord")
    assert status != 0
    assert "DISCORD_TOKEN" in err
