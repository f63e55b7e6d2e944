"""What kind of answer a question wants (person, date, place, number) and where text offers one."""

from __future__ import annotations

import re

MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_MONTHS = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAYS = "|".join(WEEKDAYS)
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    "sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion|dozen|half|percent"
)
_PATTERNS = {
    "date": re.compile(
        rf"\b(1[0-9]{{3}}|20[0-9]{{2}})s?\b|\b({_MONTHS})\b\.?|\b({_DAYS})\b|"
        r"\b(century|centuries|decade|yesterday|today|tomorrow|ago|bc|ad|bce|ce)\b",
        re.I,
    ),
    "number": re.compile(rf"\d|\$|€|£|%|\b({_NUMBER_WORDS})\b", re.I),
    "person": re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zà-ÿ'’-]+(?:\s+[A-Z][a-zà-ÿ'’.-]+)*"),
    "place": re.compile(r"\b(in|at|from|near|to|into|across|outside)\s+(the\s+)?[A-Z][\w'’-]+"),
}
_QUESTION_TYPES = (
    (
        re.compile(
            r"\b(what|which)\s+(year|date|day|month|century|decade|time)\b|\bwhens?\b", re.I
        ),
        "date",
    ),
    (
        re.compile(
            r"\bhow\s+(many|much|long|old|far|big|large|tall|high|often|fast)\b|"
            r"\b(what|which)\s+(percentage|percent|number|amount|proportion|share|price|cost)\b",
            re.I,
        ),
        "number",
    ),
    (
        re.compile(r"\bwho(m|se|s)?\b|\b(what|which)\s+(person|people|group|company|team)\b", re.I),
        "person",
    ),
    (
        re.compile(r"\bwheres?\b|\b(what|which)\s+(country|city|place|state|region|town)\b", re.I),
        "place",
    ),
)


def answer_type(question: str) -> str | None:
    """ "date", "number", "person", "place", or None when the question does not say."""
    for pattern, kind in _QUESTION_TYPES:
        if pattern.search(question):
            return kind
    return None


def offers(kind: str | None, text: str, question: str) -> bool:
    """True if the text holds something of that kind that the question itself does not."""
    if kind is None:
        return False
    asked = question.lower()
    return any(m.group(0).lower() not in asked for m in _PATTERNS[kind].finditer(text))
