"""English spelling: whether a word is spelt right, and the likeliest word meant, read once."""

from __future__ import annotations

from functools import cache

from index.errors import ModelMissing


def load_word_list() -> None:
    """Read the word list now: a broken install fails here, not at a question."""
    _checker()


def is_english(word: str) -> bool:
    """True if the word, in any case, is in the English word list (about 160,000 words)."""
    return word.lower() in _checker().word_frequency.dictionary


def likeliest(word: str) -> str | None:
    """The commonest English word one slip away from a misspelt one ("thier": "their")."""
    meant = _checker().correction(word.lower())
    return meant if meant and meant != word.lower() else None


@cache
def _checker():
    """The spell checker (about 0.1 s to read its list: only questions with words the archive
    lacks need it), or ModelMissing naming what to install."""
    try:
        from spellchecker import SpellChecker

        return SpellChecker(language="en", distance=1)
    except (ImportError, OSError, ValueError) as error:
        raise ModelMissing(
            f"the English word list (package pyspellchecker) could not be loaded "
            f"({type(error).__name__}: {str(error)[:200]}); run: pip install -r requirements.txt"
        ) from error
