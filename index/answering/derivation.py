"""A noun the archive lacks ("closure") read as the verb its stories use ("closed"), and a verb
it lacks ("sued") as the noun they use ("lawsuit")."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from index.search.schema import terms_of

# Nouns news questions use for what stories tell with a verb or an adjective ("what caused the
# closure?" of "schools will be closed"; "how many deaths?" of "three people died"), whose
# index terms the stemmer leaves apart (`schema.terms_of`: "closur", "close"). Pairs it
# already joins ("approval", "approve") are not listed. Of a verb's forms, the first the
# archive holds is read ("died", else "dead", else "die").
MADE_FROM = {
    "closure": "closed",
    "departure": "depart",
    "failure": "fail",
    "seizure": "seized",
    "exposure": "exposed",
    "disclosure": "disclosed",
    "foreclosure": "foreclosed",
    "decision": "decided",
    "expansion": "expand",
    "collision": "collided",
    "division": "divided",
    "conclusion": "concluded",
    "explosion": "exploded",
    "invasion": "invaded",
    "extension": "extend",
    "suspension": "suspended",
    "admission": "admitted",
    "permission": "permitted",
    "erosion": "eroded",
    "evasion": "evaded",
    "inclusion": "included",
    "exclusion": "excluded",
    "shortage": "short",
    "leakage": "leak",
    "blockage": "blocked",
    "stoppage": "stopped",
    "payment": "paid pay",
    "growth": "grew grow grown",
    "loss": "lost lose",
    "sale": "sold sell",
    "theft": "stolen stole steal",
    "death": "died dead die",
    "flight": "flew fly",
    "birth": "born",
    "choice": "chose choose",
    "belief": "believe",
    "speech": "spoke speak",
    "injury": "injured",
    "recovery": "recovered",
    "delivery": "delivered",
    "discovery": "discovered",
    "robbery": "robbed",
    "burglary": "burglarized",
    "testimony": "testified",
    "entry": "entered",
    "denial": "denied",
    "maintenance": "maintain",
    "occurrence": "occurred",
    "absence": "absent",
    "layoff": "laid lay",
    "lawsuit": "sued sue",
    "opponent": "opposed oppose",
    "opposition": "opposed oppose",
    "bankruptcy": "bankrupt",
}


def made_from(word: str, knows: Callable[[str], bool]) -> str | None:
    """The word a noun typed in lower case is made from ("deaths": "died"), if the archive
    holds that word; None for any other word."""
    lower = word.lower()
    if word != lower:
        return None
    for noun in (lower, lower.removesuffix("s"), lower.removesuffix("es")):
        forms = MADE_FROM.get(noun[:-3] + "y" if noun.endswith("ies") else noun)
        if forms is not None:
            return next((form for form in forms.split() if knows(form)), None)
    return None


@cache
def _nouns_by_term() -> dict[str, tuple[str, ...]]:
    """Each verb form's index term: the nouns made from it ("sue": "lawsuit")."""
    nouns: dict[str, tuple[str, ...]] = {}
    for noun, forms in MADE_FROM.items():
        for term in {t for form in forms.split() for t in terms_of(form)}:
            nouns[term] = (*nouns.get(term, ()), noun)
    return nouns


def made_into(word: str, knows: Callable[[str], bool]) -> str | None:
    """The noun a verb typed in lower case makes ("sued": "lawsuit"), if the archive holds
    that noun; None for any other word."""
    if word != word.lower():
        return None
    nouns = (noun for term in terms_of(word) for noun in _nouns_by_term().get(term, ()))
    return next((noun for noun in nouns if knows(noun)), None)
