"""Starting the Slack bot: tokens checked with errors that name the setting, and clean stops."""

from __future__ import annotations

import re
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.error import URLError
from urllib.parse import urlsplit

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config import ConfigError


def app_token_refused(error: SlackApiError) -> ConfigError:
    return ConfigError(
        f"SLACK_APP_TOKEN was refused by Slack ({_code(error)}): create an app-level token with "
        "the connections:write scope on the app's Basic Information page"
    )


def check_bot_token(client: WebClient, api_url: str) -> dict:
    """auth.test, with failures told in words that name the setting and never hold its value."""
    where = _without_credentials(api_url)
    try:
        return client.auth_test().data  # type: ignore[return-value]
    except SlackApiError as error:
        if error.response.status_code != 200:
            raise ConfigError(
                f"SLACK_API_URL ({where}) answered HTTP {error.response.status_code}: "
                "it should be the Web API's base URL, https://slack.com/api/"
            ) from None
        raise ConfigError(
            f"SLACK_BOT_TOKEN was refused by Slack ({_code(error)}): copy the Bot User OAuth "
            "Token from the app's OAuth & Permissions page, and install the app if it is not"
        ) from None
    except (URLError, OSError) as error:
        reason = getattr(error, "reason", None) or error
        raise ConfigError(f"SLACK_API_URL ({where}) could not be reached: {reason}") from None


def _code(error: SlackApiError) -> str:
    code = str(error.response.get("error") or "")
    return code if re.fullmatch(r"[a-z_]{1,64}", code) else "an unexpected answer"


def _without_credentials(url: str) -> str:
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.netloc.rpartition("@")[2]
        return parts._replace(netloc=host).geturl()
    return url


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C or SIGTERM: stop taking requests and finish the answers in progress; a second
    signal acts as usual."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = (signal.SIGINT, signal.SIGTERM)

    def on_signal(signum, frame):
        print("Stopping: finishing the answers in progress…", file=sys.stderr)
        for name, handler in previous.items():
            signal.signal(name, handler)
        stop.set()

    previous = {name: signal.signal(name, on_signal) for name in names}
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(name, handler)
