"""The slash commands: /ask, /sources and /help for everyone; /ingest, /remove and the /feeds
group (list, add, remove) for moderators."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import discord
from discord import app_commands

from bot.discordbot.ui import respond, tell
from bot.render.discord_text import escape
from bot.render.embeds import (
    Message,
    clip_escaped,
    help_message,
    ingest_message,
    removed_message,
    sources_message,
    text_message,
)
from bot.render.feeds import feeds_text
from bot.render.help import ask_option_description
from index.ingest.sources import ingest

if TYPE_CHECKING:
    from bot.chat.feeds import BackgroundWatcher
    from bot.config import Settings
    from bot.discordbot.app import NewsBot
    from index.archive import Archive

log = logging.getLogger(__name__)


def add_commands(bot: NewsBot) -> None:
    """Register the commands on the bot's tree; `bot.setup_hook` syncs them."""
    editor_role = bot.settings.discord_editor_role

    @app_commands.command(name="ask", description="Answer a question with cited quotes")
    @app_commands.describe(
        question=ask_option_description(),
        private="Show the answer only to you (default: no)",
    )
    async def ask(interaction: discord.Interaction, question: str, private: bool = False):
        await bot.ask_command(interaction, question, private=private)

    @app_commands.command(name="sources", description="The articles the bot can quote")
    @app_commands.describe(query="Only articles whose title, author, outlet, id or link has this")
    async def sources(interaction: discord.Interaction, query: str | None = None):
        await respond(
            interaction,
            _sources(bot.archive, query),
            ephemeral=True,
            defer_after=bot.defer_after,
            action="list the sources",
        )

    @app_commands.command(
        name="help", description="How to ask: filters, and questions about an article"
    )
    async def help_command(interaction: discord.Interaction):
        await tell(interaction, help_message())

    async def moderated(interaction: discord.Interaction, what: str, action: str, work, wait):
        """A moderators' command: refused to anyone else, logged, answered to the caller only."""
        if await _refused(interaction, editor_role, what):
            return
        log.info("%s by user %s in guild %s", action, interaction.user.id, interaction.guild_id)
        await respond(interaction, work(), ephemeral=True, defer_after=wait, action=action)

    @app_commands.command(name="ingest", description="Add an article to the archive by its link")
    @app_commands.describe(url="The article's http:// or https:// link")
    @app_commands.guild_only()
    async def ingest_command(interaction: discord.Interaction, url: str):
        await moderated(
            interaction,
            "add articles",
            "ingest a URL",
            lambda: _ingest(bot.archive, bot.settings, url),
            0,
        )

    @app_commands.command(name="remove", description="Remove an article from the archive")
    @app_commands.describe(article="The article's id (see /sources) or its link")
    @app_commands.guild_only()
    async def remove(interaction: discord.Interaction, article: str):
        work = lambda: _remove(bot.archive, article)  # noqa: E731
        await moderated(interaction, "remove articles", "remove", work, bot.defer_after)

    feeds = app_commands.Group(
        name="feeds", description="The watched feeds: list, add or remove", guild_only=True
    )

    async def manage_feeds(interaction: discord.Interaction, order: str) -> None:
        work = lambda: _feeds(bot.watching, order, str(interaction.user.id))  # noqa: E731
        await moderated(interaction, "manage the watched feeds", "feeds", work, bot.defer_after)

    @feeds.command(name="list", description="The watched feeds and how their last polls went")
    async def feeds_list(interaction: discord.Interaction):
        await manage_feeds(interaction, "list")

    @feeds.command(name="add", description="Start watching an RSS or Atom feed")
    @app_commands.describe(url="The feed's http:// or https:// link")
    async def feeds_add(interaction: discord.Interaction, url: str):
        await manage_feeds(interaction, f"add {url.strip()}")

    @feeds.command(name="remove", description="Stop watching a feed")
    @app_commands.describe(url="The watched feed's link, as /feeds list shows it")
    async def feeds_remove(interaction: discord.Interaction, url: str):
        await manage_feeds(interaction, f"remove {url.strip()}")

    for command in (ingest_command, remove, feeds):
        if not editor_role:  # hidden from members in the menu; checked when run regardless
            command.default_permissions = discord.Permissions(manage_guild=True)
    for command in (ask, sources, help_command, ingest_command, remove, feeds):
        bot.tree.add_command(command)


def is_moderator(interaction: discord.Interaction, editor_role: str) -> bool:
    """Manage Server (or Administrator) in this server, or the DISCORD_EDITOR_ROLE role."""
    if interaction.guild_id is None:
        return False
    permissions = interaction.permissions
    if permissions.administrator or permissions.manage_guild:
        return True
    wanted = editor_role.strip().casefold()
    roles = getattr(interaction.user, "roles", ())
    return bool(wanted) and any(wanted in (r.name.casefold(), str(r.id)) for r in roles)


async def _refused(interaction: discord.Interaction, editor_role: str, what: str) -> bool:
    if is_moderator(interaction, editor_role):
        return False
    log.info("Refused %s to user %s: not a moderator", what, interaction.user.id)
    who = "members with Manage Server"
    if editor_role:
        who += f" or the “{clip_escaped(editor_role, 100)}” role"
    await tell(interaction, text_message(f"Only {who} can {what}. Nothing was changed."))
    return True


async def _sources(archive: Archive, query: str | None) -> Message:
    articles = await asyncio.to_thread(archive.articles)
    if query and query.strip():
        wanted = query.strip().casefold()
        articles = [a for a in articles if wanted in _searchable(a)]
    return sources_message(articles, query.strip() if query else None)


def _searchable(article) -> str:
    fields = (article.id, article.title, article.author, article.source, article.url)
    return " ".join(f for f in fields if f).casefold()


async def _ingest(archive: Archive, settings: Settings, url: str) -> Message:
    url = url.strip()
    if urlsplit(url).scheme.lower() not in ("http", "https") or "://" not in url:
        return text_message("Give the article's link, starting with http:// or https://.")
    report = await asyncio.to_thread(
        ingest, archive, [url], fetcher=settings.fetcher(), max_bytes=settings.max_article_bytes
    )
    return ingest_message(report.added, report.updated, report.failed)


async def _feeds(watching: BackgroundWatcher, order: str, user: str) -> Message:
    """`list`, `add URL` or `remove URL`, as bot/chat/feeds.py reads them for Slack too."""
    reply = await asyncio.to_thread(watching.command, order, user)
    return text_message(feeds_text(reply, escape))


async def _remove(archive: Archive, article: str) -> Message:
    removed = await asyncio.to_thread(archive.remove, article.strip())
    return removed_message(removed)
