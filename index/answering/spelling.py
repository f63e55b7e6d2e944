"""A question's words the archive lacks: slips corrected, months read both ways, and names,
numbers and days told apart from words."""

from __future__ import annotations

import re
from dataclasses import replace
from difflib import SequenceMatcher

from index.answering.cues import MONTHS, WEEKDAYS
from index.answering.dictionary import is_english, likeliest
from index.answering.question import Question, without_possessive
from index.answering.shorthand import spelled_out
from index.search.passages import PassageIndex, edit_distance
from index.search.schema import terms_of

MAX_CORRECTIONS = 8  # unknown words looked up for a correction, per question
SPELLING_SIMILARITY = 0.8  # how alike a correction must be to the word typed (difflib ratio)
# A month asked one way and written the other: news style's abbreviations (Jan., Feb., Aug.,
# Sept., Oct., Nov., Dec.) are one index term with their names (`schema.MonthFilter`); these
# others, words of their own too, are tried in a slip's place only when the archive lacks them
_OTHER_MONTH_FORMS = {"mar": "march", "apr": "april", "jul": "july", "sep": "september"}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# What another form of a word spelt right may add to it, to be tried in its place
_ENDINGS = frozenset({"s", "es", "d", "ed", "n", "an", "ns", "ans", "ing"})


def close_word(passages: PassageIndex, word: str, question: str) -> str | None:
    """The archive's closest word to a misspelt one, if it is close enough to be meant;
    a possessive keeps its ending ("Zelensky's" -> "zelenskyy's"). A word spelt right is
    taken as meant, unless it names someone or something one slip from a word the archive
    holds ("Percy Shelly": "Shelley"; "Canada" is no slip for "Canadian"): the archive knows
    its names better than a word list does."""
    bare = without_possessive(word)
    if (written := spelled_out(bare, passages.knows)) is not None:  # "DA": district attorney
        return written + word[len(bare) :]
    if not bare.isalpha() or len(bare) < 3:
        return None
    other = None if bare.isupper() else _OTHER_MONTH_FORMS.get(bare.lower())  # "APR" is no month
    if other and passages.knows(other):  # "Apr" asked, "April" written
        return other
    english = is_english(bare)
    # "thier", "teh": slips for words no index holds. Only in lower case: a name is no slip
    meant = likeliest(bare) if bare.islower() and not english else None
    if meant is not None and not terms_of(meant):
        return meant + word[len(bare) :]
    if len(bare) < 4:
        return None
    close = passages.suggest(bare)
    close = close and without_possessive(close)  # written "Shelley's" there, asked "Shelly"
    similar = close and SequenceMatcher(None, bare.lower(), close).ratio() >= SPELLING_SIMILARITY
    named = is_subject(word, question)
    if similar and english and not named and not _another_form(bare.lower(), close):
        return None  # "decide" is not "decade", nor "status" "states"; "Alaskan" may be "Alaska"
    if similar and english and named and edit_distance(bare.lower(), close) > 1:
        return None  # "Shelly" may be "Shelley", but "Canada" is not "Canadian"
    return close + word[len(bare) :] if similar else None


def _another_form(word: str, other: str) -> bool:
    """True if one word is the other with an inflection added: "Alaskan", "Alaska"; "ruled",
    "rule" (not "status", "states"; "thanks", "than"; "planet", "plane")."""
    short, long = sorted((word, other), key=len)
    return len(short) >= 4 and long.startswith(short) and long[len(short) :] in _ENDINGS


def may_name(word: str, question: str) -> bool:
    """A word that may be part of a name: capitalised, or any word of a question typed all in
    lower case ("who is mei lin?")."""
    return word[:1].isupper() or question.islower()


def is_value(word: str) -> bool:
    """A number, a day of the week or a month: "75", "Friday", "Feb"."""
    bare = without_possessive(word).lower()
    return bool(_NUMBER.fullmatch(word)) or bare in WEEKDAYS or bare in MONTHS


def is_count(word: str) -> bool:
    """A lone digit: it counts as often as it names ("the 3 reasons", "Ward 3"), so one that no
    passage holds says nothing of what the archive covers, and matches nothing."""
    return len(word) == 1 and word.isdigit()


def is_subject(word: str, question: str) -> bool:
    """A name (capitalised inside the question, not an acronym) or a number such as a year."""
    if _NUMBER.fullmatch(word):
        return True
    bare = without_possessive(word)  # "UMC's" is the acronym UMC
    is_name = bare[:1].isupper() and not bare.isupper()
    return is_name and not question.lstrip().startswith(word)


def corrected(question: Question, corrections: dict[str, str | None]) -> Question | None:
    """The question with each misspelt word replaced by its correction, if any was found."""
    text, words = question.text, list(question.words)
    for word, close in corrections.items():
        if close:
            capital = word[:1].isupper() and not word.isupper()  # "DA": district attorney
            close = close[:1].upper() + close[1:] if capital else close
            text = text.replace(word, close, 1)
            words = [close if w == word else w for w in words]
    return replace(question, text=text, words=tuple(words)) if text != question.text else None
