"""Rendered messages -> discord.py calls: embeds, buttons, no mentions, timely replies."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable

import discord

from bot.chat.answer_queue import BUSY, Busy
from bot.discordbot.delivery import PATIENT, DiscordTrouble, Policy, already_acknowledged, deliver
from bot.render.embeds import Button, Message, escape, text_message
from index.errors import InputError

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions(everyone=False, users=False, roles=False, replied_user=False)
APOLOGY = "Sorry, something went wrong on our side. It has been logged; please try again later."
DISCORD_TROUBLE = (
    "Discord is having trouble right now, so your answer could not be delivered. "
    "Nothing is wrong with your question: please ask again in a few minutes."
)
BUTTON_TEMPLATE = r"newsbot:(?:vote|more):[0-9a-z:]{1,80}"
_STYLES = {"primary": discord.ButtonStyle.primary, "secondary": discord.ButtonStyle.secondary}


class AnswerButton(discord.ui.DynamicItem[discord.ui.Button], template=BUTTON_TEMPLATE):
    """A vote or "More" button; its custom id carries all it needs, so it outlives restarts."""

    def __init__(self, button: discord.ui.Button):
        super().__init__(button)

    @classmethod
    async def from_custom_id(cls, interaction, item, match) -> AnswerButton:
        return cls(item)

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.client.button_clicked(interaction, self.custom_id)


def message_kwargs(message: Message) -> dict:
    """Keyword arguments for send, reply, send_message and edit_original_response."""
    kwargs = {
        "content": message.content or None,
        "embeds": [discord.Embed.from_dict(embed) for embed in message.embeds],
        "allowed_mentions": NO_MENTIONS,
    }
    if message.buttons:
        kwargs["view"] = _view(message.buttons)
    return kwargs


def _view(buttons: tuple[Button, ...]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for button in buttons:
        item = discord.ui.Button(
            custom_id=button.custom_id,
            label=button.label,
            emoji=button.emoji,
            style=_STYLES.get(button.style, discord.ButtonStyle.secondary),
        )
        view.add_item(AnswerButton(item))
    return view


async def safely(work: Awaitable[Message], action: str) -> Message:
    """The work's message; an InputError's own words; else an apology, the error logged."""
    try:
        return await work
    except InputError as error:
        return text_message(escape(str(error)))
    except Busy:
        log.warning("Busy: a question was turned away (%s)", action)
        return text_message(BUSY)
    except Exception:
        log.exception("Failed to %s", action)
        return text_message(APOLOGY)


async def respond(
    interaction: discord.Interaction,
    work: Awaitable[Message],
    *,
    ephemeral: bool,
    defer_after: float,
    action: str,
    policy: Policy = PATIENT,
) -> int | None:
    """Answer an interaction with the work's message, deferring first if it is slow.

    Discord drops an interaction not answered within 3 seconds: if the work is not done after
    `defer_after` seconds, Discord is told to show "thinking…" and the message replaces it.
    Each step is retried when Discord falters (bot/discordbot/delivery.py); if it fails for good
    that is logged once. Returns the id of the message shown, when Discord says it.
    """
    task = asyncio.ensure_future(safely(work, action))
    try:
        try:
            message = await asyncio.wait_for(asyncio.shield(task), max(defer_after, 0))
        except TimeoutError:
            message = None
        if message is not None:
            kwargs = message_kwargs(message)
            response = interaction.response
            sent = await _once(lambda: response.send_message(ephemeral=ephemeral, **kwargs), policy)
            return sent and sent.message_id
        await _once(lambda: interaction.response.defer(ephemeral=ephemeral, thinking=True), policy)
        kwargs = message_kwargs(await task)
        edited = await deliver(lambda: interaction.edit_original_response(**kwargs), policy)
        return edited.id
    except DiscordTrouble as trouble:
        log.error(
            "Discord failed while answering an interaction (%s): %s after %d tries; "
            "nothing was delivered",
            action,
            trouble.reason,
            trouble.tries,
        )
        return None
    finally:
        if not task.done():
            task.cancel()


async def _once(respond_to, policy: Policy):
    """An interaction response, retried; None when a try finds that an earlier one (whose
    answer was lost) got through: Discord takes one response per interaction."""

    async def attempt():
        try:
            return await respond_to()
        except discord.HTTPException as error:
            if already_acknowledged(error):
                log.info("An interaction response had got through after all")
                return None
            raise

    return await deliver(attempt, policy)


async def tell(interaction: discord.Interaction, message: Message) -> None:
    """A private reply to an interaction (refusals, notices, confirmations)."""
    await interaction.response.send_message(ephemeral=True, **message_kwargs(message))
