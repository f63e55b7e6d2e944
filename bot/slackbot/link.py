"""Keeping the Socket Mode connection: a reconnect Slack refused is tried again, with back-off.

slack_sdk's built-in client reconnects by itself after a closed websocket and after Slack's
`disconnect` message. When the new connection is refused (apps.connections.open failing), it
leaves the dead one in place and notices only after five failed pings, about a minute later.
This supervisor notices a connection that stays down (or hears the refusal through the
client's error listeners) and asks again, after 1, 2, 4 … up to 30 seconds."""

from __future__ import annotations

import logging
import threading
import time
from urllib.error import URLError

from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.client import BaseSocketModeClient

log = logging.getLogger(__name__)
FIRST_WAIT, LONGEST_WAIT = 1.0, 30.0


class Reconnector:
    """Call `tick()` every second or so from the thread that runs the bot."""

    def __init__(self, client: BaseSocketModeClient, clock=time.monotonic):
        self.client = client
        self._clock = clock
        self._wanted = threading.Event()
        self._wait = FIRST_WAIT
        self._next = 0.0
        client.on_error_listeners.append(self._on_error)

    def _on_error(self, error: Exception) -> None:
        if isinstance(error, SlackApiError | URLError | TimeoutError):  # from a reconnect
            reason = (
                error.response.get("error") if isinstance(error, SlackApiError) else "unreachable"
            )
            log.warning("Slack refused a new Socket Mode connection (%s): trying again", reason)
            self._next = self._clock() + self._wait
            self._wanted.set()

    def tick(self) -> None:
        if self.client.closed:
            return
        if not self._wanted.is_set():
            if self.client.is_connected():
                return
            # Down: give the client's own reconnect a moment before stepping in.
            self._next = self._clock() + self._wait
            self._wanted.set()
            return
        if self.client.is_connected():  # the client's own reconnect got there
            self._wanted.clear()
            self._wait = FIRST_WAIT
            return
        if self._clock() < self._next:
            return
        try:
            self.client.connect_to_new_endpoint()
        except Exception as error:  # Slack's, or the network's: wait longer, then again
            self._wait = min(self._wait * 2, LONGEST_WAIT)
            self._next = self._clock() + self._wait
            log.warning(
                "Socket Mode reconnect failed (%s); next try in %.0f s",
                type(error).__name__,
                self._wait,
            )
            return
        self._wanted.clear()
        self._wait = FIRST_WAIT
        log.info("Socket Mode connection open again")
