"""Questions from Slack -> the archive -> rendered answers; "More" pages and 👍 / 👎 votes."""

from __future__ import annotations

import json
import logging

from bot.chat.answer_queue import BUSY, AnswerQueue, Busy
from bot.chat.ratelimit import RateLimiter, Verdict
from bot.chat.state import ChatState
from bot.render import blocks
from bot.slackbot.replies import Place, Replier
from index.archive import Archive
from index.feedback import asking
from index.feedback.store import FeedbackStore

log = logging.getLogger(__name__)
SURFACE = "slack"


class Asker:
    """Answers questions where they were asked and keeps track of the threads it answered in."""

    def __init__(
        self,
        archive: Archive,
        feedback: FeedbackStore,
        state: ChatState,
        limiter: RateLimiter,
        replier: Replier,
        answering: AnswerQueue,
    ):
        self.archive = archive
        self.feedback = feedback
        self.state = state
        self.limiter = limiter
        self.replier = replier
        self.answering = answering

    def ask(self, place: Place, question: str, *, asked_by: str | None = None) -> None:
        """Answer `question` at `place` from the answering queue, or say the bot is busy; in a
        thread the bot answered, it is a follow-up."""
        verdict = self.limiter.check(place.user)
        if verdict is Verdict.NOTIFY:
            with self.replier.guard(place, "sending the rate-limit notice"):
                self.replier.notify(place, blocks.slow_down(self.limiter.per_minute))
        if verdict is not Verdict.ALLOW:
            return
        try:
            self.answering.submit(self._answer, place, question, asked_by)
        except Busy:
            log.warning("Busy: a question in %s was turned away", place.channel)
            with self.replier.guard(place, "saying the bot is busy"):
                self.replier.notify(place, blocks.notice(BUSY))

    def _answer(self, place: Place, question: str, asked_by: str | None) -> None:
        with self.replier.guard(place, "answering a question"):
            context = None
            if place.thread_ts:
                context = self.state.thread_question(place.channel, place.thread_ts)
            asked = asking.ask(
                self.archive,
                self.feedback,
                question,
                platform=SURFACE,
                asker=place.user,
                limit=blocks.MAX_QUOTES,
                context=context,
            )
            answer = asked.answer
            answer_id = None
            if answer.quotes:
                shown = blocks.visible(answer)
                answer_id = self.feedback.record_answer(
                    SURFACE, answer.question, shown, context, asked.question_id
                )
            message = blocks.answer_message(answer, answer_id=answer_id, asked_by=asked_by)
            ts = self.replier.post(place, message)
            root = place.thread_ts or ts
            if root and not place.ephemeral:
                self.state.remember_thread(place.channel, root, context or answer.question)
            log.info("Answered a question in %s: %d quote(s)", place.channel, len(answer.quotes))

    def more(self, place: Place, value: str) -> None:
        """Show the next quotes of an answer in place of the message that offered them."""
        with self.replier.guard(place, "showing more quotes"):
            wanted = json.loads(value)
            shown_before = self.feedback.answer(wanted["answer"])
            if shown_before is None:
                gone = "That answer is no longer on record: please ask again."
                self.replier.notify(place, blocks.notice(gone))
                return
            answer = self.archive.ask(
                shown_before.question, limit=blocks.MAX_QUOTES, context=shown_before.context
            )
            shown = int(wanted["shown"]) + blocks.PAGE
            quotes = blocks.visible(answer, shown)
            answer_id = None
            if quotes:
                answer_id = self.feedback.record_answer(
                    SURFACE,
                    shown_before.question,
                    quotes,
                    shown_before.context,
                    shown_before.question_id,
                )
            message = blocks.answer_message(
                answer, answer_id=answer_id, shown=shown, asked_by=wanted.get("by")
            )
            self.replier.respond(place, message, replace_original=True)

    def vote(self, place: Place, answer_id: str, vote: int) -> None:
        """Store a 👍 (+1) or 👎 (-1) with the answer it judges, and thank the voter."""
        with self.replier.guard(place, "recording a vote"):
            if self.feedback.vote(answer_id, place.user, vote):
                mark = "👍" if vote > 0 else "👎"
                text = f"Thanks: your {mark} is recorded for the newsroom's review of answers."
            else:
                text = "That answer is no longer on record, so the vote was not kept."
            self.replier.notify(place, blocks.notice(text))
