"""Where a Slack reply goes and how: a thread, a DM, a response URL, or to the asker alone."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.render import blocks
from bot.slackbot.delivery import (
    PATIENT,
    Policy,
    Poster,
    SlackTrouble,
    fault,
    webhook_retry_handlers,
)
from index.errors import InputError

log = logging.getLogger(__name__)

# Channels the bot cannot post in by itself (not a member; a DM between other people): a slash
# command's response URL still reaches them.
_UNREACHABLE = frozenset({"not_in_channel", "channel_not_found", "is_archived"})


@dataclass(frozen=True)
class Place:
    """Where a question was asked, and so where its answer goes."""

    channel: str
    user: str
    thread_ts: str | None = None  # answer in this thread
    response_url: str | None = None  # a slash command's or a button's way back
    ephemeral: bool = False  # only `user` sees the answer
    direct: bool = False  # a direct message conversation with the bot


class Replier:
    """Posts messages for the bot; failures to post are logged, never raised at the caller."""

    def __init__(self, client: WebClient, policy: Policy = PATIENT):
        self.client = client
        self.poster = Poster(client, policy)

    def post(self, place: Place, message: blocks.Message) -> str | None:
        """Post where the question was asked; returns the message's ts when Slack tells it."""
        if place.ephemeral:
            self.respond(place, message, response_type="ephemeral")
            return None
        try:
            response = self.poster.post(
                channel=place.channel,
                thread_ts=place.thread_ts,
                unfurl_links=False,
                unfurl_media=False,
                **message,
            )
        except SlackApiError as error:
            if place.response_url and error.response.get("error") in _UNREACHABLE:
                self.respond(place, message, response_type="in_channel")
                return None
            raise
        return response.get("ts")

    def notify(self, place: Place, message: blocks.Message) -> None:
        """A message for the asker only: a notice, a refusal, a thank-you."""
        if place.response_url:
            self.respond(place, message, response_type="ephemeral", replace_original=False)
        elif place.direct:
            self.client.chat_postMessage(
                channel=place.channel, thread_ts=place.thread_ts, **message
            )
        else:
            self.client.chat_postEphemeral(
                channel=place.channel, user=place.user, thread_ts=place.thread_ts, **message
            )

    def respond(self, place: Place, message: blocks.Message, **options) -> None:
        """Send through the response URL of a slash command or a button."""
        if not place.response_url:
            raise ValueError("no response URL to answer through")
        webhook = WebhookClient(
            place.response_url, timeout=10, retry_handlers=webhook_retry_handlers()
        )
        response = webhook.send(unfurl_links=False, unfurl_media=False, **message, **options)
        if response.status_code != 200:
            log.warning("A response URL answered %s: %s", response.status_code, response.body)

    @contextmanager
    def guard(self, place: Place, what: str) -> Iterator[None]:
        """Run a handler's work: an InputError is told to the user in its own words; Slack's
        own trouble (after the retries) is logged once, with the reason, and the user is told
        it was Slack's if a last try gets through; anything else is logged with its traceback
        and the user gets a short apology."""
        try:
            yield
        except InputError as error:
            told = blocks.notice(str(error))  # written for users
            self._quietly(lambda: self.notify(place, told))
        except Exception as error:
            reason = error.reason if isinstance(error, SlackTrouble) else fault(error)
            if reason is None:
                log.exception(
                    "Failed while %s (channel %s, user %s)", what, place.channel, place.user
                )
                self._quietly(lambda: self.post(place, blocks.apology()))
                return
            tries = f" after {error.tries} tries" if isinstance(error, SlackTrouble) else ""
            log.error(
                "Slack failed while %s (channel %s, user %s): %s%s; nothing was delivered",
                what,
                place.channel,
                place.user,
                reason,
                tries,
            )
            try:  # one try, no retry: Slack is failing
                self.notify(place, blocks.slack_trouble())
            except Exception as again:
                log.debug("The notice of Slack's trouble did not get through either: %s", again)

    def _quietly(self, send: Callable[[], object]) -> None:
        try:
            send()
        except Exception:
            log.exception("Could not send a reply to Slack either")
