"""Messages that mention the bot: answered as replies; a reply to an answer is a follow-up."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING

import discord

from bot.chat.ratelimit import Verdict
from bot.discordbot.delivery import PATIENT, DiscordTrouble, Policy, deliver, new_nonce
from bot.discordbot.ui import APOLOGY, DISCORD_TROUBLE, message_kwargs, safely
from bot.render.embeds import VOTE_TEMPLATE, Message, help_message, text_message

if TYPE_CHECKING:
    from bot.discordbot.app import NewsBot

log = logging.getLogger(__name__)


async def answer_mention(bot: NewsBot, message: discord.Message) -> None:
    """Answer a message in a server that mentions the bot; ignore every other message."""
    if message.author.bot or message.webhook_id or bot.user is None:
        return
    if message.guild is None or not addressed(message, bot.user.id):
        return
    try:
        await _answer(bot, message)
    except Exception:
        log.exception("Failed to answer a mention in channel %s", message.channel.id)
        await reply(message, text_message(APOLOGY), quiet=True, policy=bot.delivery)


def addressed(message: discord.Message, bot_id: int) -> bool:
    """Mentioned by name (or by its own role): the only messages whose text Discord sends."""
    if any(user.id == bot_id for user in message.mentions):
        return True
    return any(role.tags and role.tags.bot_id == bot_id for role in message.role_mentions)


async def _answer(bot: NewsBot, message: discord.Message) -> None:
    question = question_text(message, bot.user.id)
    if not question:
        await reply(message, help_message(), policy=bot.delivery)
        return
    verdict = bot.allowed(message.author.id)
    if verdict is Verdict.NOTIFY:
        await reply(message, bot.slow_down(), policy=bot.delivery)
    if verdict is not Verdict.ALLOW:
        return
    context = await first_question(bot, message)
    answer = await safely(
        bot.answer(question, context, asker=message.author.id), "answer a mention"
    )
    sent = await reply(message, answer, policy=bot.delivery)
    await bot.remember(message.channel.id, sent and sent.id, context or question)


def question_text(message: discord.Message, bot_id: int) -> str:
    """The message without the bot's mention; other mentions as readable names."""
    text = message.content
    names = {user.id: user.display_name for user in message.mentions}
    for role in message.role_mentions:
        text = text.replace(role.mention, "" if role.is_bot_managed() else f"@{role.name}")

    def name(match: re.Match) -> str:
        user_id = int(match.group(1))
        return "" if user_id == bot_id else f"@{names.get(user_id, 'someone')}"

    return re.sub(r"<@!?(\d+)>", name, text).strip()


async def first_question(bot: NewsBot, message: discord.Message) -> str | None:
    """For a reply to one of the bot's answers: the question that began the conversation.

    The bot keeps the answers it sent in the data directory (restarts keep them); for an
    answer sent before it kept them, the vote button names its record in the feedback store,
    which holds the question and its context.
    """
    reference = message.reference
    if reference is None or reference.message_id is None:
        return None
    channel_id = reference.channel_id or message.channel.id
    remembered = await bot.first_question_of(channel_id, reference.message_id)
    if remembered:
        return remembered
    replied = reference.resolved
    if not isinstance(replied, discord.Message) or replied.author.id != bot.user.id:
        return None
    for row in replied.components:
        for child in getattr(row, "children", ()):
            found = re.fullmatch(VOTE_TEMPLATE, getattr(child, "custom_id", None) or "")
            if found:
                shown = await asyncio.to_thread(bot.feedback.answer, found["answer"])
                return shown and (shown.context or shown.question)
    return None


async def reply(
    message: discord.Message, answer: Message, *, quiet: bool = False, policy: Policy = PATIENT
) -> discord.Message | None:
    """Send `answer` as a reply (pinging no one); None if Discord refused it.

    Every try carries the same nonce (with enforce_nonce), so Discord never shows it twice;
    when Discord fails every try, that is logged once and a short notice tried once."""
    reference = message.to_reference(fail_if_not_exists=False)
    nonce, kwargs = new_nonce(), message_kwargs(answer)
    channel = message.channel
    try:
        return await deliver(
            lambda: channel.send(reference=reference, nonce=nonce, **kwargs), policy
        )
    except DiscordTrouble as trouble:
        if quiet:
            return None
        log.error(
            "Discord failed while replying in channel %s: %s after %d tries; nothing was delivered",
            channel.id,
            trouble.reason,
            trouble.tries,
        )
        notice = message_kwargs(text_message(DISCORD_TROUBLE))
        try:  # one try, no retry: Discord is failing
            sending = channel.send(reference=reference, nonce=new_nonce(), **notice)
            await asyncio.wait_for(sending, policy.timeout)
        except Exception as again:
            log.debug("The notice of Discord's trouble did not get through either: %s", again)
        return None
    except discord.HTTPException as error:
        if not quiet:
            log.error("Could not reply in channel %s: HTTP %s", message.channel.id, error.status)
        return None
