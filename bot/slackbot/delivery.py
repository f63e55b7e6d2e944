"""Getting a message into Slack when Slack falters: retries with back-off, never a double post.

A message is posted with a marker of its own in its metadata. When a post fails in a way
that is Slack's (HTTP 5xx, Slack's internal_error, a timeout, a dropped connection) the post
may or may not have been made, so before each new attempt the thread (conversations.replies)
or the channel (conversations.history) is read for a message carrying the marker: found, it
is the answer, delivered; not found, the post is made again. Rate limits (429) are waited out
as Retry-After asks, by slack_sdk's own handler. The Web API client's other calls (reads) are
retried by slack_sdk's handlers; posts never are, since they cannot tell whether a failed post
was made."""

from __future__ import annotations

import http.client
import logging
import time
import uuid
from collections.abc import Callable
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.chat.delivery import Policy, Trouble

log = logging.getLogger(__name__)

WEB_TIMEOUT = 10.0  # seconds for one Web API request; Slack answers in well under one
RETRY_DELAYS = (1.0, 4.0, 10.0, 20.0)  # between attempts: five tries within about a minute
DEADLINE = 60.0  # no new attempt starts after this many seconds
MARKER_EVENT = "newsbot_reply"
CLOCK_SKEW = 600.0  # seconds: a thread is read from this long before the first try
# Slack's own words for its trouble, in a 200 answer: "likely due to a transient issue on our
# end", and the operation may have been done.
SLACK_TROUBLE = frozenset({"internal_error", "service_unavailable", "request_timeout"})
_POSTS = ("chat.postMessage", "chat.postEphemeral", "chat.update", "chat.delete")


PATIENT = Policy(timeout=WEB_TIMEOUT, delays=RETRY_DELAYS, deadline=DEADLINE)  # the bots' own


class SlackTrouble(Trouble):
    """Slack failed to take a message, after every retry; `reason` says how (no secrets)."""


def fault(error: BaseException) -> str | None:
    """How Slack (or the way to it) failed, or None when the error is not Slack's trouble."""
    if isinstance(error, SlackApiError):
        status = error.response.status_code
        code = error.response.get("error") if isinstance(error.response.data, dict) else None
        if status >= 500:
            return f"HTTP {status}"
        if status == 429:
            return "rate limited"
        if code in SLACK_TROUBLE:
            return str(code)
        return None
    if isinstance(error, TimeoutError):
        return "timed out"
    if isinstance(error, URLError):
        reason = error.reason
        if isinstance(reason, TimeoutError):
            return "timed out"
        return f"connection failed ({type(reason).__name__})"
    if isinstance(error, ConnectionError | http.client.HTTPException):
        return f"connection dropped ({type(error).__name__})"
    return None


def _is_post(request) -> bool:
    return request.url.rstrip("/").endswith(_POSTS)


class _ReadConnectionRetry(ConnectionErrorRetryHandler):
    """A dropped connection is retried for reads, never for posts (the post may be made)."""

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        return not _is_post(request) and super()._can_retry(
            state=state, request=request, response=response, error=error
        )


class _ReadServerErrorRetry(ServerErrorRetryHandler):
    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        return not _is_post(request) and super()._can_retry(
            state=state, request=request, response=response, error=error
        )


def retry_handlers() -> list:
    """429s waited out (Retry-After); reads retried after a dropped connection or a 5xx."""
    return [
        _ReadConnectionRetry(max_retry_count=2),
        _ReadServerErrorRetry(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=3),
    ]


def webhook_retry_handlers() -> list:
    """Response URLs: only a 429 is retried; a response URL cannot be read back."""
    return [RateLimitErrorRetryHandler(max_retry_count=3)]


class Poster:
    """chat.postMessage, delivered once despite Slack's trouble, or SlackTrouble raised."""

    def __init__(
        self,
        client: WebClient,
        policy: Policy = PATIENT,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.client = client
        self.delays = policy.delays
        self.deadline = policy.deadline
        self._sleep = sleep

    def post(self, **message) -> dict:
        """Post; the response's data ({"ts": ..., ...}) once Slack has the message."""
        marker = uuid.uuid4().hex
        message["metadata"] = {"event_type": MARKER_EVENT, "event_payload": {"reply": marker}}
        channel, thread = message["channel"], message.get("thread_ts")
        started, since = time.monotonic(), time.time() - CLOCK_SKEW
        reason, tries = "", 0
        for delay in (0.0, *self.delays):
            if delay:
                if time.monotonic() + delay - started > self.deadline:
                    break
                self._sleep(delay)
                try:
                    found = self._posted_before(channel, thread, marker, since)
                except SlackApiError as error:
                    if fault(error) is None:
                        log.warning(
                            "Cannot read channel %s to check for an earlier copy (%s): "
                            "posting again",
                            channel,
                            error.response.get("error"),
                        )
                        found = None
                    else:
                        reason = fault(error) or reason
                        continue
                except Exception as error:
                    if fault(error) is None:
                        raise
                    reason = fault(error) or reason
                    continue
                if found is not None:
                    log.info("A reply in %s had been delivered after all (%s)", channel, reason)
                    return found
            tries += 1
            try:
                return self.client.chat_postMessage(**message).data  # type: ignore[return-value]
            except Exception as error:
                reason = fault(error) or ""
                if not reason:
                    raise
                log.info("Posting in %s failed (%s), try %d", channel, reason, tries)
        raise SlackTrouble(reason, tries)

    def _posted_before(self, channel: str, thread: str | None, marker: str, since: float):
        """The message carrying `marker` if Slack holds it, else None."""
        options = {"channel": channel, "include_all_metadata": True}
        if thread:  # oldest first: from a little before the first try
            response = self.client.conversations_replies(
                ts=thread, oldest=f"{since:.6f}", limit=200, **options
            )
        else:  # newest first
            response = self.client.conversations_history(limit=100, **options)
        for found in response.get("messages") or []:
            metadata = found.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if metadata.get("event_type") == MARKER_EVENT and payload.get("reply") == marker:
                return {"ok": True, "channel": channel, "ts": found.get("ts"), "message": found}
        return None
