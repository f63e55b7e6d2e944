"""Posting new stories in SLACK_NEWS_CHANNEL, for the background watcher's announcer."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.chat.announcements import Announcement, NewStory
from bot.render import blocks
from index.errors import InputError

# What Slack says when the bot may not post there, and what to do about it
_REASONS = {
    "not_in_channel": "the bot is not a member of it; invite it with /invite @newsbot",
    "channel_not_found": "no such channel, or a private one the bot was not invited to",
    "is_archived": "the channel is archived",
}


class NewsPoster:
    """Posts one announcement (called from the watcher's thread), links not unfurled."""

    def __init__(self, client: WebClient, channel: str):
        self.client = client
        self.channel = channel

    def __call__(self, announcement: Announcement) -> None:
        if isinstance(announcement, NewStory):
            message = blocks.story_message(announcement)
        else:
            message = blocks.more_stories_message(announcement)
        try:
            self.client.chat_postMessage(
                channel=self.channel, unfurl_links=False, unfurl_media=False, **message
            )
        except SlackApiError as error:
            reason = _REASONS.get(error.response.get("error"))
            if reason:
                raise InputError(f"SLACK_NEWS_CHANNEL: {reason}") from None
            raise
