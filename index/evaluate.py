"""Answer quality on SQuAD-format sets: ans@k by answer-string match, quote length, time."""

from __future__ import annotations

import json
import re
import statistics
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from index.archive import Archive
from index.article import Article, Paragraph
from index.errors import InputError
from index.sentences import sentence_spans

KS = (1, 3, 5)
# A news paragraph: one sentence, or two when the first is short and both fit in NEWS_PARAGRAPH
NEWS_SHORT = 200
NEWS_PARAGRAPH = 320


@dataclass(frozen=True)
class EvalQuestion:
    text: str
    answers: tuple[str, ...]
    article: int = 0  # the position of its article in the file (the ranker trains on even ones)

    @property
    def held_out(self) -> bool:
        """Not seen in training the ranker (benchmarks/train_ranker.py splits by article)."""
        return self.article % 2 == 1


@dataclass(frozen=True)
class EvalReport:
    questions: int
    answered_at: dict[int, float]  # k -> percentage of questions answered within the top k
    mean_top_quote_chars: float
    median_ms: float
    p95_ms: float
    no_answer: int  # questions that got no quote at all
    candidate_recall: float  # percentage whose answer is in some candidate the ranker read


@dataclass(frozen=True)
class AbsentReport:
    """Questions whose answer the archive does not hold: how many still got a quote."""

    questions: int
    answered: float  # percentage given a quote (each one a false answer)
    nearest: float  # percentage offered a nearest story instead


def load_squad(path: Path) -> tuple[list[Article], list[EvalQuestion]]:
    """Each `data[]` entry an article: its title the headline, its contexts the paragraphs."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    articles, questions = [], []
    for number, entry in enumerate(data["data"], 1):
        title = entry["title"].replace("_", " ")
        paragraphs = tuple(Paragraph(p["context"].strip()) for p in entry["paragraphs"])
        articles.append(Article(title=title, paragraphs=paragraphs, key=f"{path.stem}-{number}"))
        for paragraph in entry["paragraphs"]:
            for qa in paragraph["qas"]:
                answers = tuple(dict.fromkeys(a["text"] for a in qa["answers"]))
                questions.append(EvalQuestion(qa["question"], answers, number - 1))
    return articles, questions


def news_layout(article: Article) -> Article:
    """The article with each paragraph cut into news-length ones of one or two sentences, as
    wire copy is laid out (an encyclopedia's paragraphs run to several hundred words)."""
    paragraphs = []
    for paragraph in article.paragraphs:
        runs: list[tuple[int, int, int]] = []  # (start, end, sentences)
        for start, end in sentence_spans(paragraph.text):
            first, last, sentences = runs[-1] if runs else (start, start, 2)
            if sentences == 1 and last - first < NEWS_SHORT and end - first <= NEWS_PARAGRAPH:
                runs[-1] = (first, end, 2)
            else:
                runs.append((start, end, 1))
        paragraphs += [
            Paragraph(paragraph.text[s:e].strip(), paragraph.heading) for s, e, _ in runs
        ]
    return replace(article, paragraphs=tuple(p for p in paragraphs if p.text))


def tokens(text: str) -> list[str]:
    """Lower-cased, accent-stripped alphanumeric tokens (the DPR answer-string match)."""
    folded = unicodedata.normalize("NFD", text.lower())
    folded = "".join(c for c in folded if unicodedata.category(c) != "Mn")
    return re.findall(r"[^\W_]+", folded)


def has_answer(answers: Sequence[str], text: str) -> bool:
    haystack = tokens(text)
    for answer in answers:
        needle = tokens(answer)
        if needle and any(
            haystack[i : i + len(needle)] == needle for i in range(len(haystack) - len(needle) + 1)
        ):
            return True
    return False


@dataclass(frozen=True)
class Asked:
    """How one question went: where its answer first appeared, and what it cost."""

    question: EvalQuestion
    first_hit: int | None  # the rank (from 0) of the first quote holding an answer
    top_chars: int | None  # the top quote's length; None: no quote at all
    ms: float
    recalled: bool  # some candidate the ranker read held an answer


def evaluate(
    archive: Archive,
    questions: Sequence[EvalQuestion],
    on_question: Callable[[], None] | None = None,
) -> EvalReport:
    """Ask every question against the whole archive and score the top quotes."""
    return summarize(ask_all(archive, questions, on_question))


def ask_all(archive: Archive, questions, on_question=None) -> list[Asked]:
    """Ask each question of the whole archive, keeping how each went."""
    asked = []
    for question in questions:
        started = time.perf_counter()
        try:
            answer, candidates = archive.explain(question.text, limit=max(KS))
            quotes = answer.quotes
        except InputError:
            quotes, candidates = (), []
        ms = (time.perf_counter() - started) * 1000
        first_hit = next(
            (i for i, q in enumerate(quotes) if has_answer(question.answers, q.text)), None
        )
        asked.append(
            Asked(
                question,
                first_hit,
                len(quotes[0].text) if quotes else None,
                ms,
                any(has_answer(question.answers, c.text) for c in candidates),
            )
        )
        if on_question:
            on_question()
    return asked


def summarize(asked: Sequence[Asked]) -> EvalReport:
    """The figures of a set of asked questions (all of a set, or its held-out half)."""
    count = max(len(asked), 1)
    lengths = [a.top_chars for a in asked if a.top_chars is not None]
    times = sorted(a.ms for a in asked)
    return EvalReport(
        questions=len(asked),
        answered_at={
            k: 100 * sum(a.first_hit is not None and a.first_hit < k for a in asked) / count
            for k in KS
        },
        mean_top_quote_chars=statistics.fmean(lengths) if lengths else 0.0,
        median_ms=statistics.median(times) if times else 0.0,
        p95_ms=times[int(0.95 * (len(times) - 1))] if times else 0.0,
        no_answer=len(asked) - len(lengths),
        candidate_recall=100 * sum(a.recalled for a in asked) / count,
    )


def evaluate_absent(archive: Archive, questions: Sequence[EvalQuestion]) -> AbsentReport:
    """Ask questions the archive cannot answer (another set's): the share still quoted."""
    quoted = nearest = 0
    for question in questions:
        try:
            answer = archive.ask(question.text, limit=max(KS))
        except InputError:
            continue
        quoted += bool(answer.quotes)
        nearest += answer.nearest is not None
    count = max(len(questions), 1)
    return AbsentReport(len(questions), 100 * quoted / count, 100 * nearest / count)
