"""Chat's shorthand for what news copy spells out: "DA", district attorney; "sb118", SB 118."""

from __future__ import annotations

import re
from collections.abc import Callable

# Written out in news copy (AP style spells out titles and agencies), typed short in chat.
# Read so only when the archive lacks the short form and holds every word of the long one.
SPELLED_OUT = {
    "ag": "attorney general",
    "da": "district attorney",
    "pd": "police department",
    "fd": "fire department",
    "gov": "governor",
    "govt": "government",
    "dept": "department",
    "admin": "administration",
    "sen": "senator",
    "rep": "representative",
    "reps": "representatives",
    "dems": "democrats",
    "gop": "republican",
    "potus": "president",
    "scotus": "supreme court",
    "doj": "justice department",
    "dhs": "homeland security",
    "dmv": "motor vehicles",
    "ceo": "chief executive",
    "cfo": "chief financial officer",
    "coo": "chief operating officer",
    "cop": "police",
    "cops": "police",
    "univ": "university",
    "intl": "international",
    "natl": "national",
    "assn": "association",
    "sb": "senate bill",
    "hb": "house bill",
    "ab": "assembly bill",
}
# A bill, a route or a measure typed as one word: "sb118", "HB-7", "prop50"
_NUMBERED = re.compile(r"([A-Za-z]{1,5})-?(\d+[A-Za-z]?)")


def spelled_out(word: str, knows: Callable[[str], bool]) -> str | None:
    """The archive's way of writing a shorthand it lacks, if it holds that way: "DA" is
    "district attorney", "sb118" is "SB 118" or "senate bill 118"."""
    numbered = _NUMBERED.fullmatch(word)
    letters, number = numbered.groups() if numbered else (word, "")
    forms = [f"{letters} {number}"] if number else []
    if (long := SPELLED_OUT.get(letters.lower())) is not None:
        forms.append(f"{long} {number}" if number else long)
    for form in forms:
        if all(knows(part) for part in form.split()):
            return form
    return None


def is_acronym(word: str) -> bool:
    """A shorthand typed in capitals ("AG", "DA"): it may share its index term with a word
    ("ag", the stem of "age"), so whether the archive holds it is read from the text."""
    return len(word) > 1 and word.isupper() and word.lower() in SPELLED_OUT
