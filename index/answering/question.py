"""A user's question -> its content words; never raw query syntax."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from index.dates import NotADate, date_bounds, source_date
from index.errors import QuestionError
from index.filters import Filters

MAX_QUESTION_CHARS = 1000
_WORD = re.compile(r"\w+(?:['’.&]\w+)*")
# Words that shape a question but say nothing about its subject: never what a passage is
# ranked on. Question words stay in Question.text, where the answer-type cues read them.
FILLER = frozenset(
    """
    a about according all also am an and any anything are article articles as at be been
    being can could describe did do does doing explain find for from get give go had has have
    he her hers him his how i if in into is it its know let many me mention mentioned mentions
    much my
    of on or our piece please report reported reporting reports said say says she should show
    so some something story stories tell than that the their theirs them then there these they
    this those to told us was we were what whats when where which who whom whose why will with
    would you your
    arent hows isnt thats theres wasnt whens wheres whos whys
    """.split()
)


_FILTER = re.compile(
    r"(?<!\S)(author|source|since|until|in):(?:\"([^\"]*)\"?|“([^”]*)”?|(\S+))", re.IGNORECASE
)
_POSSESSIVE = re.compile(r"['’]s?$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# Questions about an article rather than about the news in it, and the field that answers them;
# "who wrote the poem ..." is about the news, "who wrote the article about ..." is not, and
# neither is "when was the Annual Homeless Assessment Report released?" (a title, capitalised)
# or "what newspaper did Pulitzer buy?" (a newspaper in the news, not the one that ran a story).
_PIECES = r"article|story|piece|report|column|op-?ed|coverage|feature|editorial"
_PIECE = rf"(?P<piece>{_PIECES})s?"
_OUTLET = r"(outlet|publication|news\s?paper|news\s+(site|outlet|organi[sz]ation)|website)"
_END = r"\s*[?.!]*\s*$"
_IT = rf"(it|this|that)(\s+one)?{_END}"
_ABOUT = (
    (
        re.compile(
            rf"^\s*who\s+(wrote|authored|penned|reported|filed|(is|was)\s+the\s+(author|writer|"
            rf"reporter)\s+of)\s+(the|this|that|a|an)\s+(\w+\s+){{0,3}}?{_PIECE}\b",
            re.I,
        ),
        "author",
    ),
    (
        re.compile(
            rf"^\s*(when|what\s+date|what\s+day)\s+(was|were|did)\s+(the|this|that|a|an)\s+"
            rf"(\w+\s+){{0,3}}?{_PIECE}\b.*\b(published|posted|written|released|come\s+out|"
            rf"appear(ed)?|run)\b",
            re.I,
        ),
        "published",
    ),
    (
        # "when did the Gazette publish the cleanup story?" (not "... the mayor's report")
        re.compile(
            r"^\s*(when|what\s+date|what\s+day)\s+did\s+(the\s+)?\w+(\s+\w+)?\s+(publish|post|"
            r"run|print)\s+(the|this|that|its|their|his|her|a|an)\s+(\w+\s+){0,3}?"
            r"(?P<piece>article|story|piece|column|op-?ed|editorial)s?\b",
            re.I,
        ),
        "published",
    ),
    (
        re.compile(
            rf"^\s*(which|what)\s+{_OUTLET}\s+(published|ran|carried|printed|posted|reported|"
            rf"wrote|covered|broke|(is|was)\s+(it|this|that|the)\s+((\w+\s+){{0,3}}?({_PIECES})s?"
            rf"|from))\b|"
            rf"^\s*who\s+(published|ran|carried)\s+(the|this|that)\s+(\w+\s+){{0,3}}?{_PIECE}\b",
            re.I,
        ),
        "source",
    ),
    # "who wrote it?", "when was it published?", "which outlet ran it?": in a thread, its story's
    (re.compile(rf"^\s*who\s+(wrote|authored|penned|reported|filed)\s+{_IT}", re.I), "author"),
    (
        re.compile(
            rf"^\s*(when|what\s+date|what\s+day)\s+(was|were)\s+(it|this|that)\s+(published|"
            rf"posted|written|released){_END}|^\s*when\s+did\s+(it|this|that)\s+(come\s+out|run|"
            rf"appear){_END}",
            re.I,
        ),
        "published",
    ),
    (
        re.compile(
            rf"^\s*((which|what)\s+{_OUTLET}|who)\s+(published|ran|carried|printed|posted)\s+{_IT}",
            re.I,
        ),
        "source",
    ),
)
# "and who wrote it?", "so when was it published?": how a reply in a thread may open
_OPENING = re.compile(r"^\s*((and|so|but|then|also|ok|okay|well)\b[,\s]*)+", re.I)
# "the latest on the bridge", "any news about the strike", "what's going on with the dam",
# "what happened to the vote": how a question asks about a subject, in words no story needs to hold
_SUMMARY = r"\b(summari[sz]e|sum\s+up|recap|(summary|gist|rundown|overview|recap)\s+(of|on))\b"
_NEWS_OF = re.compile(
    r"\b(latest\s+(news|updates?|developments?)|latest|news|new|updates?|developments?|"
    r"going\s+on|happening|happened)\s+(on|about|regarding|concerning|with|to)\b|" + _SUMMARY,
    re.I,
)
# Of those, the ones asking for a story's news itself ("what's new with the library?",
# "summarize the bridge story"), which its lede tells; not "what happened to the Greeks?" nor
# "replaced advertising with news on the front page"
_NEWS_ASKED = re.compile(
    r"(^|\b(the|any|what['’]?s|what\s+is)\s+)(latest\s+)?(latest|news|new|updates|developments)\s+"
    r"(on|about|regarding|concerning|with)\b|\bgoing\s+on\s+with\b|" + _SUMMARY,
    re.I,
)
_ABOUT_FILLER = frozenset(
    "wrote written write authored author writer penned reported reporter filed published publish "
    "posted released appeared appear ran run carried outlet publication newspaper paper site "
    "website news organization organisation come out date day story stories piece report column "
    "coverage feature editorial".split()
)
# "who wrote about the library?", "which reporter covered the strike?": in a newsroom's archive
# its reporters, where the articles record bylines; in one that records none, a question about
# the news ("who wrote about the distillation of sea water?" asks for a scholar)
_JOURNALIST = r"(reporter|journalist|writer|correspondent|columnist)s?"
_JOURNALISTS = frozenset(
    "reporter reporters journalist journalists writer writers correspondent correspondents "
    "columnist columnists".split()
)
_WROTE = r"((has|have|had)\s+)?(wrote|written|writes?|reported|reports?|covered|covers?)"
# "who covered the vote?" asks for a reporter; "who covered the cost?", "who covered for her?",
# "who covered it up?" do not: covering a sum is paying it
_MONEY = (
    r"(costs?|bills?|tabs?|expenses?|fees?|prices?|shortfalls?|deficits?|debts?|damages?|"
    r"loss(es)?|gaps?|tuition|rent|payroll|salar(y|ies)|wages?|premiums?|bail|overruns?)"
)
_BYLINES = re.compile(
    rf"^\s*(who|which\s+{_JOURNALIST})\s+{_WROTE}\s+(about|on)\b|"
    rf"^\s*which\s+{_JOURNALIST}\s+{_WROTE}\b|"
    rf"^\s*who\s+((has|have|had)\s+)?(covered|covers)\s+(?!(for|up)\b)"
    rf"(?!(\S+\s+){{0,4}}?{_MONEY}\b)(?!(\S+\s+){{1,3}}?up\b)\w|"
    r"^\s*who(\s+(is|was|has\s+been|have\s+been)|['’]s)\s+(covering|reporting\s+on|"
    r"writing\s+about)\b",
    re.I,
)

# What a question asking for someone's or some outlet's stories says besides the name ("what
# has Mei Lin written lately?", "who is Mei Lin?", "latest stories by the Gazette")
_STORIES_OF = _ABOUT_FILLER | frozenset(
    "by write writes writing cover covers covered covering work works articles pieces reports "
    "columns latest recent recently lately new newest last headlines today".split()
)
# Asked with nothing else, these ask for the newest stories: "what's new?", "any news?"
_NEWEST = frozenset("latest recent new newest news headlines".split())

# Words that make a question of what is typed; without them it is a topic, "?" or none
_AUXILIARIES = r"is|are|was|were|do|does|did|can|could|will|would|should|has|have|had"
_ASKING_WORDS = re.compile(
    rf"\b(who|whom|whose|whos|what|whats|when|whens|where|wheres|why|whys|how|hows|which|"
    rf"{_AUXILIARIES})\b",
    re.I,
)
# "what happened to the rental ban?", "what's happening in Pellham?": asked of a news archive,
# the story of the subject, if a headline names it (not "what happened to the Greek population?")
_HAPPENED = re.compile(
    r"^\s*what(?:['’]?s|\s+is|\s+has\s+been)?\s+(?:happened|happening)\s+(?:to|in|at|with)\s+"
    r"(?P<subject>[^?]+?)\s*\??\s*$",
    re.I,
)
# "what's next for the levy?", "what happens now with the bridge?", "what are the next steps
# for the library?", "what happens to Heller next?", "what will the city do now?": what a
# subject's story says comes next
_NEXT_ASKED = re.compile(
    r"^\s*what(?:['’]?s|\s+is|\s+are|\s+happens|\s+comes)\s+(?:the\s+)?(?:next|now)"
    r"(?:\s+steps?)?\s+(?:for|with|in|on|to|about)\s+(?P<subject>[^?]+?)\s*\??\s*$|"
    r"^\s*what\s+(?:happens|comes)\s+(?:to|with|for)\s+(?P<then>[^?]+?)\s+(?:next|now)\s*\??\s*$|"
    r"^\s*what\s+(?:will|would|does|do|is|are)\s+(?P<actor>[^?]+?)\s+(?:do|doing)\s+"
    r"(?:now|next)\s*\??\s*$",
    re.I,
)
# "happens" and "comes" only frame such a question: no story needs to hold them
_NEXT_FRAME = re.compile(r"\b(?:happens|comes)\b(?=.*\b(?:next|now)\b)", re.I)
# A question to be answered yes or no states a claim: "is the transit pass $75 a month?"
_CLAIM = re.compile(rf"^\s*({_AUXILIARIES})\b|\bis\s+it\s+true\b", re.I)
# The words that frame a question rather than say what it is about: the measure "how" asks for
# ("how long", "how big"), the kind of answer it wants ("what kind of", "what year", "what is
# the name of", "what is it called"), when or whether it asks ("right now", "still", "is it
# true", "the last time", "going to"), and a follow-up's "by how much?", "since when?", "what
# else?"
_FRAME = re.compile(
    r"\bhow\s+(long|big|old|far|often|soon|late|early|large|tall|high|deep|fast|quickly|wide|"
    r"small|hot|cold|bad|serious|close|heavy|expensive|strong|likely|severe)\b|"
    r"\b(?:what|which)(?:['’]?s|\s+(?:is|was|are|were))?\s+(?:the\s+)?(kind|kinds|type|types|"
    r"sort|name|names|nickname|term|percentage|percent|proportion|year|month|day|date|entity|"
    r"person|location|amount|number)\b|"
    r"\b(called|named|referred|known)(?:\s+(?:to|as))*\s*[?.!]*\s*$|"
    r"\b(going)\s+to\b|\b(last|first|next)\s+(time)\b|\b(since|until)\s+when\b",
    re.I,
)
_FRAMING = frozenset(
    "now right still already ever yet again true really actually currently else exactly by".split()
)


@dataclass(frozen=True)
class Question:
    """A question as asked, the words a passage must be found by, and its filters."""

    text: str
    words: tuple[str, ...]
    filters: Filters = field(default_factory=Filters)
    about: str | None = None  # an article field the question asks for: author, published, source
    news_of: bool = False  # asks for the news of a subject ("the latest on the bridge")
    bylines: bool = False  # asks who wrote about a subject: see `as_byline_question`
    earlier: str = ""  # the question a follow-up follows, which gives its words their sense
    carried: tuple[str, ...] = ()  # the words of `words` a follow-up takes from `earlier`
    # A follow-up to a question none of whose named authors' or outlets' stories answered it
    # (the answer offered the rest of the archive's nearest story): it leaves those names
    names_left: bool = False
    # Words searched in another form than typed, (typed, searched): "died" as "death", of an
    # archive whose stories say "death" but never "died"
    searched_as: tuple[tuple[str, str], ...] = ()

    @property
    def subject(self) -> tuple[str, ...]:
        """The words naming a subject whose story it asks for without asking anything of it: a
        topic ("library hours", "bridge?"), or what happened to one ("what happened to the
        rental ban?", "what's happening in Pellham?"); none for any other question."""
        if _ASKING_WORDS.search(self.text) is None:
            return self.words
        happened = _HAPPENED.match(_OPENING.sub("", self.text))  # "and what happened to …"
        if happened is None:
            return ()
        named = set(_WORD.findall(happened.group("subject")))
        return tuple(w for w in self.words if w in named)

    @property
    def next_of(self) -> tuple[str, ...]:
        """The words naming a subject whose next step it asks for ("what's next for the
        levy?"); none for any other question."""
        asked = _NEXT_ASKED.match(_OPENING.sub("", self.text))
        if asked is None:
            return ()
        named = set(_WORD.findall(asked["subject"] or asked["then"] or asked["actor"]))
        return tuple(w for w in self.words if w in named)

    @property
    def naming(self) -> tuple[str, ...]:
        """The words it asks about, as typed: its own (not those a follow-up carries), without
        the words that frame it ("how long", "right now", "is it true", "the last time")."""
        framed = {word.lower() for m in _FRAME.finditer(self.text) for word in m.groups() if word}
        framing = _FRAMING | framed
        own = self.words[: len(self.words) - len(self.carried)]
        return tuple(dict.fromkeys(w for w in own if w.lower() not in framing))

    @property
    def checks_claim(self) -> bool:
        """True if it asks whether something is so ("did 500 volunteers join?"): a number or a
        day in it is what to check, not what the story must hold."""
        return _CLAIM.search(self.text) is not None

    @property
    def read_as(self) -> str:
        """What the relevance model reads: the question; a follow-up with no words of its own
        to ask about ("and what did they say?", "by how much?", "for how long?", "since
        when?") after the question it follows."""
        return f"{self.earlier}\n{self.text}" if self.earlier and not self.naming else self.text

    def content_spans(self) -> list[tuple[int, int]]:
        """Where the words it asks about sit in `read_as` (question words and filler left out)."""
        content = set(self.words)
        return [m.span() for m in _WORD.finditer(self.read_as) if m.group(0) in content]


def parse_question(text: str, max_chars: int = MAX_QUESTION_CHARS) -> Question:
    """Read a question typed by a person: punctuation and operators are just characters.

    `author:NAME`, `source:OUTLET`, `since:YYYY-MM-DD`, `until:YYYY-MM-DD` and
    `in:"words of a title"` restrict the articles quoted; other `word:word` pairs are words.
    """
    text = _printable(text).strip()
    if not text:
        raise QuestionError("The question is empty: type a few words about what you want to know.")
    if len(text) > max_chars:
        raise QuestionError(
            f"The question is {len(text):,} characters long; the limit is {max_chars:,}. "
            "Ask it in fewer words."
        )
    filters, rest = _filters(text)
    opened = _OPENING.sub("", rest)  # "and who wrote it?" asks what "who wrote it?" asks
    about = _asks_about(opened)
    skip = FILLER | _ABOUT_FILLER if about else FILLER
    searched = _NEXT_FRAME.sub(" ", _NEWS_OF.sub(" ", rest))
    words = [w for w in _WORD.findall(searched) if _bare(w) not in skip]
    news_of = _NEWS_ASKED.search(rest) is not None
    bylines = not about and _BYLINES.search(opened) is not None
    return Question(
        text=text,
        words=tuple(words),
        filters=filters,
        about=about,
        news_of=news_of,
        bylines=bylines,
    )


def as_byline_question(question: Question) -> Question:
    """ "who wrote about the library?" read as a question about the bylines of the library's
    stories: what it names without the words that ask for their writers."""
    words = tuple(w for w in question.words if _bare(w) not in _STORIES_OF | _JOURNALISTS)
    return replace(question, about="author", words=words, bylines=False)


def _asks_about(text: str) -> str | None:
    """The article field a question asks for, if it asks about an article, not the news."""
    for pattern, name in _ABOUT:
        match = pattern.search(text)
        if match is None:
            continue
        piece = match.groupdict().get("piece") or ""
        if piece[:1].isupper() and not text.isupper():  # "the ... Report": a title in the news
            return None
        return name
    return None


def by_record_names(question: Question, named: dict[str, tuple[str, str]]) -> Question:
    """The question with the words that name an author or an outlet ({word: ("author" or
    "source", the name as the records spell it)}) read as filters, and without the words that
    ask for their work: "what did Mei Lin write about the river?" asks author:"mei lin" about
    the river. A filter the question sets itself stays."""
    names: dict[str, list[str]] = {}
    for word in question.words:
        if word in named:
            field, name = named[word]
            names.setdefault(field, []).append(name)
    filters = replace(
        question.filters,
        **{f: " ".join(ws) for f, ws in names.items() if not getattr(question.filters, f)},
    )
    words = tuple(w for w in question.words if w not in named and _bare(w) not in _STORIES_OF)
    return replace(question, words=words, filters=filters)


def asks_for_stories(question: Question) -> bool:
    """True if the question asks only for stories, newest first: those its filters allow (it
    names an author or an outlet and nothing else: "who is Mei Lin?", "what has the Gazette
    published?"), or any ("what's new?", "the latest headlines")."""
    words = [_bare(w) for w in question.words]
    if not all(w in _STORIES_OF for w in words):
        return False
    return bool(question.filters) or any(w in _NEWEST for w in words)


def without_possessive(word: str) -> str:
    """ "Piketty's" -> "Piketty", "UMC’s" -> "UMC", "Hopkins'" -> "Hopkins"."""
    return _POSSESSIVE.sub("", word)


def _bare(word: str) -> str:
    """A word as the filler list spells it: lower case, without apostrophes (what's -> whats)."""
    return word.lower().replace("’", "").replace("'", "")


def _filters(text: str) -> tuple[Filters, str]:
    """The filters in a question, and the question without them."""
    found: dict[str, str] = {}
    for match in _FILTER.finditer(text):
        name = match.group(1).lower()
        value = next(v for v in match.groups()[1:] if v is not None).strip()
        if name in ("since", "until"):
            value = _day(name, value)
        found[{"in": "title"}.get(name, name)] = value
    return Filters(**found), _FILTER.sub(" ", text)


def _day(name: str, value: str) -> str:
    """The day a since: or until: filter means: a year or a month from its first day (since)
    or to its last (until)."""
    try:
        if not _DATE.match(value):
            raise NotADate(value)
        first, last = date_bounds(source_date(value))
    except (NotADate, ValueError):
        example = f"{name}:2025-08-24, {name}:2025-08 or {name}:2025"
        raise QuestionError(f"{name}: needs a date written YYYY-MM-DD, like {example}") from None
    return first if name == "since" else last


def _printable(text: str) -> str:
    """Control and format characters become spaces; letters of every script stay."""
    return "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Cs") else c for c in text)


def follow_up(question: Question, first: Question, *, leave_names: bool = False) -> Question:
    """A follow-up ("and who pays for it?") read in the context of its thread's first question:
    its own words first, then the first question's words it does not repeat.

    `leave_names`: none of the stories of the authors or outlets the first question named
    answered it, and the answer offered another's ("Nothing from Valley Wire answers that. The
    nearest story is …"): the follow-up ("who wrote it?") is about that story, not theirs."""
    if asks_for_stories(question) and not question.filters:  # "what's the latest?": on it
        question = replace(question, words=(), news_of=True)
    own = {w.lower() for w in question.words}
    carried = tuple(w for w in first.words if w.lower() not in own)
    filters = question.filters or first.filters
    if leave_names and not question.filters:
        filters = replace(filters, author=None, source=None)
    return replace(
        question,
        words=question.words + carried,
        filters=filters,
        earlier=first.read_as,
        carried=carried,
        names_left=leave_names,
    )


def without_carried_names(question: Question, named: dict[str, str]) -> Question:
    """A follow-up without the words it carries that name an author or an outlet ({word: "author"
    or "source"}) when it names its own of that kind ("and what did the Gazette say?" after
    asking what the Valley Wire said) or leaves the first question's (`names_left`); with them
    go those that asked for their work ("what did Dev Patel write …")."""
    own = {named[w] for w in question.words if w in named and w not in question.carried}
    left = {w for w in question.carried if w in named and (question.names_left or named[w] in own)}
    if not left:
        return question
    left |= {w for w in question.carried if _bare(w) in _STORIES_OF}
    return replace(
        question,
        words=tuple(w for w in question.words if w not in left),
        carried=tuple(w for w in question.carried if w not in left),
    )
