"""The Whoosh schema and its analyzer: the only place field names and analysis live."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import ClassVar

from whoosh import analysis, fields, formats
from whoosh.lang import porter2
from whoosh.support.charset import accent_map
from whoosh.system import pack_uint

# Same-length replacements, so that token offsets still point into the original text.
_FOLDS = {"’": "'", "‘": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"', "„": '"'}
TERMS_KEPT = 200_000  # words whose index terms an analyzer remembers
# The version of the text analysis, kept beside the index: bumped whenever the terms a text
# gives change, so that an index built before is rebuilt (2: months' abbreviations read as
# their names, lone digits kept; 3: irregular verbs read as their base form; 4: Porter2 stems)
ANALYSIS = 4
_UNKNOWN = object()
WORD_PATTERN = r"\w+(?:[.'&]\w+)*"


class FoldingTokenizer(analysis.RegexTokenizer):
    """A RegexTokenizer that reads curly quotes and apostrophes as straight ones."""

    def __call__(self, value, **kwargs):
        return super().__call__(_folded(value), **kwargs)


class PossessiveFilter(analysis.Filter):
    """Apostrophes never split or block a match: Moscow's -> moscow, don't -> dont."""

    def __call__(self, tokens):
        for token in tokens:
            if "'" in token.text:
                token.text = token.text.removesuffix("'s").replace("'", "")
            yield token


class MonthFilter(analysis.Filter):
    """A month's abbreviation is its name: "Dec. 8" (news style) and "December 8" (as people
    type it, and encyclopedias write it) are one term."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = _MONTH_NAMES.get(token.text, token.text)
            yield token


# The abbreviations news style uses before a date (March, April, May, June and July are
# written out); not "sep", "apr" or "jun", which are also words and names of their own
_MONTH_NAMES = {
    "jan": "january",
    "feb": "february",
    "aug": "august",
    "sept": "september",
    "oct": "october",
    "nov": "november",
    "dec": "december",
}


class IrregularVerbFilter(analysis.Filter):
    """An irregular verb's past forms (and the few regular forms the stemmer leaves apart) are
    its base form: "when did she write it?" meets "she wrote it", "who won?" meets "will win",
    "who sued?" meets "will sue"."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = _IRREGULAR.get(token.text, token.text)
            yield token


# base: its past forms, for the verbs news asks about ("who won?", "how much was paid?", "who
# wrote it?"), and regular forms the stemmer leaves apart ("sued", "suing"). Not the commonest
# verbs ("made", "took", "known", "came", "held", "told"): matching them in every story gave a
# question about another archive more near misses (xquad.en's on new_wiki's, 9.4% → 9.9% given
# a quote). Nor forms that are words of their own too ("found", "left", "saw", "lay", "rose",
# "felt", "fell", "bit", "ground", "sat").
_IRREGULAR = {
    past: base
    for line in """
    build built; buy bought; catch caught; choose chose chosen; dig dug; drive drove driven;
    eat ate eaten; fight fought; flee fled; fly flew flown; forbid forbade forbidden;
    forget forgot forgotten; forgive forgave forgiven; freeze froze frozen; hang hung;
    hide hid hidden; lend lent; lose lost; pay paid; ride rode ridden; seek sought; sell sold;
    shake shook shaken; shoot shot; sing sang sung; sink sank sunk; speak spoke spoken;
    spend spent; steal stole stolen; strike struck stricken; swear swore sworn;
    swim swam swum; teach taught; throw threw thrown; wear wore worn; win won;
    withdraw withdrew withdrawn; write wrote written; sue sued suing
    """.split(";")
    for base, *pasts in [line.split()]
    for past in pasts
}


class LoneLetterFilter(analysis.Filter):
    """Drops words of one letter; keeps a lone digit ("District 4", "Dec. 8")."""

    def __call__(self, tokens):
        for token in tokens:
            if len(token.text) > 1 or token.text.isdigit():
                yield token
            elif not token.removestops:
                token.stopped = True
                yield token


def text_analyzer() -> analysis.Analyzer:
    """Words folded (case, accents, curly quotes), months' abbreviations read as their names,
    irregular verbs as their base form, one-letter words and stop words dropped (not digits),
    English stems."""
    return (
        name_analyzer()
        | MonthFilter()
        | IrregularVerbFilter()
        | LoneLetterFilter()
        | analysis.StopFilter(minsize=1)
        # Porter2 (Snowball English): Whoosh's default Porter leaves "investigated" apart from
        # "investigate" and "investigation", "died" from "die", "evacuated" from "evacuation"
        | analysis.StemFilter(stemfn=porter2.stem, cachesize=100_000)
    )


def name_analyzer() -> analysis.Analyzer:
    """Names (authors, outlets): folded words, no stems, no stop words."""
    return (
        FoldingTokenizer(WORD_PATTERN)
        | analysis.LowercaseFilter()
        | PossessiveFilter()
        | analysis.CharsetFilter(accent_map)
    )


_WORD = re.compile(WORD_PATTERN)


def _folded(text: str) -> str:
    """The text with curly quotes and backticks straight. (One str.replace per character
    found: str.translate, char by char, took a fifth of all analysis of non-ASCII text.)"""
    if text.isascii():
        return text.replace("`", "'") if "`" in text else text
    for curly, straight in _FOLDS.items():
        if curly in text:
            text = text.replace(curly, straight)
    return text


_TEXT = text_analyzer()
_NAMES = name_analyzer()


@lru_cache(maxsize=200_000)
def _term(word: str) -> str | None:
    """The index term of one word, or None for a stop word."""
    terms = [token.text for token in _TEXT(word)]
    return terms[0] if terms else None


def _name_term(word: str) -> str | None:
    """The index term of one word of a name."""
    terms = [token.text for token in _NAMES(word)]
    return terms[0] if terms else None


class CachedTermAnalyzer(analysis.Analyzer):
    """The text analyzer, fast where the index needs it: plain indexing takes each word's term
    from a dict the analyzer's class keeps; every other use (positions, offsets, stop words
    kept) goes through the analyzer chain itself, which gives the same terms."""

    def __init__(self):
        self.chain = text_analyzer()

    def has_morph(self) -> bool:
        return self.chain.has_morph()

    def __call__(self, value, positions=False, chars=False, removestops=True, **kwargs):
        plain = not (positions or chars or kwargs.get("keeporiginal")) and removestops
        if not plain or kwargs.get("tokenize", True) is False:
            yield from self.chain(
                value, positions=positions, chars=chars, removestops=removestops, **kwargs
            )
            return
        token = analysis.Token(positions, chars, removestops=removestops, **kwargs)
        for term in self.terms(value):
            token.text = term
            yield token

    def terms(self, value: str) -> list[str]:
        """The index terms of a text, in order: what plain indexing yields, as a list."""
        words = _WORD.findall(_folded(value))
        known = self._known
        try:  # nearly always: every word seen before (a plain dict: lru_cache costs more)
            return list(filter(None, map(known.__getitem__, words)))
        except KeyError:  # (or another thread cleared the dict meanwhile)
            if len(known) > TERMS_KEPT:
                known.clear()
            found = []
            for word in words:
                term = known.get(word, _UNKNOWN)
                if term is _UNKNOWN:
                    term = known[word] = self._term_of_word(word)
                if term:
                    found.append(term)
            return found

    _term_of_word = staticmethod(_term.__wrapped__)
    _known: ClassVar[dict[str, str | None]] = {}  # of the class: not pickled with the schema

    def __getstate__(self) -> dict:
        """Nothing: the chain is code, not data (Whoosh keeps the schema in the index, and an
        index written by one version of the code is opened by others)."""
        return {}

    def __setstate__(self, state: dict) -> None:
        self.__init__()


class CachedNameAnalyzer(CachedTermAnalyzer):
    """The name analyzer (authors, outlets), its terms taken from a cache the same way."""

    def __init__(self):
        self.chain = name_analyzer()

    _term_of_word = staticmethod(_name_term)
    _known: ClassVar[dict[str, str | None]] = {}


class PassageText(fields.TEXT):
    """A TEXT field that counts its terms at C speed when it can: the same postings, in the
    same order, as Whoosh's token-by-token count (tests/test_schema.py holds them equal),
    which was a third of the cost of indexing."""

    def index(self, value, **kwargs):
        counts = None if kwargs else self.counts(value)
        if counts is None:
            yield from super().index(value, **kwargs)
            return
        boost = self.format.field_boost
        for term, freq in counts.items():
            yield term.encode(), freq, freq * boost, pack_uint(freq)

    def counts(self, value) -> Counter | None:
        """{term: frequency} of a value, in the order Whoosh would index them; None where only
        Whoosh's own tokens can tell (another analyzer or format, a value that is no text)."""
        terms = getattr(self.analyzer, "terms", None)
        if (
            terms is None
            or not isinstance(value, str)
            or type(self.format) is not formats.Frequency
        ):
            return None
        return Counter(terms(value))


def passage_schema() -> fields.Schema:
    """One document per body paragraph, carrying everything its citation needs."""
    text = CachedTermAnalyzer()
    names = CachedNameAnalyzer()
    return fields.Schema(
        passage=fields.STORED(),  # "<article id>/<paragraph number>"
        article=fields.ID(stored=True),
        version=fields.ID(),  # "<article id>@<content hash>": what the index holds of each article
        paragraph=fields.STORED(),
        # No positions and no spelling field: quotes and highlights come from re-reading the
        # few passages an answer uses, and corrections from the lexicon (PassageIndex.suggest).
        body=PassageText(analyzer=text, stored=True, phrase=False),
        heading=PassageText(analyzer=text, stored=True, phrase=False),
        title=PassageText(analyzer=text, stored=True, phrase=False),
        author=PassageText(analyzer=names, stored=True, phrase=False),
        source=PassageText(analyzer=names, stored=True, phrase=False),
        source_url=fields.STORED(),
        url=fields.STORED(),
        published=fields.STORED(),
        day=fields.ID(),  # the publication date, YYYY-MM-DD, for since: and until:
        updated=fields.STORED(),
    )


def terms_of(text: str) -> list[str]:
    """The index terms of a text, in order (a word may give none: stop words)."""
    return [token.text for token in _TEXT(text)]


@lru_cache(maxsize=1024)
def term_spans(text: str) -> tuple[tuple[str, int, int], ...]:
    """(term, start, end) for every indexed word of a text, the offsets into the text itself.

    The same terms the analyzer gives (tests/test_schema.py holds the two together), found
    faster: each word is analyzed once and remembered, since words recur endlessly; and a
    paragraph's spans are remembered a while, since answering one question reads each
    passage several times (its windows, their features, the quote's marks)."""
    spans = []
    for match in _WORD.finditer(_folded(text)):
        term = _term(match.group())
        if term:
            spans.append((term, match.start(), match.end()))
    return tuple(spans)
