"""The Discord commands' helpers, run without a bot: a real archive and settings passed in."""

from __future__ import annotations

import asyncio

from bot.config import Settings
from bot.discordbot import commands as discord_commands


def test_sources_and_remove_work_on_the_archive_they_are_given(sampled):
    listed = asyncio.run(discord_commands._sources(sampled, None))
    titles = [a.title for a in sampled.articles()]
    assert listed.embeds and titles[0][:20] in str(listed.embeds)
    first = sampled.articles()[0]
    removed = asyncio.run(discord_commands._remove(sampled, first.id))
    assert first.id in removed.content and first.id not in {a.id for a in sampled.articles()}


def test_ingest_refuses_a_link_that_is_not_http_before_fetching_anything(archive):
    told = asyncio.run(discord_commands._ingest(archive, Settings(), "ftp://example.com/a"))
    assert "http://" in told.content and not archive.articles()
