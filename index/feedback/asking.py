"""Where every surface asks: a new question from chat or the console is answered, timed and
logged here, in one code path; a log that cannot be written never stops the answer."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.answering.answerer import Answer
    from index.archive import Archive
    from index.feedback.store import FeedbackStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Asked:
    """An answer, and the id of the logged question (None when it was not logged)."""

    answer: Answer
    question_id: str | None


def ask(
    archive: Archive,
    feedback: FeedbackStore | None,
    question: str,
    *,
    platform: str,
    asker: str | None,
    limit: int = 5,
    context: str | None = None,
) -> Asked:
    """Answer a question asked on `platform` by `asker` (their id there, or None) and log it
    in `feedback` (None, or a store with `question_days=0`: not logged).

    A question the archive refuses (an InputError: a malformed filter, too long) raises as
    `Archive.ask` does, and is not logged."""
    started = time.perf_counter()
    answer = archive.ask(question, limit=limit, context=context)
    ms = (time.perf_counter() - started) * 1000
    if feedback is None or not feedback.question_days:
        return Asked(answer, None)
    top = answer.quotes[0].citation if answer.quotes else None
    if top is None and answer.facts:
        top = answer.facts[0].citation
    try:
        question_id = feedback.log_question(
            platform,
            asker,
            question,
            quotes=len(answer.quotes),
            article_id=top and top.article_id,
            article_title=top and top.title,
            answered=bool(answer.quotes or answer.facts),
            ms=ms,
        )
    except Exception as error:  # a full disk, a locked or damaged file: answer all the same
        log.warning("Could not log a question asked on %s: %s: %s", platform, _kind(error), error)
        question_id = None
    return Asked(answer, question_id)


def _kind(error: Exception) -> str:
    return type(error).__name__
