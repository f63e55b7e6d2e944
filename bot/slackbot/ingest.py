"""Adding articles from Slack: editors only, web links only, the outcome told in plain words."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.config import Settings
from bot.render import blocks
from bot.slackbot.replies import Place, Replier
from index.archive import Archive
from index.ingest.sources import ingest

log = logging.getLogger(__name__)
MAX_URLS = 10  # links one command may add


class Ingester:
    """Fetches and adds the articles an editor links to; anyone else is told they may not."""

    def __init__(self, settings: Settings, archive: Archive, replier: Replier):
        self.editors = settings.slack_editors
        self.archive = archive
        self.replier = replier
        self.max_bytes = settings.max_article_bytes
        self.fetcher = settings.fetcher()

    def ingest(self, place: Place, urls: Sequence[str]) -> None:
        with self.replier.guard(place, "adding articles"):
            if place.user not in self.editors:
                log.info("Refused /ingest from %s: not in SLACK_EDITORS", place.user)
                self.replier.notify(place, blocks.notice(_REFUSAL))
                return
            links = [u for u in urls if u.lower().startswith(("http://", "https://"))]
            if not links or len(links) != len(urls) or len(links) > MAX_URLS:
                self.replier.notify(place, blocks.notice(_USAGE))
                return
            report = ingest(self.archive, links, fetcher=self.fetcher, max_bytes=self.max_bytes)
            log.info("Slack user %s added %s: %s", place.user, " ".join(links), report.summary())
            self.replier.notify(place, blocks.ingest_message(report))


_REFUSAL = (
    "Sorry, only the newsroom's editors may add articles to the archive, so nothing was added. "
    "Ask an editor to add it for you."
)
_USAGE = (
    f"Give one or more web links (at most {MAX_URLS}) to add, "
    "for example: /ingest https://example.com/news/story.html"
)
