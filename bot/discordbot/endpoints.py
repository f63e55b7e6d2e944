"""Where discord.py connects (DISCORD_API_BASE, DISCORD_GATEWAY_URL), its intents and invite."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

# What the invite asks for: see every channel the bot is let into, answer there (also in
# threads), show embeds, and reply (a reply needs Read Message History). Nothing else.
PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    read_message_history=True,
)
SCOPES = ("bot", "applications.commands")


def intents() -> discord.Intents:
    """Guilds (servers, channels, roles) and guild messages; no privileged intent.

    Without Message Content, Discord still sends the text of messages that mention the bot,
    which is all the bot reads; slash commands and buttons need no intent at all.
    """
    return discord.Intents(guilds=True, guild_messages=True)


def invite_url(application_id: int) -> str:
    return discord.utils.oauth_url(application_id, permissions=PERMISSIONS, scopes=SCOPES)


@contextmanager
def endpoints(api_base: str, gateway_url: str) -> Iterator[None]:
    """discord.py pointed at these REST and gateway URLs while the block runs.

    discord.py 2.7 has no per-client option for either: every REST call, interaction
    responses included, is built from the class attribute `Route.BASE` (which the library's
    own `_set_api_version` sets), and `Client.connect` opens
    `DiscordWebSocket.DEFAULT_GATEWAY` (it never asks `/gateway/bot`). Both are set here and
    restored afterwards, so one process runs one bot at a time.
    """
    saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = api_base.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved
