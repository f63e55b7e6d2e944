"""Candidate quotes for a question: read deep from the index, described by ranking features."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, pairwise
from math import fsum

import numpy as np

from index.answering.cues import (
    answer_type,
    asks_ahead,
    dated_behind,
    gives_reason,
    offers,
)
from index.answering.dictionary import is_english
from index.answering.encoder import Encoder
from index.answering.question import Question, without_possessive
from index.answering.quotes import PRONOUN_LED, QUOTE_BUDGET, Window, quote_text, windows
from index.answering.ranker import Ranking
from index.search.passages import Passage
from index.search.schema import term_spans, terms_of
from index.sentences import sentence_spans

DEPTH = 24  # passages read closely per question
WINDOWS = 3  # quotes a paragraph may offer, not overlapping
CONTEXT_SHARE = 0.5  # a question word in the heading or title counts half as much as in the text
NOVEL_COUNT = 6  # new names and numbers in a window that the `novel` feature counts, at most
NEAR = 40.0  # characters: a new name this far from a matched word is half as near as touching
# A re-scored quote sharing this share of its words with a better one (another outlet's edited
# copy of the same lines) is read as that one: it would tell the model nothing new
NEAR_COPY = 0.6
# The full stage's features measured against the best re-scored quote's: {value: its gap}
SIMILARITY_GAPS = {
    "similarity": "similarity_gap",
    "sentence_similarity": "sentence_similarity_gap",
    "alignment": "alignment_gap",
}
# A question that mentions asking ("what did the host ask?") may be answered by a question
_ABOUT_ASKING = re.compile(r"\b(?:ask|asks|asked|asking|question|questions|questioned)\b", re.I)
# A sentence that asks: it ends with "?", or with an attribution after one ("Is that the
# offer?" the host asked.). Not "[who?]" or a question quoted inside a statement.
_ASKS = re.compile(
    r"\?[\"'”’»)\]]*\s*$|"
    r"\?[\"'”’»]+\s+[^.!?]{0,80}\b(?:asked|asks|wondered|wonders|questioned)\b[^.!?]*[.!]?\s*$",
    re.I,
)
# A sentence opening with "the" and a common noun or two ("The pool closed in 2023.")
_DEFINITE_LED = re.compile(r"^[\"“‘']?[Tt]he\s+([a-z][\w'’-]*)(?:\s+([a-z][\w'’-]*))?")
# A name or a number: a capitalised word not opening a sentence, or digits.
_NAMED = re.compile(r"(?<![.!?\"“]\s)(?<!^)\b[A-Z][\w'’-]*|\b\d[\d.,:]*\b")


@dataclass
class Candidate:
    """One quotable window of a passage, its features, and how likely it is to answer."""

    passage: Passage
    window: Window
    features: dict[str, float]
    score: float = 0.0  # how likely it answers, as the ranker's logit (higher: likelier)
    reranked: bool = False  # scored by the full stage (else by the lexical stage, below them)
    text: str = field(default="", repr=False)  # the quote as it would be shown


def lexical_candidates(question: Question, passages: list[Passage], weights: dict[str, float]):
    """Every window worth considering in these passages (best first), with lexical features."""
    if not passages:
        return []
    total = sum(weights.values()) or 1.0
    strongest = max(weights.values(), default=1.0) or 1.0
    kind = answer_type(question.text)
    top = passages[0].score or 1.0
    asked = question.text.lower()
    names = _names_asked(question)
    found = []
    for rank, passage in enumerate(passages):
        above = terms_in(passage.heading or "") | terms_in(passage.citation.title)
        in_passage = terms_in(passage.text) & weights.keys()
        paragraph_coverage = fsum(weights[t] for t in in_passage) / total
        # Does the story hold what the question names, and its rarest words? (A question about
        # news elsewhere usually names someone or something that this story does not.)
        outlet = passage.citation.source or ""  # "Ledger harbor bridge": the Ledger's stories
        story = f"{passage.citation.title}\n{outlet}\n{passage.heading or ''}\n{passage.text}"
        story = story.lower()
        names_found = sum(1 for n in names if n in story) / len(names) if names else 1.0
        missed = weights.keys() - in_passage - above - terms_in(outlet)
        missed_rarest = max((weights[t] for t in missed), default=0.0) / strongest
        before, after = (terms_in(text) & weights.keys() for text in passage.beside)
        for order, window in enumerate(
            windows(passage.text, weights, kind, question.text, count=WINDOWS)
        ):
            lifted = fsum(weights[t] for t in above & weights.keys() - window.matched) / total
            rarest = max((weights[t] for t in window.matched), default=0.0) / strongest
            features = {
                "coverage": window.coverage + CONTEXT_SHARE * lifted,
                "window_coverage": window.coverage,
                "lifted": lifted,
                "paragraph_coverage": paragraph_coverage,
                "rarest": rarest,
                "matched_share": len(window.matched) / max(len(weights), 1),
                "bm25": passage.score / top,
                "passage_rank": 1.0 / (1 + rank),
                "proximity": window.proximity,
                "cue": float(window.cue),
                "typed_without_cue": float(kind is not None and not window.cue),
                "window_rank": float(order),
                "length": (window.end - window.start) / QUOTE_BUDGET,
                "first_paragraph": float(passage.paragraph == 1),
                "question_terms": 1.0 / max(len(weights), 1),
                "names_found": names_found,
                "names_asked": min(len(names), NOVEL_COUNT) / NOVEL_COUNT,
                "missed_rarest": missed_rarest,
                # What the paragraphs beside it hold of the question that it lacks: in wire
                # copy's short paragraphs, "It opened in 1990." follows the one naming it
                "before_coverage": fsum(weights[t] for t in before - window.matched) / total,
                "after_coverage": fsum(weights[t] for t in after - window.matched) / total,
            }
            features |= _what_is_new(passage.text, window, weights, total, asked)
            text, _ = quote_text(passage.text, window)
            found.append(Candidate(passage, window, features, text=text))
    relative([c.features for c in found], "coverage", "coverage_gap")
    relative([c.features for c in found], "window_coverage", "window_gap")
    return found


def _what_is_new(text: str, window: Window, weights, total: float, asked: str):
    """What a window offers that the question lacks (answers are what it does not say): how
    many names and numbers it holds that the question does not, how near the nearest sits to
    a word of the question, and how much of the question its best sentence holds."""
    start, end = window.start, window.end
    hits = [
        (term, s - start, e - start)
        for term, s, e in term_spans(text)  # the paragraph's, remembered: not the window's anew
        if s >= start and e <= end and term in weights
    ]
    novel = [m.start() for m in _NAMED.finditer(text, start, end) if _name(m.group(0)) not in asked]
    near = 0.0
    if novel and hits:
        distance = min(abs(n - start - s) for n in novel for _, s, _ in hits)
        near = 1.0 / (1.0 + distance / NEAR)
    best_sentence = 0.0
    for s_start, s_end in sentence_spans(text):
        if s_end <= start or s_start >= end:
            continue
        inside = {t for t, s, e in hits if s >= s_start - start and e <= s_end - start}
        best_sentence = max(best_sentence, fsum(weights[t] for t in inside) / total)
    return {
        "novel": min(len(novel), NOVEL_COUNT) / NOVEL_COUNT,
        "novel_near": near,
        "sentence_coverage": best_sentence,
        "sentence_gap": window.coverage - best_sentence,
    }


def _names_asked(question: Question) -> set[str]:
    """The names and numbers a question asks about. Typed all in lower case, as chat often is,
    a name has no capital to tell it: a word no English word list holds is read as one
    ("riverton", "quint"); "teresa vance", in the list, goes unread."""
    names = {_name(m.group(0)) for m in _NAMED.finditer(question.text)}
    if question.text != question.text.lower():
        return names
    return names | {
        _name(w) for w in question.words if len(w) > 2 and w.isalpha() and not is_english(w)
    }


def _name(word: str) -> str:
    """A name as a story would hold it in any form: "Piketty's" is Piketty."""
    return without_possessive(word.lower().rstrip(".,:"))


def relative(features: list[dict[str, float]], value: str, gap: str) -> None:
    """How far each candidate's `value` falls short of the question's best candidate's."""
    best = max(f[value] for f in features)
    for own in features:
        own[gap] = own[value] - best


def rank(
    question: Question, found: list[Candidate], ranking: Ranking, encoder: Encoder | None
) -> list[Candidate]:
    """The candidates best first: all by the lexical model, then the best few re-scored by the
    full model (lexical features and the embedding's similarities) ahead of the rest; a quote
    that only asks a question comes last."""
    if not found:
        return []
    lexical = ranking.lexical
    logits = lexical.logits(np.array([lexical.row(c.features) for c in found]))
    for candidate, logit in zip(found, logits, strict=True):
        candidate.score = float(logit)
    found.sort(key=lambda c: -c.score)
    if encoder is None:
        return found
    count = ranking.rerank_count([c.score for c in found])
    head, tail = found[:count], found[count:]
    _similarities(question, head, encoder)
    full = ranking.full
    logits = full.logits(np.array([full.row(c.features) for c in head]))
    for candidate, logit in zip(head, logits, strict=True):
        candidate.score = float(logit)
        candidate.reranked = True
    head.sort(key=lambda c: -c.score)
    floor = head[-1].score - 1.0
    highest = tail[0].score if tail else 0.0
    for candidate in tail:  # below every re-scored one, in the lexical stage's order
        candidate.score = floor - (highest - candidate.score)
    return _past_dates_last(question, _questions_last(question, head + tail))


def story_asked_for(question: Question, ranked: list[Candidate]) -> str | None:
    """The article whose news the question asks for, if it asks for a story's news: in words
    ("the latest on the bridge", "summarize the bridge story": the best quote's story), or by
    its subject (a topic, "library hours", "bridge?", or "what happened to the rental ban?":
    the best-quoted story whose headline holds its every word, not the heat advisory that
    mentions the library)."""
    if not ranked:
        return None
    if question.news_of:
        return ranked[0].passage.article_id
    asked = {t for word in question.subject for t in terms_of(word)}
    if not asked:
        return None
    headlined = (c for c in ranked if asked <= terms_in(c.passage.citation.title))
    return next((c.passage.article_id for c in headlined), None)


def _questions_last(question: Question, ranked: list[Candidate]) -> list[Candidate]:
    """The candidates with those that only ask a question after all the others ("Is that
    your concession?" moderator Kristen Welker asked.): they quote the words asked about,
    but say nothing of their own. Unless the question is about what was asked."""
    if _ABOUT_ASKING.search(question.text):
        return ranked
    asking = [c for c in ranked if "?" in c.text and all(_ASKS.search(s) for s in _sentences(c))]
    return _last(ranked, asking)


def _past_dates_last(question: Question, ranked: list[Candidate]) -> list[Candidate]:
    """Asked when something will happen, the candidates that date only what is past ("The
    mill, which opened in 1922, …") after those giving a date that may be ahead ("will close
    its mill by the end of March"), if any does."""
    if not asks_ahead(question.text):
        return ranked
    past, ahead = [], False
    for candidate in ranked:
        sentences = _whole_sentences(candidate)
        if dated_behind(sentences, candidate.passage.citation.published):
            past.append(candidate)
        else:
            ahead = ahead or any(offers("date", s, question.text) for s in sentences)
    return _last(ranked, past) if ahead else ranked


def is_lede(candidate: Candidate) -> bool:
    """True if the candidate quotes the whole of its story's first paragraph: a news lede of a
    sentence or two, not a window of an encyclopedia's long opening."""
    passage, window = candidate.passage, candidate.window
    return (
        passage.paragraph == 1
        and not passage.text[: window.start].strip()
        and not passage.text[window.end :].strip()
    )


def reason_of(ranked: list[Candidate], following: Candidate | None) -> Candidate | None:
    """The quote giving the reason the best quote does not: of the paragraph `following` it
    and the other quotes of its story holding a word of the question, in that order, the
    first with "because", "after", "blamed" or the like; else `following`, if it tells what
    someone said ("Greer said the fee would be passed on to tenants"). A later paragraph that
    only says "said" is no reason: nearly every paragraph does. None if none gives one."""
    story = ranked[0].passage.article_id
    asked = [c for c in ranked[1:] if c.passage.article_id == story and c.window.matched]
    if following is not None:
        asked = [following] + [
            c for c in asked if c.passage.paragraph != following.passage.paragraph
        ]
    reason = next((c for c in asked if gives_reason(c.text)), None)
    if reason is None and following is not None and gives_reason(following.text, told=True):
        return following
    return reason


def _last(ranked: list[Candidate], moved: list[Candidate]) -> list[Candidate]:
    """The ranking with the `moved` candidates after all the others, each group in its order,
    their scores lowered to match."""
    if not moved or len(moved) == len(ranked):
        return ranked
    kept = [c for c in ranked if all(c is not m for m in moved)]
    floor, highest = kept[-1].score - 1.0, moved[0].score
    for candidate in moved:
        candidate.score = floor - (highest - candidate.score)
    return kept + moved


def answerable(features: list[dict[str, float]], scores) -> dict[str, float]:
    """What a question's best candidates (best first) and their scores say of it: is its
    answer in the archive?"""
    best = features[0]
    return {
        "score": float(scores[0]),
        "score_gap": float(scores[0] - scores[1]) if len(scores) > 1 else 0.0,
        "sentence_coverage": best.get("sentence_coverage", 0.0),
        "names_found": best.get("names_found", 1.0),
        "names_asked": best.get("names_asked", 0.0),
        "missed_rarest": best.get("missed_rarest", 0.0),
        "best_names_found": max(f.get("names_found", 1.0) for f in features[:10]),
        "similarity": best.get("similarity", 0.0),
        "best_similarity": max(f.get("similarity", 0.0) for f in features[:10]),
        "title_similarity": best.get("title_similarity", 0.0),
        "sentence_similarity": best.get("sentence_similarity", 0.0),
        "best_sentence_similarity": max(f.get("sentence_similarity", 0.0) for f in features[:10]),
        "alignment": best.get("alignment", 0.0),
        "best_alignment": max(f.get("alignment", 0.0) for f in features[:10]),
        "coverage": best["coverage"],
        "paragraph_coverage": best["paragraph_coverage"],
        "rarest": best["rarest"],
        "matched_share": best["matched_share"],
        "bm25": best["bm25"],
        "question_terms": best["question_terms"],
    }


def _similarities(question: Question, head: list[Candidate], encoder: Encoder) -> None:
    """Cosine similarity of the question with each quote (the normalised mean of its sentences'
    vectors), with its likest sentence, and with its article's title; and how closely the
    quote's words, read in context, align with each word the question asks about."""
    copied = _near_copies(head)
    read = [c for c in head if id(c) not in copied]
    sentences = [_sentences_read(c) for c in read]
    contexts = [_context(c.passage) for c in read]
    readings = encoder.read([question.read_as, *contexts, *(s for own in sentences for s in own)])
    asked = readings[0].vector
    asked_tokens = readings[0].tokens_within(question.content_spans()).astype(np.float32)
    titles = np.stack([r.vector for r in readings[1 : len(read) + 1]])
    rest = readings[len(read) + 1 :]
    quote_similarity, sentence_similarity, alignment = [], [], []
    for first, last in pairwise(accumulate((len(s) for s in sentences), initial=0)):
        own = np.stack([r.vector for r in rest[first:last]])
        mean = own.mean(axis=0)
        quote_similarity.append(float(mean @ asked) / max(float(np.linalg.norm(mean)), 1e-12))
        sentence_similarity.append(float((own @ asked).max()))
        tokens = np.vstack([r.tokens for r in rest[first:last]]).astype(np.float32)
        alignment.append(_alignment(asked_tokens, tokens))
    said = {
        id(candidate): {
            "similarity": quote_sim,
            "sentence_similarity": sentence_sim,
            "alignment": aligned,
            "title_similarity": float(title_sim),
        }
        for candidate, quote_sim, sentence_sim, aligned, title_sim in zip(
            read, quote_similarity, sentence_similarity, alignment, titles @ asked, strict=True
        )
    }
    for candidate in head:
        candidate.features |= said[id(copied.get(id(candidate), candidate))]
    for value, gap in SIMILARITY_GAPS.items():
        relative([c.features for c in head], value, gap)


def _near_copies(head: list[Candidate]) -> dict[int, Candidate]:
    """The quotes that are near copies of a better one: {id of the copy: the better one}."""
    seen: list[tuple[Candidate, frozenset[str]]] = []
    copies = {}
    for candidate in head:
        words = _window_terms(candidate)
        original = next(
            (c for c, w in seen if words and len(words & w) >= NEAR_COPY * len(words | w)),
            None,
        )
        if original is None:
            seen.append((candidate, words))
        else:
            copies[id(candidate)] = original
    return copies


def _window_terms(candidate: Candidate) -> frozenset[str]:
    start, end = candidate.window.start, candidate.window.end
    return frozenset(t for t, s, e in term_spans(candidate.passage.text) if s >= start and e <= end)


def _alignment(asked: np.ndarray, tokens: np.ndarray) -> float:
    """For each token asked about, its likest token of the quote's (cosine), averaged."""
    if not len(asked) or not len(tokens):  # text the tokenizer drops whole, such as U+200B
        return 0.0
    return float((asked @ tokens.T).max(axis=1).mean())


def _sentences(candidate: Candidate) -> list[str]:
    """The quote's sentences (or the clauses it keeps of a sentence it cuts)."""
    text, window = candidate.passage.text, candidate.window
    parts = [
        text[max(start, window.start) : min(end, window.end)].strip()
        for start, end in sentence_spans(text)
        if start < window.end and end > window.start
    ]
    return [part for part in parts if part] or [candidate.text]


def _whole_sentences(candidate: Candidate) -> list[str]:
    """The whole sentences the quote takes from, where it cuts one too: its tense may be told
    in the part left out ("The mill, which opened in 1922, will close in March.")."""
    text, window = candidate.passage.text, candidate.window
    spans = sentence_spans(text)
    return [text[a:b] for a, b in spans if a < window.end and b > window.start] or [text]


def _sentences_read(candidate: Candidate) -> list[str]:
    """The quote's sentences as the relevance model reads them. One that opens with a pronoun
    is read after the sentence before it ("The Marlin failed a hull inspection. It was
    repaired in Portland."). A paragraph that opens with "the" and a noun the paragraph before
    names is read after that paragraph's last sentence ("The Northgate pool will reopen. / The
    pool closed in 2023."), as wire copy's short paragraphs go on: a quote cannot take that
    sentence in, as it can one of its own paragraph."""
    text, window = candidate.passage.text, candidate.window
    before = None  # the sentence before; at the paragraph's start, read from the one before
    read = []
    for start, end in sentence_spans(text):
        if start >= window.end:
            break
        sentence = text[start:end].strip()
        if end > window.start and (part := text[max(start, window.start) : min(end, window.end)]):
            part = part.strip()
            opens = before is None
            if part and (PRONOUN_LED.match(part) or (opens and _DEFINITE_LED.match(part))):
                if opens:
                    before = _last_sentence(candidate.passage.beside[0])
                read.append(f"{before} {part}" if leans_on(part, before) else part)
            elif part:
                read.append(part)
        before = sentence or before
    return read or [candidate.text]


def leans_on(sentence: str, before: str) -> bool:
    """True if the sentence means someone or something that the sentence before it names: it
    opens with a pronoun ("It was built in 1962."), or with "the" and a word of that sentence
    ("The Northgate pool will reopen. The pool closed in 2023.")."""
    if not before:
        return False
    if PRONOUN_LED.match(sentence):
        return True
    definite = _DEFINITE_LED.match(sentence)
    if definite is None:
        return False
    named = terms_in(before)
    return any(term in named for word in definite.groups() if word for term in terms_of(word))


def _last_sentence(text: str) -> str:
    spans = sentence_spans(text)
    return text[spans[-1][0] : spans[-1][1]].strip() if spans else ""


@lru_cache(maxsize=4096)
def terms_in(text: str) -> frozenset[str]:
    """The distinct index terms of a text (titles and passages recur from question to question)."""
    return frozenset(term for term, _, _ in term_spans(text))


def _context(passage: Passage) -> str:
    title = passage.citation.title
    return f"{title}. {passage.heading}" if passage.heading else title
