"""/feeds from Slack: editors list, add and remove the watched feeds; anyone else is refused."""

from __future__ import annotations

import logging

from bot.chat.feeds import BackgroundWatcher
from bot.config import Settings
from bot.render import blocks
from bot.render.feeds import feeds_text
from bot.slackbot import text as slack_text
from bot.slackbot.replies import Place, Replier

log = logging.getLogger(__name__)


class FeedsCommand:
    """The watched feeds, for SLACK_EDITORS only (as /ingest)."""

    def __init__(self, settings: Settings, watching: BackgroundWatcher, replier: Replier):
        self.editors = settings.slack_editors
        self.watching = watching
        self.replier = replier

    def handle(self, place: Place, text: str) -> None:
        with self.replier.guard(place, "managing feeds"):
            if place.user not in self.editors:
                log.info("Refused /feeds from %s: not in SLACK_EDITORS", place.user)
                self.replier.notify(place, blocks.notice(_REFUSAL))
                return
            reply = self.watching.command(slack_text.plain(text), place.user)
            self.replier.notify(place, blocks.notice(feeds_text(reply, lambda t: t)))


_REFUSAL = (
    "Sorry, only the newsroom's editors may list, add or remove watched feeds, "
    "so nothing was changed."
)
