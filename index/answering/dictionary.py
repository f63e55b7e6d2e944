"""Whether a word is correctly spelt English: a spell checker's word list, read once."""

from __future__ import annotations

from functools import cache

from index.errors import ModelMissing


def is_english(word: str) -> bool:
    """True if the word, in any case, is in the English word list (about 160,000 words)."""
    return word.lower() in _words()


@cache
def _words():
    """The word list (about 0.1 s to read: only questions with words the archive lacks need it),
    or ModelMissing naming what to install."""
    try:
        from spellchecker import SpellChecker

        return SpellChecker(language="en", distance=1).word_frequency.dictionary
    except (ImportError, OSError, ValueError) as error:
        raise ModelMissing(
            f"the English word list (package pyspellchecker) could not be loaded "
            f"({type(error).__name__}: {str(error)[:200]}); run: pip install -r requirements.txt"
        ) from error
