"""Getting a message into Discord when Discord falters: retries with back-off, never twice.

discord.py 2.7 itself waits out 429s (as Discord's `retry_after` asks) and retries a 500, 502,
504 or 524 a few times inside one call; a 503, a request that hangs (its session allows five
minutes) or a dropped connection reach the caller. Here each try is bounded by a timeout and a
failed one is made again after a pause, within about a minute. A channel message carries one
`nonce` for all its tries and discord.py sends `enforce_nonce: true` with it, so Discord itself
returns the message already made instead of making a second. An interaction is answered once
by Discord's rules: a try that finds it "already acknowledged" (code 40060) means an earlier
try got through."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import TypeVar

import aiohttp
import discord

from bot.chat.delivery import Policy, Trouble

log = logging.getLogger(__name__)
T = TypeVar("T")

ALREADY_ACKNOWLEDGED = 40060  # Discord's code: this interaction was answered before


PATIENT = Policy()  # the bot's own


class DiscordTrouble(Trouble):
    """Discord did not take a message, after every try; `reason` says how (no secrets)."""


def fault(error: BaseException) -> str | None:
    """How Discord (or the way to it) failed, or None when the error is not Discord's trouble."""
    if isinstance(error, discord.RateLimited):
        return "rate limited"
    if isinstance(error, discord.HTTPException):
        if error.status >= 500:
            return f"HTTP {error.status}"
        if error.status == 429:
            return "rate limited"
        return None
    if isinstance(error, TimeoutError):
        return "timed out"
    if isinstance(error, aiohttp.ClientError | OSError):
        return f"connection failed ({type(error).__name__})"
    return None


def new_nonce() -> str:
    """A message's nonce: Discord drops a second message with it for a few minutes."""
    return str(secrets.randbits(63))


async def deliver(send: Callable[[], Awaitable[T]], policy: Policy = PATIENT) -> T:
    """`send()` until it works; DiscordTrouble when Discord failed every try in time."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    reason, tries = "", 0
    for delay in (0.0, *policy.delays):
        if delay:
            if loop.time() + delay - started > policy.deadline:
                break
            await asyncio.sleep(delay)
        tries += 1
        try:
            return await asyncio.wait_for(send(), policy.timeout)
        except Exception as error:
            reason = fault(error) or ""
            if not reason:
                raise
            log.info("Sending to Discord failed (%s), try %d", reason, tries)
    raise DiscordTrouble(reason, tries)


def already_acknowledged(error: BaseException) -> bool:
    return isinstance(error, discord.HTTPException) and error.code == ALREADY_ACKNOWLEDGED
