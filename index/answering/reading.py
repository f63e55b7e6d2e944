"""Reading on in the stories a question's quotes come from: the words a story never uses, and
the quote some questions want first (the reason, the lede, the role's holder, the next step,
a game's result, a vote against, a cost), read from the index when the search did not find
it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from index.answering.candidates import (
    Candidate,
    is_lede,
    lexical_candidates,
    reason_of,
    story_asked_for,
    terms_in,
)
from index.answering.cues import (
    asks_cost,
    asks_dissent,
    asks_result,
    asks_why,
    gives_reason,
    tells_ahead,
    tells_cost,
    tells_dissent,
    tells_result,
)
from index.answering.question import Question
from index.answering.roles import names_holder, role_asked
from index.citation import Citation
from index.filters import Filters
from index.search.passages import Passage, PassageIndex
from index.search.schema import terms_of

# How much a word a follow-up carries from the question it follows weighs beside its own
# ("who pays for the bridge?", then "when is the vote?": the vote, of the bridge)
CARRIED_SHARE = 0.5
# Words of a role a quote must name its holder by to come before the quotes the model prefers
ROLE_WORDS_ANSWERED = 2
TOLD_STORIES = 3  # asked a game's result, a vote against or a cost: the stories read for it


@dataclass(frozen=True)
class _Telling:
    """A kind of fact a question may ask for first: how a question asks it, how a quote tells
    it, and the words asking it (which the quote's story need not use)."""

    asks: Callable[[str], bool]
    tells: Callable[[str], bool]
    asking: frozenset[str]


_TOLD_FIRST = (
    _Telling(asks_result, tells_result, frozenset("final score scores won win wins".split())),
    _Telling(
        asks_dissent,
        tells_dissent,
        frozenset("voted vote votes voting against no opposed dissented objected lone".split()),
    ),
    _Telling(
        asks_cost,
        tells_cost,
        frozenset(
            "much money cost costs spend spent pay paid price tag total estimated projected".split()
        ),
    ),
)


class StoryReading:
    """Reads on in the stories of a question's quotes, over one passage index."""

    def __init__(self, passages: PassageIndex):
        self._passages = passages

    def never_said(
        self, question: Question, cited: dict[str, Citation], read: list[Candidate]
    ) -> dict[str, tuple[str, ...]]:
        """{story: the words of the question it never uses} for each story `cited`. The
        passages `read` for the answer settle most words; the index is searched only for the
        rest."""
        asked = {word: set(terms) for word in question.naming if (terms := terms_of(word))}
        if not asked:
            return dict.fromkeys(cited, ())
        seen = {
            story: set(terms_in(c.title) | terms_in(c.source or "")) for story, c in cited.items()
        }
        for candidate in read:
            passage = candidate.passage
            if passage.article_id in seen:
                texts = (passage.text, passage.heading or "", *passage.beside)
                seen[passage.article_id].update(*map(terms_in, texts))
        terms = set().union(*asked.values())
        unsettled = {story: terms - held for story, held in seen.items() if terms - held}
        if unsettled:
            found = self._passages.held_by(unsettled, set().union(*unsettled.values()))
            for story, held in found.items():
                seen[story] |= held
        return {
            story: tuple(word for word, terms in asked.items() if not terms & held)
            for story, held in seen.items()
        }

    def role_holder(
        self, question: Question, ranked: list[Candidate], answered: bool
    ) -> Candidate | None:
        """Asked who holds a role ("who is the transit general manager?"), the best quote
        naming a person by it ("…, general manager Paul Ng said."), of a story using every
        word of the question. The relevance model reads such an attribution as a sentence
        about what was said, and would decline. When it would answer anyway, only a quote
        naming the role by two words or more takes the first place ("Chief executive Nina
        Vogel", before the lede naming Harlow Tech): one word ("author", "founder") names
        too many people in a long article ("Leopold Kohr, author of the 1957 book …")."""
        role = role_asked(question.text)
        if role is None:
            return None
        fewest = ROLE_WORDS_ANSWERED if answered else min(len(role), ROLE_WORDS_ANSWERED)
        for candidate in ranked:
            if names_holder(candidate.text, role, fewest):
                passage = candidate.passage
                cited = {passage.article_id: passage.citation}
                if not self.never_said(question, cited, ranked)[passage.article_id]:
                    return candidate
        return None

    def next_step(self, question: Question, ranked: list[Candidate]) -> Candidate | None:
        """Asked what comes next for a subject ("what's next for the levy?"), the first
        paragraph after the lede that tells of something ahead ("the board would discuss next
        steps at its Dec. 3 meeting"), of the best-quoted story whose headline names the
        subject, else of the best quote's if it does, read from the index: it need not name
        the subject again. Asked only of a story near enough to be offered as the nearest."""
        asked = {t for word in question.next_of for t in terms_of(word)}
        if not asked:
            return None
        best = ranked[0].passage
        story = next(
            (c.passage for c in ranked if asked <= terms_in(c.passage.citation.title)),
            best if asked <= terms_in(best.text) else None,
        )
        if story is None:
            return None
        return self._first_telling(
            question, self._passages.paragraphs(story.article_id)[1:], tells_ahead
        )

    def told_first(self, question: Question, ranked: list[Candidate]) -> Candidate | None:
        """Asked a game's result ("what was the final score?"), who voted against something
        ("who voted against the garage?") or what something costs ("how much will the garage
        cost?"), the best quote telling it (a score and who won: "The Bayview Bears lost 24-17
        to the Kingston Knights"; a vote against: "Council member Gina Alvarez cast the lone
        vote against"; a cost: "The $22 million project", "cost twice as much"), else the
        first paragraph telling it of the best-quoted stories, read from the index; only of a
        story that uses every word of the question but those asking it ("the first match" is
        no game its story tells of; "the garage" is named in the lede, not beside the vote
        against it)."""
        kind = next((kind for kind in _TOLD_FIRST if kind.asks(question.text)), None)
        if kind is None:
            return None
        cited = {c.passage.article_id: c.passage.citation for c in reversed(ranked)}
        missing = self.never_said(question, cited, ranked)
        about = [  # the stories that use every word of the question but those asking it
            story
            for story in dict.fromkeys(c.passage.article_id for c in ranked)
            if not {w.lower() for w in missing[story]} - kind.asking
        ]
        told = next(
            (c for c in ranked if c.passage.article_id in about and kind.tells(c.text)), None
        )
        if told is not None:
            return told
        for story in about[:TOLD_STORIES]:
            paragraphs = self._passages.paragraphs(story)
            if (found := self._first_telling(question, paragraphs, kind.tells)) is not None:
                return found
        return None

    def _first_telling(
        self, question: Question, paragraphs: list[Passage], tells: Callable[[str], bool]
    ) -> Candidate | None:
        """The first quote of these paragraphs, in order, of which `tells` holds."""
        for passage in paragraphs:
            if tells(passage.text):
                read = lexical_candidates(question, [passage], self.weights(question))
                found = next((c for c in read if tells(c.text)), None)
                if found is not None:
                    return found
        return None

    def weights(self, question: Question) -> dict[str, float]:
        """How much each of the question's index terms counts in a quote."""
        terms = list(dict.fromkeys(t for word in question.words for t in terms_of(word)))
        return _carried_lighter(question, self._passages.weights(terms))

    def reason_first(self, question: Question, ranked: list[Candidate]) -> list[Candidate]:
        """Asked why, when the best quote is its story's whole lede and gives no reason, the
        quote of that story that gives one comes first, with the lede's score (`reason_of`): a
        lede says what happened ("The library will close on Sundays"), a later paragraph why;
        often the next one, in words of its own ("The decision came after a water main
        break"), read from the index when the search did not find it. Not a window of a long
        opening paragraph (an encyclopedia's), which answers in its own way."""
        best = ranked[0]
        if not asks_why(question.text) or not is_lede(best) or gives_reason(best.text):
            return ranked
        story, number = best.passage.article_id, best.passage.paragraph + 1
        following = next(
            (c for c in ranked if c.passage.article_id == story and c.passage.paragraph == number),
            None,
        )
        if following is None and gives_reason(best.passage.beside[1], told=True):
            passage = self._passages.paragraph(story, number)
            read = (
                lexical_candidates(question, [passage], self.weights(question)) if passage else []
            )
            following = next((c for c in read if gives_reason(c.text, told=True)), None)
        reason = reason_of(ranked, following)
        if reason is None:
            return ranked
        reason.score = best.score
        return [reason] + [c for c in ranked if c is not reason]

    def lede_first(self, question: Question, ranked: list[Candidate]) -> list[Candidate]:
        """Asked for the news of a subject ("the latest on the bridge", "library hours"), that
        story's first paragraph first (`story_asked_for`), read from the index if no quote of
        it was found: a news story's lede says what happened."""
        story = story_asked_for(question, ranked)
        if story is None:
            return ranked
        lede = next(
            (c for c in ranked if c.passage.article_id == story and c.passage.paragraph == 1), None
        )
        if lede is None:
            first = self._passages.stories(Filters(article=story), limit=1)
            read = [p for p in first if p.paragraph == 1]
            windows = lexical_candidates(question, read, self.weights(question))
            if not windows:
                return ranked
            lede = windows[0]
        lede.score = ranked[0].score
        return [lede] + [c for c in ranked if c is not lede]


def _carried_lighter(question: Question, weights: dict[str, float]) -> dict[str, float]:
    """A follow-up's own words say what it asks; those it carries from the question it follows
    say what about, and weigh `CARRIED_SHARE` of their weight."""
    if not question.carried:
        return weights
    carried = {t for word in question.carried for t in terms_of(word)}
    own = {t for word in question.words if word not in question.carried for t in terms_of(word)}
    return {t: w * CARRIED_SHARE if t in carried - own else w for t, w in weights.items()}
