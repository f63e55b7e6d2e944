"""A user's question -> its content words; never raw query syntax."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from index.errors import QuestionError
from index.search import Filters

MAX_QUESTION_CHARS = 1000
_WORD = re.compile(r"\w+(?:['’.&]\w+)*")
# Words that shape a question but say nothing about its subject: never what a passage is
# ranked on. Question words stay in Question.text, where the answer-type cues read them.
FILLER = frozenset(
    """
    a about according all also am an and any anything are article articles as at be been
    being can could describe did do does doing explain find for from get give go had has have
    he her hers him his how i if in into is it its know let me mention mentioned mentions my
    of on or our piece please report reported reporting reports said say says she should show
    so some something story stories tell than that the their theirs them then there these they
    this those to told us was we were what whats when where which who whom whose why will with
    would you your
    """.split()
)


@dataclass(frozen=True)
class Question:
    """A question as asked, and the words a passage must be found by."""

    text: str
    words: tuple[str, ...]
    filters: Filters = field(default_factory=Filters)


def parse_question(text: str, max_chars: int = MAX_QUESTION_CHARS) -> Question:
    """Read a question typed by a person: punctuation and operators are just characters."""
    text = _printable(text).strip()
    if not text:
        raise QuestionError("The question is empty: type a few words about what you want to know.")
    if len(text) > max_chars:
        raise QuestionError(
            f"The question is {len(text):,} characters long; the limit is {max_chars:,}. "
            "Ask it in fewer words."
        )
    words = [w for w in _WORD.findall(text) if w.lower().replace("’", "'") not in FILLER]
    return Question(text=text, words=tuple(words))


def _printable(text: str) -> str:
    """Control and format characters become spaces; letters of every script stay."""
    return "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Cs") else c for c in text)


def follow_up(question: Question, first: Question) -> Question:
    """A follow-up ("and who pays for it?") read in the context of its thread's first question:
    its own words first, then the first question's words it does not repeat."""
    own = {w.lower() for w in question.words}
    words = question.words + tuple(w for w in first.words if w.lower() not in own)
    return Question(text=question.text, words=words, filters=question.filters or first.filters)
