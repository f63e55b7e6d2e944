"""Who holds a role: "who is the general manager?" is answered by "general manager Paul Ng"."""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.answering.dictionary import is_english
from index.search.schema import term_spans, terms_of

# "who is the transit general manager?", "who's harlow's chief executive?", "who was the
# police chief of Eastport?": the role, then at most a phrase saying whose or where
_ROLE_ASKED = re.compile(
    r"^\s*who(?:\s+(?:is|was|are|were)|['’]s)\s+"
    r"(?:(?:the|a|an|its|their)\s+|[\w-]+['’]s?\s+)?"
    r"(?P<role>[a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,3}?)"
    r"(?:\s+(?:of|at|for|in|on|with|from)\s+[^?]+)?\s*[?.!]*\s*$",
    re.I,
)
# A person's name: a first name and one or two more, after an honorific if any
# ("Paul Ng", "Dr. Anil Mehta", "Nina J. Vogel")
_NAME = (
    r"(?:(?:Dr|Mr|Mrs|Ms|Rev|Gen|Lt|Sgt|Capt)\.\s+)?"
    r"[A-Z][a-z][\w'’-]*(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w'’-]+){1,2}"
)
_NAME_AFTER = re.compile(rf",?\s+{_NAME}")
# "Paul Ng, the agency's general manager": the name, a comma, and up to three words before
_NAME_BEFORE = re.compile(rf"{_NAME},\s+(?:[\w'’-]+\s+){{0,3}}$")
# A role is a noun: not "responsible", "eligible", "credited", "involved", "leading"
_NO_ROLE = re.compile(r"(?:ed|ing|ible|able)$", re.I)


def role_asked(question: str) -> tuple[str, ...] | None:
    """The words of the role a question asks the holder of ("general manager"), as typed; None
    if it asks something else ("who was the first person to …")."""
    asked = _ROLE_ASKED.match(question)
    if asked is None:
        return None
    typed = asked["role"].split()
    if any(w[:1].isupper() or not is_english(w) or not terms_of(w) for w in typed):
        return None  # a name ("who is Nina Vogel?", "who is nina vogel?")
    if _NO_ROLE.search(typed[-1]):
        return None  # "who is responsible for …", "who was credited with …"
    return tuple(w.lower() for w in typed)


def names_holder(text: str, role: Sequence[str], fewest: int) -> bool:
    """True if the text names a person by the role, or by its last `fewest` words or more
    ("Chief executive Nina Vogel said", "Paul Ng, the general manager")."""
    wanted = [t for word in role for t in terms_of(word)]
    spans = term_spans(text)
    terms = [term for term, _, _ in spans]
    for size in range(len(wanted), fewest - 1, -1):
        tail = wanted[-size:]
        for i in range(len(terms) - size + 1):
            if terms[i : i + size] != tail:
                continue
            start, end = spans[i][1], spans[i + size - 1][2]
            if _NAME_AFTER.match(text, end) or _NAME_BEFORE.search(text[:start]):
                return True
    return False
