"""The Discord bot: slash commands, mentions and buttons call the archive; embeds come back."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import logging
import re
import signal
from collections.abc import Callable

import aiohttp
import discord
from discord import app_commands

from bot import health, redact
from bot.chat.announcements import Announcement, NewStory
from bot.chat.answer_queue import AnswerQueue
from bot.chat.feeds import BackgroundWatcher
from bot.chat.ratelimit import RateLimiter, Verdict
from bot.chat.state import ChatState
from bot.config import Settings
from bot.discordbot.commands import add_commands
from bot.discordbot.delivery import PATIENT, Policy
from bot.discordbot.endpoints import endpoints, intents, invite_url
from bot.discordbot.mentions import answer_mention
from bot.discordbot.sync import HASH_FILE, SyncedHashes, sync_if_changed
from bot.discordbot.ui import APOLOGY, AnswerButton, message_kwargs, respond, tell
from bot.render.embeds import (
    MORE_TEMPLATE,
    QUOTES_SHOWN,
    VOTE_TEMPLATE,
    Message,
    answer_message,
    more_stories_message,
    story_message,
    text_message,
)
from index.archive import Archive
from index.errors import InputError
from index.feedback import asking
from index.feedback.store import FeedbackStore

log = logging.getLogger(__name__)

DEFER_AFTER = 1.5  # seconds to wait for an answer before telling Discord "thinking…"
MAX_SHOWN = 30  # the "More" button stops after this many quotes
STATE_FILE = "discord.sqlite3"  # the answers sent, for follow-ups (bot/chat/state.py)
NEWS_TIMEOUT = 60.0  # seconds the watcher's thread waits for an announcement to be sent
SLOW_DOWN = "You are asking quickly: the limit is {n} per minute. Please wait a moment."


def run(
    settings: Settings,
    archive: Archive,
    feedback: FeedbackStore,
    *,
    sync: bool = False,
    health_port: int | None = None,
) -> int:
    """`python -m bot discord`: run until Ctrl-C or SIGTERM; 0 on a clean stop, else 1."""

    async def main() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, stop.set)
        return await serve(
            settings, archive, feedback, stop=stop, sync=sync, health_port=health_port
        )

    return asyncio.run(main())


async def serve(
    settings: Settings,
    archive: Archive,
    feedback: FeedbackStore,
    *,
    stop: asyncio.Event | None = None,
    announce: Callable[[str], None] = print,
    defer_after: float = DEFER_AFTER,
    sync: bool = False,
    health_port: int | None = None,
    answering: AnswerQueue | None = None,
    delivery: Policy = PATIENT,
) -> int:
    """Connect and answer until `stop` is set (0) or the connection fails for good (1).

    `sync`: overwrite the slash commands even if unchanged; `health_port`: serve GET /healthz
    on 127.0.0.1 there; `answering`: the bounded queue questions are answered from
    (bot/chat/answer_queue.py); `delivery`: the retries of replies (bot/discordbot/delivery.py)."""
    stop = stop or asyncio.Event()
    with (
        redact.installed([settings.discord_token]),
        endpoints(settings.discord_api_base, settings.discord_gateway_url),
    ):
        news = settings.discord_news_channel
        watching = BackgroundWatcher(  # its news go through the bot, once it is built
            settings,
            archive,
            announce=(lambda story: bot.post_news(story)) if news else None,
            where=f"DISCORD_NEWS_CHANNEL {news}",
        )
        bot = NewsBot(
            settings,
            archive,
            feedback,
            watching=watching,
            limiter=RateLimiter(settings.rate_limit_per_minute),
            announce=announce,
            defer_after=defer_after,
            sync=sync,
            answering=answering or AnswerQueue(name="discord-answer"),
            delivery=delivery,
        )
        async with bot:
            with health.serving(bot.health, health_port):
                running = asyncio.create_task(bot.start(settings.discord_token))
                stopping = asyncio.create_task(stop.wait())
                await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
                stopping.cancel()
                if not running.done():
                    await bot.close()
                return _exit_status(await asyncio.gather(running, return_exceptions=True))


def _exit_status(outcome: list) -> int:
    error = outcome[0]
    if not isinstance(error, BaseException):
        return 0
    closed = isinstance(error, discord.ConnectionClosed)
    if isinstance(error, discord.LoginFailure) or (closed and error.code == 4004):
        log.error(
            "Discord refused DISCORD_TOKEN; copy it again from the Developer Portal's Bot page"
        )
    elif isinstance(error, discord.PrivilegedIntentsRequired):
        log.error("Discord asks for a privileged intent, which this bot never requests")
    elif closed:
        log.error("The Discord gateway closed the connection (code %s)", error.code)
    elif isinstance(error, discord.HTTPException):
        log.error("Discord answered HTTP %s during start-up", error.status)
    elif isinstance(error, OSError | aiohttp.ClientError | TimeoutError | discord.GatewayNotFound):
        log.error("Could not reach Discord (DISCORD_API_BASE, DISCORD_GATEWAY_URL): %s", error)
    elif isinstance(error, asyncio.CancelledError):
        return 0
    else:
        log.error("The Discord bot stopped on an unexpected error", exc_info=error)
    return 1


class NewsBot(discord.Client):
    """One Discord connection over one archive; every search runs off the event loop."""

    def __init__(
        self,
        settings: Settings,
        archive: Archive,
        feedback: FeedbackStore,
        *,
        watching: BackgroundWatcher,
        limiter: RateLimiter,
        announce: Callable[[str], None] = print,
        defer_after: float = DEFER_AFTER,
        sync: bool = False,
        answering: AnswerQueue,
        delivery: Policy = PATIENT,
    ):
        # discord.py's own switches for its "voice will NOT be supported" start-up warnings:
        # this bot never joins voice, so they would only puzzle whoever reads the log.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        # Debug events: on_socket_raw_receive, for every gateway message (heartbeat ACKs too),
        # tells the health check when Discord was last heard from.
        super().__init__(
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            enable_debug_events=True,
        )
        self.settings = settings
        self.archive = archive
        self.feedback = feedback
        self.defer_after = defer_after
        self.answering = answering
        self.delivery = delivery
        self.limiter = limiter
        self.tree = app_commands.CommandTree(self)
        self.tree.error(self._command_failed)
        self._announce = announce
        self._force_sync = sync
        self.synced = SyncedHashes(archive.data_dir / HASH_FILE)
        self.state = ChatState(archive.data_dir / STATE_FILE)  # answer -> its 1st question
        self.heard = health.Heard()
        self._news_loop: asyncio.AbstractEventLoop | None = None
        self.watching = watching
        add_commands(self)
        self.health = health.HealthCheck(
            archive, "discord", watcher=self.watching.alive, link=self._link, platform="Discord"
        )

    async def setup_hook(self) -> None:
        self._news_loop = asyncio.get_running_loop()  # where the watcher's thread sends news
        self.watching.start()
        self.add_dynamic_items(AnswerButton)
        self._announce(f"Invite the bot to a server: {invite_url(self.application_id)}")
        guild_ids = self.settings.discord_guild_ids
        for guild_id in guild_ids:
            guild = discord.Object(guild_id)
            self.tree.copy_global_to(guild=guild)
            await self._sync(guild)
        if not guild_ids:
            await self._sync(None)

    async def _sync(self, guild: discord.Object | None) -> None:
        app = self.application_id
        await sync_if_changed(self.tree, self.synced, app, guild, force=self._force_sync)

    async def on_socket_raw_receive(self, _message: str) -> None:
        self.heard.note()

    def _link(self) -> health.Link:
        """Connected (the gateway open and READY), and when it last sent anything."""
        connected = not self.is_closed() and self.is_ready() and self.ws is not None
        return health.Link(connected, self.heard.at)

    async def close(self) -> None:
        await super().close()
        await asyncio.to_thread(self.answering.close)
        await asyncio.to_thread(self.watching.close)
        await asyncio.to_thread(self.state.close)

    def post_news(self, announcement: Announcement) -> None:
        """From the watcher's thread: send an announcement on the bot's loop, and wait for it."""
        if isinstance(announcement, NewStory):
            message = story_message(announcement)
        else:
            message = more_stories_message(announcement)
        if self._news_loop is None or self._news_loop.is_closed() or self.is_closed():
            raise InputError("the bot is not connected to Discord")
        channel = self.get_partial_messageable(self.settings.discord_news_channel)
        sending = asyncio.run_coroutine_threadsafe(
            channel.send(**message_kwargs(message)), self._news_loop
        )
        try:
            sending.result(NEWS_TIMEOUT)
        except (discord.Forbidden, discord.NotFound) as error:
            raise InputError(
                f"DISCORD_NEWS_CHANNEL: Discord answered HTTP {error.status}; check that the "
                "channel exists and that the bot may view it, send messages and embed links there"
            ) from None

    # --- answering ---------------------------------------------------------------------------

    async def answer(
        self,
        question: str,
        context: str | None = None,
        offset: int = 0,
        *,
        asker: int | None = None,
        question_id: str | None = None,
    ) -> Message:
        """Quotes offset+1 .. offset+QUOTES_SHOWN for a question, recorded for the buttons.

        A new question names its `asker` and is logged; "More" names the logged question."""
        limit = offset + QUOTES_SHOWN + 1
        if asker is None:
            found = await self.answering.run(self.archive.ask, question, limit, context)
        else:
            ask = functools.partial(
                asking.ask,
                self.archive,
                self.feedback,
                question,
                platform="discord",
                asker=str(asker),
                limit=limit,
                context=context,
            )
            asked = await self.answering.run(ask)
            found, question_id = asked.answer, asked.question_id
        page = found.quotes[offset : offset + QUOTES_SHOWN]
        more = len(found.quotes) > offset + QUOTES_SHOWN and offset + QUOTES_SHOWN < MAX_SHOWN
        answer_id = None
        if page:
            record = self.feedback.record_answer
            answer_id = await asyncio.to_thread(
                record, "discord", question, page, context, question_id
            )
        shown = dataclasses.replace(found, quotes=page)
        more_from = offset + QUOTES_SHOWN if more else None
        return answer_message(shown, answer_id=answer_id, more_from=more_from)

    def allowed(self, user_id: int) -> Verdict:
        return self.limiter.check(str(user_id))

    def slow_down(self) -> Message:
        return text_message(SLOW_DOWN.format(n=self.limiter.per_minute))

    async def first_question_of(self, channel_id: int, message_id: int) -> str | None:
        """The first question of the conversation one of the bot's answers belongs to."""
        return await asyncio.to_thread(self.state.thread_question, str(channel_id), str(message_id))

    async def remember(self, channel_id: int, message_id: int | None, first_question: str) -> None:
        """Keep an answer's conversation (in the data directory: restarts keep it too)."""
        if message_id is None:
            return
        remember = self.state.remember_thread
        await asyncio.to_thread(remember, str(channel_id), str(message_id), first_question)

    async def ask_command(self, interaction: discord.Interaction, question: str, *, private: bool):
        if self.allowed(interaction.user.id) is not Verdict.ALLOW:
            await tell(interaction, self.slow_down())
            return
        work = self.answer(question, asker=interaction.user.id)
        shown = await respond(
            interaction,
            work,
            ephemeral=private,
            defer_after=self.defer_after,
            action="answer",
            policy=self.delivery,
        )
        if not private:
            await self.remember(interaction.channel_id, shown, question)

    async def on_message(self, message: discord.Message) -> None:
        await answer_mention(self, message)

    # --- buttons and errors ------------------------------------------------------------------

    async def button_clicked(self, interaction: discord.Interaction, custom_id: str) -> None:
        try:
            if vote := re.fullmatch(VOTE_TEMPLATE, custom_id):
                await self._vote(interaction, vote["answer"], 1 if vote["vote"] == "up" else -1)
            elif more := re.fullmatch(MORE_TEMPLATE, custom_id):
                await self._more(interaction, more["answer"], int(more["offset"]))
        except Exception as error:
            await self._command_failed(interaction, error)

    async def _vote(self, interaction: discord.Interaction, answer_id: str, vote: int) -> None:
        user = str(interaction.user.id)
        recorded = await asyncio.to_thread(self.feedback.vote, answer_id, user, vote)
        mark = "👍" if vote > 0 else "👎"
        text = f"Thanks, your {mark} is recorded." if recorded else "That answer is not on record."
        await tell(interaction, text_message(text))

    async def _more(self, interaction: discord.Interaction, answer_id: str, offset: int) -> None:
        if self.allowed(interaction.user.id) is not Verdict.ALLOW:
            await tell(interaction, self.slow_down())
            return
        shown = await asyncio.to_thread(self.feedback.answer, answer_id)
        if shown is None:
            await tell(interaction, text_message("That answer is not on record any more."))
            return
        work = self.answer(shown.question, shown.context, offset, question_id=shown.question_id)
        await respond(
            interaction, work, ephemeral=True, defer_after=self.defer_after, action="show more"
        )

    async def _command_failed(self, interaction: discord.Interaction, error: Exception) -> None:
        what = getattr(interaction.command, "name", None) or "button"
        log.error("Interaction %s failed", what, exc_info=error)
        if not interaction.response.is_done():
            with contextlib.suppress(discord.HTTPException):
                await tell(interaction, text_message(APOLOGY))
