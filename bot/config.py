"""Settings.from_env(): every setting, read once at start-up and validated with clear errors."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from index.errors import InputError

if TYPE_CHECKING:
    from index.fetch import Fetcher


class ConfigError(InputError):
    """A setting that is missing or malformed; the message names the setting, never its value."""


@dataclass(frozen=True)
class Settings:
    """All settings, from the environment and `.env` (the CLI loads it) or given directly."""

    data_dir: Path = Path("data")
    max_article_bytes: int = 5_000_000
    max_question_chars: int = 1000
    fetch_timeout: float = 10.0
    allow_private_urls: bool = False
    log_level: str = "WARNING"
    log_format: str = "text"  # "text" or "json" (one object a line); bot/logs.py
    rate_limit_per_minute: int = 10  # questions per user per minute in chat; 0: no limit
    question_log_days: int = 90  # days the questions asked are kept; 0: none is logged
    # Watched feeds (`watch`, and the chat bots in the background)
    feeds: tuple[str, ...] = ()
    feeds_every_minutes: float = 15.0
    fetch_full_text: bool = False
    # Announcing newly ingested stories (bot/chat/announce.py); no channel: no announcements
    announce_max_per_hour: int = 10
    # Slack (secrets are kept out of repr so they never reach a log line)
    slack_bot_token: str = field(default="", repr=False)
    slack_app_token: str = field(default="", repr=False)
    slack_signing_secret: str = field(default="", repr=False)
    slack_api_url: str = "https://slack.com/api/"
    slack_ask_ephemeral: bool = False
    slack_editors: frozenset[str] = frozenset()
    slack_news_channel: str = ""  # a channel ID (C…, G…)
    # Discord
    discord_token: str = field(default="", repr=False)
    discord_api_base: str = "https://discord.com/api/v10"
    discord_gateway_url: str = "wss://gateway.discord.gg"
    discord_guild_ids: tuple[int, ...] = ()
    discord_editor_role: str = ""
    discord_news_channel: int | None = None  # a channel ID

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        return cls(
            data_dir=Path(env.get("BOT_DATA_DIR") or "data"),
            max_article_bytes=_int(env, "MAX_ARTICLE_BYTES", cls.max_article_bytes, minimum=1),
            max_question_chars=_int(env, "MAX_QUESTION_CHARS", cls.max_question_chars, minimum=1),
            fetch_timeout=_float(env, "FETCH_TIMEOUT", cls.fetch_timeout),
            allow_private_urls=_bool(env, "ALLOW_PRIVATE_URLS", cls.allow_private_urls),
            log_level=_choice(
                env, "LOG_LEVEL", cls.log_level, ("DEBUG", "INFO", "WARNING", "ERROR")
            ),
            log_format=_choice(env, "LOG_FORMAT", "TEXT", ("TEXT", "JSON")).lower(),
            rate_limit_per_minute=_int(env, "RATE_LIMIT_PER_MINUTE", cls.rate_limit_per_minute),
            question_log_days=_int(env, "QUESTION_LOG_DAYS", cls.question_log_days),
            feeds=tuple(_feeds(env, "FEEDS")),
            feeds_every_minutes=_minutes(env, "FEEDS_EVERY", cls.feeds_every_minutes),
            fetch_full_text=_bool(env, "FETCH_FULL_TEXT", cls.fetch_full_text),
            announce_max_per_hour=_int(
                env, "ANNOUNCE_MAX_PER_HOUR", cls.announce_max_per_hour, minimum=1
            ),
            slack_bot_token=env.get("SLACK_BOT_TOKEN", "").strip(),
            slack_app_token=env.get("SLACK_APP_TOKEN", "").strip(),
            slack_signing_secret=env.get("SLACK_SIGNING_SECRET", "").strip(),
            slack_api_url=_url(env, "SLACK_API_URL", cls.slack_api_url, ("http", "https")),
            slack_ask_ephemeral=_bool(env, "SLACK_ASK_EPHEMERAL", cls.slack_ask_ephemeral),
            slack_editors=frozenset(_list(env, "SLACK_EDITORS")),
            slack_news_channel=_slack_channel(env, "SLACK_NEWS_CHANNEL"),
            discord_token=env.get("DISCORD_TOKEN", "").strip(),
            discord_api_base=_url(env, "DISCORD_API_BASE", cls.discord_api_base, ("http", "https")),
            discord_gateway_url=_url(
                env, "DISCORD_GATEWAY_URL", cls.discord_gateway_url, ("ws", "wss")
            ),
            discord_guild_ids=tuple(_ids(env, "DISCORD_GUILD_IDS")),
            discord_editor_role=env.get("DISCORD_EDITOR_ROLE", "").strip(),
            discord_news_channel=_discord_channel(env, "DISCORD_NEWS_CHANNEL"),
        )

    def secrets(self) -> list[str]:
        """The values that must never reach a log line, an error message or a chat reply."""
        return [
            s
            for s in (
                self.slack_bot_token,
                self.slack_app_token,
                self.slack_signing_secret,
                self.discord_token,
            )
            if s
        ]

    def fetcher(self) -> Fetcher:
        """The one way every surface fetches links: these timeouts, caps and addresses."""
        from index.fetch import Fetcher

        return Fetcher(
            timeout=self.fetch_timeout,
            max_bytes=self.max_article_bytes,
            allow_private=self.allow_private_urls,
        )

    def require_slack(self, *, http: bool) -> None:
        """Stop start-up with a message naming the first missing or malformed Slack setting."""
        _token(self.slack_bot_token, "SLACK_BOT_TOKEN", "xoxb-")
        if http:
            if not self.slack_signing_secret:
                raise ConfigError("SLACK_SIGNING_SECRET is not set; HTTP mode needs it")
        else:
            _token(self.slack_app_token, "SLACK_APP_TOKEN", "xapp-")

    def require_discord(self) -> None:
        """Stop start-up of the Discord bot unless its token is set and well formed."""
        if not self.discord_token:
            raise ConfigError(
                "DISCORD_TOKEN is not set; copy the bot token from the Developer Portal's Bot page"
            )
        if any(c.isspace() for c in self.discord_token):
            raise ConfigError("DISCORD_TOKEN is malformed; it should be one word, without spaces")


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name, "").strip().replace("_", "").replace(",", "")
    if not raw:
        return default
    if not _digits(raw) or int(raw) < minimum:
        raise ConfigError(f"{name} must be a whole number of at least {minimum}")
    return int(raw)


def _digits(raw: str) -> bool:
    """ASCII digits only ("²" is a digit to str.isdigit), and few enough to be a sane number."""
    return raw.isascii() and raw.isdigit() and len(raw) <= 20


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    return _number(env, name, default, lambda v: 0 < v < math.inf, "a positive number of seconds")


def _number(env, name: str, default: float, good: Callable[[float], bool], what: str) -> float:
    """The setting as a number `good` accepts, or its default when unset; else an error."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not good(value):
        raise ConfigError(f"{name} must be {what}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false")


def _choice(env: Mapping[str, str], name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = env.get(name, "").strip().upper()
    if not raw:
        return default
    if raw not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}")
    return raw


def _token(value: str, name: str, prefix: str) -> None:
    if not value:
        raise ConfigError(f"{name} is not set; it should be a token starting with {prefix}")
    if not value.startswith(prefix) or any(c.isspace() for c in value):
        raise ConfigError(f"{name} is malformed; it should be a token starting with {prefix}")


def _url(env: Mapping[str, str], name: str, default: str, schemes: tuple[str, ...]) -> str:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    scheme, _, rest = raw.partition("://")
    if scheme.lower() not in schemes or not rest:
        raise ConfigError(
            f"{name} must be a URL starting with {' or '.join(s + '://' for s in schemes)}"
        )
    return raw


def _list(env: Mapping[str, str], name: str) -> list[str]:
    return [part.strip() for part in env.get(name, "").replace(";", ",").split(",") if part.strip()]


def _feeds(env: Mapping[str, str], name: str) -> list[str]:
    values = [v for v in env.get(name, "").replace(";", ",").replace("\n", ",").split(",")]
    values = [v.strip() for v in values if v.strip()]
    if not all(v.lower().startswith(("http://", "https://")) for v in values):
        raise ConfigError(f"{name} must be a comma-separated list of http:// or https:// URLs")
    return list(dict.fromkeys(values))


def _minutes(env: Mapping[str, str], name: str, default: float) -> float:
    week = 7 * 24 * 60
    return _number(
        env, name, default, lambda v: 1 <= v <= week, "a number of minutes from 1 to 10080 (a week)"
    )


def _ids(env: Mapping[str, str], name: str) -> list[int]:
    values = _list(env, name)
    if not all(_digits(v) for v in values):
        raise ConfigError(f"{name} must be a comma-separated list of numeric IDs")
    return [int(v) for v in values]


def _slack_channel(env: Mapping[str, str], name: str) -> str:
    """A Slack channel ID: C… (public) or G… (private), as a channel's details show it."""
    raw = env.get(name, "").strip()
    if raw and not re.fullmatch(r"[CG][A-Z0-9]{6,20}", raw):
        raise ConfigError(
            f"{name} must be a Slack channel ID such as C0123456789 (the channel's name → "
            "About → Channel ID), not a channel name"
        )
    return raw


def _discord_channel(env: Mapping[str, str], name: str) -> int | None:
    """A Discord channel ID: a number of 17 to 20 digits (right-click the channel → Copy ID)."""
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if not (_digits(raw) and 17 <= len(raw) <= 20):
        raise ConfigError(
            f"{name} must be a Discord channel ID, a number of 17 to 20 digits "
            "(Developer Mode on, right-click the channel → Copy Channel ID)"
        )
    return int(raw)
