"""What a question asks for (a person, date, place, number or reason) and where text offers it."""

from __future__ import annotations

import re

MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_MONTHS = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAYS = "|".join(WEEKDAYS)
_YEARS = r"1[0-9]{3}|20[0-9]{2}"
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    "sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion|dozen|half|percent"
)
_PATTERNS = {
    "date": re.compile(
        rf"\b({_YEARS})s?\b|\b({_MONTHS})\b\.?|\b({_DAYS})\b|"
        r"\b(century|centuries|decade|yesterday|today|tomorrow|ago|bc|ad|bce|ce)\b",
        re.I,
    ),
    "number": re.compile(rf"\d|\$|€|£|%|\b({_NUMBER_WORDS})\b", re.I),
    "person": re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zà-ÿ'’-]+(?:\s+[A-Z][a-zà-ÿ'’.-]+)*"),
    "place": re.compile(r"\b(in|at|from|near|to|into|across|outside)\s+(the\s+)?[A-Z][\w'’-]+"),
}
# What is counted, priced or measured: "what's the vote count on …", "what was the final
# score?", "at what age …" (not "what age group", "what kind of cost")
_NUMBER_NOUN = (
    r"(?:count|tally|total|score|margin|salary|wages?|fines?|prices?|costs?|budget|population|"
    r"rate|turnout|attendance|revenue|deficit|capacity|toll|fees?|fares?|rent|age)"
)
_NUMBER_ASKED = (
    r"\b(?:what|which)(?:'s|s|\s+(?:is|was|are|were|will\s+be))\s+(?:the|a|an|its|their|his|her)\s+"
    rf"(?:[\w-]+\s+){{0,2}}?{_NUMBER_NOUN}(?=\s*(?:$|[?,]|\s(?:of|in|for|at|on|as|during|among|"
    r"per|by|under|after|before|this|last|next|to)\b))|"
    rf"\b(?:what|which)\s+{_NUMBER_NOUN}\b(?!\s*(?:-|groups?\b|kinds?\b|types?\b))"
)
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
            r"\b(what|which)\s+(percentage|percent|number|amount|proportion|share)\b|"
            + _NUMBER_ASKED,
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


# A question about a date still ahead: "when will the mill close?", "when is the vote
# scheduled?", "when can residents go home?", "when do the restrictions start?". Not one asked
# in the past tense ("when did Holden announce it will close?"), nor any other in the present
# ("when does his mandate run out?" may be answered by "it ended in May 2024").
_AHEAD_ASKED = re.compile(
    r"\b(?:when|what\s+(?:date|day|month|year|time))\b(?!.*\b(?:did|was|were|had)\b)"
    r"(?:.*(?:\b(?:will|shall|going\s+to|gonna|scheduled|slated|set\s+to|due|expected|planned|"
    r"upcoming|next)\b|\w'll\b)|\s+(?:can|could|should|would)\b|"
    r".*\b(?:starts?|begins?|(?:re)?opens?|resumes?|takes?\s+effect|kicks?\s+off)\b)",
    re.I,
)
# Or the date of an event, in the present tense: "when is the bridge vote?", "when's the
# hearing" (news gives an event's date while it is ahead); not "when is the library closed?"
_EVENT_ASKED = re.compile(
    r"^\W*(?:(?:and|so|but|ok|okay)\W+)?when(?:['’]?s|\s+is|\s+are)\s+(?:the|a|an|this|that|"
    r"their|its|his|her|our)\s+(?![^?]*\b\w+ed\b)[^?]*\??\s*$",
    re.I,
)
# A sentence telling of something still ahead ("will close by the end of March")
_AHEAD = re.compile(
    r"\b(?:will|shall|would|going\s+to|scheduled|slated|set\s+to|due|expected|plans?\s+to|"
    r"planned|planning|upcoming|next|tomorrow|later\s+this|takes?\s+effect)\b|\w'll\b",
    re.I,
)
# What was once ahead, and is no longer: "a levy that would have paid for a new school"
_WOULD_HAVE = re.compile(r"\b(?:would|could|should|might)\s+(?:not\s+)?have\b", re.I)
# A step fixed for a date: "Sentencing is set for Jan. 9", "a hearing is scheduled"
_SET_FOR = re.compile(r"\b(?:is|are)\s+(?:set|slated|expected)\s+(?:for|to)\b", re.I)
# A game's result asked: "what was the final score?", "who won the bayview game?"
_RESULT_ASKED = re.compile(
    r"\bwhat\s+(?:was|is|were)\s+the\s+(?:final\s+)?score\b|"
    r"\bwho\s+won\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}(?:game|match)\b",
    re.I,
)
_SCORE = re.compile(r"\b\d{1,3}\s?[-–]\s?\d{1,3}\b")
_RESULT = re.compile(
    r"\b(?:beat|beats|defeated|defeats|lost|loses|won|wins|topped|tops|edged|edges|routed|"
    r"downed|blanked|rallied|held\s+off)\b",
    re.I,
)
# Who voted against something asked: "who voted against the garage?", "which council members
# voted no?", "who opposed the levy?", "who was the lone dissent?"; at the question's start
# ("the Quakers who opposed theatrical performances" is no such question)
_DISSENT_ASKED = re.compile(
    r"^\W*(?:and\s+)?(?:who|which\s+(?:[\w'’-]+\s+){0,2}?\w+)\s+(?:else\s+)?(?:"
    r"vot(?:ed|es?|ing)\s+(?:against|no)|(?:(?:is|are|was|were)\s+)?opposed|dissented|objected|"
    r"(?:was|were|cast)\s+the\s+(?:lone|only|sole)\s+(?:no|dissent|vote|holdout))\b",
    re.I,
)
# A vote against told: "cast the lone vote against", "voted no", "Justice Otero, in a dissent"
_DISSENT = re.compile(
    r"\b(?:vot(?:ed|es?|ing)\s+(?:against|no)\b|(?:lone|only|sole)\s+(?:[\"“']?no[\"”']?\s+)?"
    r"(?:vote|dissent)|dissent(?:ed|ing|s)?\b|opposed\b|objected\b)",
    re.I,
)
# What something costs asked: "how much will the garage cost?", "how much did the city
# spend on it?", "what is the price tag of the bridge?"; at the question's start
_COST_ASKED = re.compile(
    r"^\W*(?:and\s+)?(?:how\s+much\s+(?:money\s+)?(?:will|would|did|does|do|could|is|was|are|"
    r"were|has|have|had)\b(?:\s+[\w'’-]+){1,8}?\s+(?:cost|costs|spend|spent|pay|paid)\b|"
    r"what\s+(?:will|would|did|does|do)\b(?:\s+[\w'’-]+){1,8}?\s+cost\b|"
    r"what(?:'s|’s|s|\s+(?:is|was|will\s+be))\s+the\s+(?:total\s+|estimated\s+|projected\s+)?"
    r"(?:cost|price(?:\s+tag)?)\b)",
    re.I,
)
# A cost told: a sum of money ("$22 million", "3 billion euros", "twenty million dollars"),
# or in words ("cost twice as much", "can be read free of charge")
_COST = re.compile(
    r"[$€£¥]\s?\d|\b\d[\d,.]*\s*(?:million\s+|billion\s+|thousand\s+)?"
    r"(?:dollars|euros|pounds|yen|yuan|rupees|francs)\b|"
    rf"\b(?:{_NUMBER_WORDS})\s+(?:million\s+|billion\s+)?(?:dollars|euros|pounds)\b|"
    r"\b(?:cost(?:s|ing)?|price[sd]?|free\s+of\s+charge|fare-free)\b",
    re.I,
)
# A sentence dating something already past, whatever the story's date
_BEHIND = re.compile(
    r"\b(?:ago|yesterday|last\s+(?:week|month|year|spring|summer|fall|autumn|winter)|"
    r"earlier\s+this\s+(?:week|month|year))\b",
    re.I,
)
_YEAR = re.compile(rf"\b({_YEARS})\b")
# A month, a weekday or a year told after a verb in the past tense: "who retired in March",
# "announced Monday", "was founded in 1889" (not "need", "speed"; "expected", "scheduled" and
# "planned" tell of what is ahead, and are read as such first)
_PAST = (
    r"(?:\b\w+[^e\W]ed|\b(?:was|were|had|began|took|won|lost|held|met|left|became|came|went|"
    r"fell|rose|sold|paid|built|made|said|told|ran|struck|broke|hit|chose|grew|led)\b)"
)
# ... or after such a verb and its object, with no other verb, clause or time of its own between:
# "postponed its vote on the new harbor bridge on Tuesday" (not "voted to hold the hearing on
# March 3", "delayed the vote until May 5")
_OBJECT_WORD = (
    r"\s+(?!(?:to|that|which|who|whom|where|when|until|till|for|by|before|after|will|would|"
    r"and|but|or|is|are|be|been|being)\b)[\w'’-]+"
)
_PAST_VERB = re.compile(
    rf"{_PAST}\s+(?:(?:in|on|since|during|last|that)\s+)?(?:(?:early|late|mid)[\s-]+)?$|"
    rf"{_PAST}(?:{_OBJECT_WORD}){{1,8}}\s+(?:in|on|during)\s+(?:(?:early|late|mid)[\s-]+)?$",
    re.I,
)
_CALENDAR = re.compile(rf"\b(?:{_YEARS}|{_MONTHS}|{_DAYS})\b", re.I)
_ONE_DATE = re.compile(r"[\s,.]*(?:\d{1,2}(?:st|nd|rd|th)?[\s,.]*)?")


# A question asking why: "why did the mayor veto it?", "what caused the closure?", "what was the
# reason for the delay?", "how come the library is closing?", and a death's cause: "what did
# she die of?", "how did he die?"
_WHY_ASKED = re.compile(
    r"\bwhy\b|\bhow\s+come\b|\bfor\s+what\s+reasons?\b|\bwhat\s+(?:is|was|are|were)\s+the\s+"
    r"(?:\w+\s+)?(?:reasons?|causes?|motives?|rationale)\b|\bwhat\s+(?:caused|prompted|led\s+to|"
    r"triggered|sparked|drove)\b|\bwhat\s+did\s+.+\s+die\s+(?:of|from)\b|\bhow\s+did\s+.+\s+die\b",
    re.I,
)
# Words a news sentence gives a reason with: "because", "due to", "after a water main break",
# "citing", "blamed a cut in state aid", "voted no, saying …", "in order to", "to review", and
# a death's cause: "died of complications from pneumonia"
_REASON = re.compile(
    r"\b(?:because|due\s+to|owing\s+to|thanks\s+to|as\s+a\s+result|in\s+order\s+to|so\s+that|"
    r"after|amid|following|citing|cited|cites|blamed|blames|blaming|saying|reasons?|caused|causes|"
    r"prompted|led\s+to|concerns?\s+(?:about|over|that)|fears?\s+(?:of|that)|in\s+response\s+to|"
    r"to\s+(?:allow|give|avoid|prevent|protect|save|keep|make|ensure|review|study|reduce|cut|pay|"
    r"cover|meet|address)|died\s+(?:of|from)|killed\s+by)\b",
    re.I,
)
# And those it tells someone's reasons with: "Greer said the fee would be passed on to tenants"
_TOLD = re.compile(r"\b(?:said|says|argued|argues|explained|explains|according\s+to)\b", re.I)


def asks_why(question: str) -> bool:
    """True if the question asks for a reason or a cause."""
    return bool(_WHY_ASKED.search(question))


def gives_reason(text: str, told: bool = False) -> bool:
    """True if the text holds words a reason is given with ("because", "after", "citing");
    `told`: or words telling what someone said ("said", "argued")."""
    return bool(_REASON.search(text) or (told and _TOLD.search(text)))


def tells_ahead(text: str) -> bool:
    """True if the text tells of something still ahead ("the board would discuss next steps
    at its Dec. 3 meeting", "Sentencing is set for Jan. 9"); not "would have paid"."""
    return bool(_AHEAD.search(_WOULD_HAVE.sub(" ", text)) or _SET_FOR.search(text))


def asks_result(question: str) -> bool:
    """True if the question asks a game's result ("what was the final score?", "who won the
    bayview game?")."""
    return bool(_RESULT_ASKED.search(question))


def tells_result(text: str) -> bool:
    """True if the text tells a game's result: a score, and a verb saying who won ("The Bears
    lost 24-17 to the Kingston Knights"); not a vote ("voted 6-1")."""
    return bool(_SCORE.search(text) and _RESULT.search(text))


def asks_dissent(question: str) -> bool:
    """True if the question asks who voted against something ("who voted against the
    garage?", "which council members voted no?", "who opposed the levy?")."""
    return bool(_DISSENT_ASKED.search(question))


def tells_dissent(text: str) -> bool:
    """True if the text tells of a vote against ("cast the lone vote against", "voted no",
    "in a dissent joined by", "opposed the plan")."""
    return bool(_DISSENT.search(text))


def asks_cost(question: str) -> bool:
    """True if the question asks what something costs ("how much will the garage cost?",
    "what is the price tag?")."""
    return bool(_COST_ASKED.search(question))


def tells_cost(text: str) -> bool:
    """True if the text tells what something costs: a sum of money ("The $22 million
    project", "3 billion euros") or in words ("cost twice as much", "free of charge")."""
    return bool(_COST.search(text))


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


def asks_ahead(question: str) -> bool:
    """True if the question asks the date of something still to come."""
    return bool(_AHEAD_ASKED.search(question) or _EVENT_ASKED.search(question))


def dated_behind(sentences: list[str], published: str | None) -> bool:
    """True if the sentences date something, and every sentence that does dates something
    already past: a year before the story's ("The mill, which opened in 1922, …"), "ago",
    "last year". A sentence telling of something ahead ("will close by March") is not past,
    nor is a date the story's own date cannot place ("on Dec. 8"), unless a verb in the past
    tense tells it ("who retired in March") and every sentence is so dated: a sentence with no
    date may still say when ("starting in sixth grade")."""
    year = int(published[:4]) if published and published[:4].isdigit() else None
    dating = [s for s in sentences if _PATTERNS["date"].search(s) or _BEHIND.search(s)]
    if not dating:
        return False
    if all(_dates_only_the_past(s, year) for s in dating):
        return True
    return len(dating) == len(sentences) and all(
        _dates_only_the_past(s, year, told=True) for s in sentences
    )


def _dates_only_the_past(sentence: str, year: int | None, told: bool = False) -> bool:
    """`told`: a date after a verb in the past tense counts as past too."""
    if _AHEAD.search(sentence):
        return False
    if _BEHIND.search(sentence):
        return True
    years = [int(y) for y in _YEAR.findall(sentence)]
    if year is not None and years and max(years) < year:
        return True
    return told and _told_in_the_past(sentence)


def _told_in_the_past(sentence: str) -> bool:
    """True if each date the sentence gives follows a verb in the past tense."""
    told, end = False, None
    for mention in _CALENDAR.finditer(sentence):
        if end is not None and _ONE_DATE.fullmatch(sentence[end : mention.start()]):
            end = mention.end()  # "October 2016", "Monday, Dec. 8": the same date goes on
            continue
        if not _PAST_VERB.search(sentence[: mention.start()]):
            return False
        told, end = True, mention.end()
    return told
