"""Slash commands are synced only when their definitions change: a hash of each sync's payload
is kept in the data directory (`discord-commands.sha256`); `discord --sync` syncs regardless.

Discord rate-limits bots that overwrite their commands at every start, and a bot restarted
on failure would do it again and again."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

import discord
from discord import app_commands

log = logging.getLogger(__name__)
HASH_FILE = "discord-commands.sha256"


def payload_hash(tree: app_commands.CommandTree, guild: discord.abc.Snowflake | None) -> str:
    """The SHA-256 of the JSON that `tree.sync(guild=guild)` sends, keys sorted."""
    payload = [command.to_dict(tree) for command in tree.get_commands(guild=guild)]
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SyncedHashes:
    """`<sha256>  <application id>/<server id or "global">` per line, one line per target."""

    def __init__(self, path: Path):
        self.path = path

    def read(self) -> dict[str, str]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as error:
            log.warning("Cannot read %s (%s): the commands will be synced", self.path, error)
            return {}
        pairs = (line.split(maxsplit=1) for line in lines if line.strip())
        return {target: digest for digest, target in (p for p in pairs if len(p) == 2)}

    def get(self, target: str) -> str | None:
        return self.read().get(target)

    def put(self, target: str, digest: str) -> None:
        """Record a target's hash after a sync; written whole, then moved into place."""
        held = self.read() | {target: digest}
        text = "".join(f"{d}  {t}\n" for t, d in sorted(held.items()))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        scratch = self.path.with_name(self.path.name + ".tmp")
        scratch.write_text(text, encoding="utf-8")
        os.replace(scratch, self.path)


async def sync_if_changed(
    tree: app_commands.CommandTree,
    hashes: SyncedHashes,
    application_id: int,
    guild: discord.abc.Snowflake | None,
    *,
    force: bool = False,
) -> bool:
    """Sync the commands of one target (a server, or None: global) unless the hash of what
    would be sent matches the last sync's; True if they were synced."""
    where = f"server {guild.id}" if guild else "all servers (may take up to an hour)"
    target = f"{application_id}/{guild.id if guild else 'global'}"
    digest = payload_hash(tree, guild)
    if not force and hashes.get(target) == digest:
        log.info("Slash commands for %s unchanged since the last sync: not synced", where)
        return False
    try:
        synced = await tree.sync(guild=guild)
    except discord.Forbidden:
        log.error("Could not sync slash commands to %s: invite the bot with the link", where)
        return False
    except discord.HTTPException as error:
        log.error("Could not sync slash commands to %s: HTTP %s", where, error.status)
        return False
    hashes.put(target, digest)
    log.info("Synced %d slash commands to %s", len(synced), where)
    return True
