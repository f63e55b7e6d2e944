"""Question -> Answer: ranked, trimmed, verbatim quotes with citations, or an honest nothing."""

from __future__ import annotations

from dataclasses import replace

from index.answering.answers import Answer, Fact, Quote
from index.answering.candidates import (
    DEPTH,
    Candidate,
    answerable,
    lexical_candidates,
    rank,
)
from index.answering.derivation import made_from, made_into
from index.answering.dictionary import is_english, load_word_list
from index.answering.encoder import Encoder, shared_encoder
from index.answering.question import (
    Question,
    as_byline_question,
    asks_for_stories,
    by_record_names,
    without_carried_names,
)
from index.answering.quotes import Window, quote_text, with_antecedent
from index.answering.ranker import Ranking, trained
from index.answering.reading import StoryReading
from index.answering.shorthand import is_acronym
from index.answering.spelling import (
    MAX_CORRECTIONS,
    close_word,
    corrected,
    is_count,
    is_subject,
    is_value,
    may_name,
)
from index.filters import Filters
from index.search.passages import Passage, PassageIndex
from index.search.schema import term_spans, terms_of

# Finding the story a question about an article's record means ("who wrote the library
# story?"): its headline weighs as much as its text, so a story that mentions the library in
# passing does not take the place of the one about it
STORY_HEADLINE = 1.0
PEER_GAP = 1.0  # articles whose best quote scores within this of the top one (logits) take turns
# "who wrote about the budget?": the bylines of up to this many stories, each found with at least
# this share of the best one's search score
BYLINE_STORIES = 3
BYLINE_SHARE = 0.5


class Answerer:
    """Finds and quotes the passages that answer questions, over one passage index.

    `ranking` is the learned ranking (the repository's by default); `encoder` the embedding
    model (the process's one by default; None with `semantic=False`: lexical ranking only)."""

    def __init__(
        self,
        passages: PassageIndex,
        ranking: Ranking | None = None,
        encoder: Encoder | None = None,
        *,
        semantic: bool = True,
    ):
        self._passages = passages
        self._reading = StoryReading(passages)
        self._ranking = ranking or trained()
        self._encoder = (encoder or shared_encoder()) if semantic else None

    def warm_up(self) -> None:
        """Load the relevance model and the word list now: a broken install fails here, and no
        question waits."""
        if self._encoder is not None:
            self._encoder.load()
        load_word_list()

    def answer(self, question: Question, limit: int = 5) -> Answer:
        return self.explain(question, limit)[0]

    def explain(self, question: Question, limit: int = 5) -> tuple[Answer, list[Candidate]]:
        """The answer, and the candidates its quotes were chosen from (best first)."""
        unknown = self.unknown_words(question)
        named = self._record_names(question, unknown)
        if question.carried and named:
            question = without_carried_names(question, {w: n[0] for w, n in named.items()})
            named = {w: n for w, n in named.items() if w in question.words}
            unknown = [w for w in unknown if w in question.words]
        if named:
            question = by_record_names(
                question, {w: (field, name) for w, (field, name, _) in named.items()}
            )
            unknown = [w for w in unknown if w not in named]
        slips = {w: name for w, (_, name, exact) in named.items() if not exact}
        asks_record = question.about or question.bylines
        if asks_record and (recorded := self._from_records(question, unknown)) is not None:
            return _told_name_slips(recorded, slips), []
        answer, found = self._answer_words(question, unknown, limit)
        if (
            not answer.quotes
            and not answer.facts
            and (question.filters.author or question.filters.source)
        ):
            answer = self._beyond_names(question, unknown, limit, answer)
        return _told_name_slips(answer, slips), found

    def _beyond_names(
        self, question: Question, unknown: list[str], limit: int, answer: Answer
    ) -> Answer:
        """Asked of one author's or outlet's stories, none of which answers ("what did the Valley
        Wire say about the river cleanup?"): whose stories they were, and as the nearest story
        the one of the rest of the archive that answers, if one does."""
        filters = question.filters
        named = self._passages.stories(
            Filters(author=filters.author, source=filters.source), limit=1
        )
        if not named:  # no story is theirs: the name itself is the news
            return answer
        cited = named[0].citation
        within = tuple(
            (field, name)
            for field, name in (
                ("author", cited.author if filters.author else None),
                ("source", (cited.source or cited.domain) if filters.source else None),
            )
            if name
        )
        rest = replace(question, filters=replace(filters, author=None, source=None))
        elsewhere, _ = self._answer_words(rest, unknown, limit)
        nearest = elsewhere.quotes[0].citation if elsewhere.quotes else answer.nearest
        return replace(answer, within=within, nearest=nearest)

    def _answer_words(
        self, question: Question, unknown: list[str], limit: int
    ) -> tuple[Answer, list[Candidate]]:
        """The answer to a question whose words no passage holds are `unknown`."""
        if asks_for_stories(question):
            return Answer(question.text, (), facts=self._stories(question, limit)), []
        if counts := [w for w in unknown if is_count(w)]:  # "the 3 reasons": it matches nothing
            question = replace(question, words=tuple(w for w in question.words if w not in counts))
            unknown = [w for w in unknown if w not in counts]
        knows = self._passages.knows
        if made := {w: f for w in unknown if (f := made_from(w, knows) or made_into(w, knows))}:
            # "what caused the closure?" of a story saying "closed", "who sued?" of one saying
            # "lawsuit"; the model reads it as typed
            question = replace(
                question,
                words=tuple(made.get(w, w) for w in question.words),
                searched_as=question.searched_as + tuple(made.items()),
            )
            unknown = [w for w in unknown if w not in made]
        # A word only a headline holds ("storm", of a story whose text says "thunderstorms") is
        # no slip and no subject the archive lacks: `candidates` searches the headlines for it
        unknown = [w for w in unknown if not self._passages.headlines_hold(w)][:MAX_CORRECTIONS]
        corrections = {word: close_word(self._passages, word, question.text) for word in unknown}
        # A name or a number that no article contains, and that is no misspelling of one it
        # does, is a subject the archive does not cover: quoting the rest would mislead. But a
        # number or a day in a claim to check is what the stories may say otherwise: "is the
        # transit pass $75 a month?" is answered by "$65 a month".
        missing = [
            w for w, close in corrections.items() if not close and is_subject(w, question.text)
        ]
        if question.checks_claim and (checked := [w for w in missing if is_value(w)]):
            question = replace(question, words=tuple(w for w in question.words if w not in checked))
            missing = [w for w in missing if w not in checked]
        correction = corrected(question, corrections)
        if missing:
            return Answer(question.text, (), correction.text if correction else None), []
        if correction is not None:
            found = self.candidates(correction)
            answer = self._decide(question.text, found, limit, correction)
            if answer.quotes:
                return replace(answer, suggestion=correction.text, corrected=correction.text), found
        found = self.candidates(question)
        answer = self._decide(question.text, found, limit, question)
        if correction is not None and not answer.quotes:
            return replace(answer, suggestion=correction.text), found
        return answer, found

    def unknown_words(self, question: Question) -> list[str]:
        """The question's words that no passage holds (an acronym: as typed)."""
        passages = self._passages
        return [
            word
            for word in question.words
            if not passages.knows(word) or (is_acronym(word) and not passages.writes(word))
        ]

    def candidates(self, question: Question) -> list[Candidate]:
        """Every quote worth considering, most likely to answer first."""
        headlined = any(
            not self._passages.knows(w) and self._passages.headlines_hold(w) for w in question.words
        )
        passages = self._passages.search(
            question.words,
            limit=DEPTH,
            filters=question.filters,
            headline=STORY_HEADLINE if headlined else 0.0,
            beside=True,
        )
        if not passages:
            return []
        found = lexical_candidates(question, passages, self._reading.weights(question))
        return rank(question, found, self._ranking, self._encoder)

    def _decide(
        self, question: str, ranked: list[Candidate], limit: int, asked: Question
    ) -> Answer:
        """Quotes when the archive likely answers; else none, and the nearest story if close.
        Asked for a story's news, its lede comes first."""
        if not ranked:
            return Answer(question, ())
        ranking = self._ranking
        if self._encoder is None:  # the lexical stage alone ranks, for comparison; it never refuses
            quotes = _choose(self._reading.lede_first(asked, ranked), limit)
            return Answer(question, self._unmentioned(asked, quotes, ranked))
        sure = ranking.answerable.probability(_question_features(ranked))
        first = self._reading.role_holder(
            asked, ranked, sure >= ranking.answer_bar
        ) or self._reading.told_first(asked, ranked)
        if first is None and sure >= ranking.nearest_bar:  # a story near enough to offer
            first = self._reading.next_step(asked, ranked)
        if sure < ranking.answer_bar and first is None:
            near = ranked[0].passage.citation if sure >= ranking.nearest_bar else None
            return Answer(question, (), confidence=sure, nearest=near)
        if first is not None:
            first.score = ranked[0].score
            ranked = [first] + [c for c in ranked if c is not first]
        ranked = self._reading.reason_first(asked, ranked)
        likely = [c for c in ranked if c.score >= ranked[0].score - ranking.quote_gap]
        quotes = _choose(self._reading.lede_first(asked, likely), limit)
        return Answer(question, self._unmentioned(asked, quotes, ranked), confidence=sure)

    def _unmentioned(
        self, question: Question, quotes: tuple[Quote, ...], read: list[Candidate]
    ) -> tuple[Quote, ...]:
        """Each quote with the words of the question that its story never uses, in its text,
        headings, headline or outlet's name: asked about the new fire chief and quoted the
        story of the new police chief, the reader sees "fire" is not in it."""
        if not quotes:
            return quotes
        missing = self._reading.never_said(
            question, {q.citation.article_id: q.citation for q in quotes}, read
        )
        typed = {searched: word for word, searched in question.searched_as}
        return tuple(
            replace(quote, unmentioned=tuple(typed.get(w, w) for w in gone))
            if (gone := missing[quote.citation.article_id])
            else quote
            for quote in quotes
        )

    def _record_names(
        self, question: Question, unknown: list[str]
    ) -> dict[str, tuple[str, str, bool]]:
        """The words of the question that name an author or an outlet ({word: (field, name,
        exact)}, as `PassageIndex.record_names`): a run of words in a byline or an outlet's
        name, one of which no passage holds ("the Valley Wire", though stories mention the
        Sable Valley), or a slip from one ("Mei Linn"). Not a word spelt right, typed in lower
        case, and no more than a letter from a name: "what's the weather on mars?" asks
        nothing of Mara Okonjo."""
        if not any(may_name(w, question.text) for w in unknown):
            return {}
        found = self._passages.record_names(
            [w for w in question.words if may_name(w, question.text)], slips=unknown
        )
        named, run = {}, []
        own = len(question.words) - len(question.carried)  # a follow-up's words, then carried
        for at, word in enumerate((*question.words, "")):
            kind = found[word][0] if word in found else None
            if run and (at == own or kind is None or kind != found[run[0]][0]):
                if any(w in unknown for w in run) and not all(_spelt_right(w, found) for w in run):
                    named |= {w: found[w] for w in run}
                run = []
            if word in found:
                run.append(word)
        return named

    def _stories(self, question: Question, limit: int) -> tuple[Fact, ...]:
        """The newest stories the question's filters allow, each with what it was found by:
        its author, its outlet, or else its date."""
        filters = question.filters
        field = "author" if filters.author else "source" if filters.source else "published"
        facts = []
        for passage in self._passages.stories(filters, limit=limit):
            cited = passage.citation
            value = {"author": cited.author, "source": cited.source or cited.domain}
            facts.append(Fact(field, value.get(field, cited.published), cited))
        return tuple(facts)

    def _from_records(self, question: Question, unknown: list[str]) -> Answer | None:
        """Who wrote, when, which outlet: the answer from the records of the stories the question
        names. None when it names something no passage holds and no misspelling of a word one
        does (no such story is in the archive), or when it asks who wrote about something and
        the stories found record no byline: then it asks about the news."""
        asked = as_byline_question(question) if question.bylines else question
        corrections = {
            w: close_word(self._passages, w, asked.text) for w in unknown if w in asked.words
        }
        if not all(corrections.values()):
            return None
        correction = corrected(asked, corrections)
        stories = BYLINE_STORIES if question.bylines and not question.earlier else 1
        facts = self._facts(correction or asked, stories)
        if not facts or (question.bylines and not any(f.value for f in facts)):
            return None
        shown = correction.text if correction else None
        return Answer(question.text, (), suggestion=shown, corrected=shown, facts=facts)

    def _facts(self, question: Question, stories: int = 1) -> tuple[Fact, ...]:
        """Who wrote it, when it was published, which outlet: from the records of the `stories`
        articles the question's words find best (those near the best one's search score)."""
        if not question.words and not question.filters:
            return ()
        found = self._passages.search(
            question.words, limit=stories * 10, filters=question.filters, headline=STORY_HEADLINE
        )
        best: dict[str, Passage] = {}
        terms = {t for word in question.words for t in terms_of(word)}
        judged: set[str] = set()  # each story is listed, or read for being about it, once
        for passage in found:
            if len(best) == stories or passage.score < found[0].score * BYLINE_SHARE:
                break
            if passage.article_id in judged:
                continue
            judged.add(passage.article_id)
            if not best or self._is_about(passage, terms):
                best[passage.article_id] = passage
        facts = []
        for passage in best.values():
            cited = passage.citation
            value = {"author": cited.author, "published": cited.published}.get(question.about)
            if question.about == "source":
                value = cited.source or cited.domain
            facts.append(Fact(question.about, value, cited))
        return tuple(facts)

    def _is_about(self, passage: Passage, terms: set[str]) -> bool:
        """Whether a passage's story is about what these terms name: its headline and first
        paragraph hold them all, as a news story says what it is about there. A story that
        mentions the library in its fifth paragraph is not one about the library."""
        opening = passage.text if passage.paragraph == 1 else ""
        if not opening:
            first = self._passages.stories(Filters(article=passage.article_id), limit=1)
            opening = first[0].text if first else ""
        return terms <= set(terms_of(f"{passage.citation.title or ''} {opening}"))


def _told_name_slips(answer: Answer, slips: dict[str, str]) -> Answer:
    """The answer saying which author or outlet it read a slip as ("Mei Linn": "Mei Lin"):
    as the question it answers, or as a suggestion when it found nothing."""
    if not slips:
        return answer
    text = answer.corrected or answer.question
    for word, name in slips.items():
        text = text.replace(word, name.title() if word[:1].isupper() else name, 1)
    if answer.quotes or answer.facts:
        return replace(answer, corrected=text, suggestion=text)
    return replace(answer, suggestion=text)


def _spelt_right(word: str, found: dict[str, tuple[str, str, bool]]) -> bool:
    """True if a word read as a slip from a name is an English word typed in lower case."""
    return not found[word][2] and word.islower() and is_english(word)


def _question_features(ranked: list[Candidate]) -> dict[str, float]:
    return answerable([c.features for c in ranked[:10]], [c.score for c in ranked[:10]])


def _choose(candidates: list[Candidate], limit: int) -> tuple[Quote, ...]:
    """The best quote of each strong article first, then the rest; no quote twice."""
    if not candidates:
        return ()
    bar = candidates[0].score - PEER_GAP
    firsts, rest, seen_articles = [], [], set()
    for candidate in candidates:
        article = candidate.passage.article_id
        if candidate.score >= bar and article not in seen_articles:
            firsts.append(candidate)
            seen_articles.add(article)
        else:
            rest.append(candidate)
    quotes, seen_texts = [], set()
    taken: dict[tuple[str, int], list[tuple[int, int]]] = {}  # each paragraph's quoted stretches
    for candidate in firsts + rest:
        passage = candidate.passage
        spans = taken.setdefault((passage.article_id, passage.paragraph), [])
        if any(s < candidate.window.end and e > candidate.window.start for s, e in spans):
            continue  # shown already, as the sentence before another quote's "he"
        window = with_antecedent(passage.text, candidate.window, spans)
        quote = _quote(candidate, window)
        key = " ".join(quote.text.lower().split())
        if key not in seen_texts:
            seen_texts.add(key)
            quotes.append(quote)
            spans.append((window.start, window.end))
        if len(quotes) == limit:
            break
    return tuple(quotes)


def _quote(candidate: Candidate, window: Window) -> Quote:
    passage = candidate.passage
    text, shift = quote_text(passage.text, window)
    return Quote(
        text=text,
        paragraph=passage.paragraph,
        score=candidate.score,
        highlights=tuple(
            (start + shift, end + shift)
            for term, start, end in term_spans(passage.text)
            if term in window.matched and start >= window.start and end <= window.end
        ),
        heading=passage.heading,
        citation=passage.citation,
    )
