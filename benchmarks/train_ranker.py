"""Train the answer ranker (index/answering/ranker.json) on one half of the external question sets.

    python benchmarks/train_ranker.py [--rows FILE.pickle] [--refit]

Both sets of ../shared/eval are ingested into archives of their own. Each set's articles are
split in two by their position (even: training, odd: held out); the questions follow their
article. The archive is whole either way: a question is asked of every article.

1. Every question's candidates (the answerer's deep read, each window a row of lexical
   features) are labelled by whether the window holds a gold answer (the DPR string match).
   A linear model trained listwise (softmax over each question's candidates, so that it
   learns to put the answering window first) becomes the lexical stage.
2. With that stage in place, the best `reranked` windows of each question get the embedding's
   similarities; a second listwise model on them becomes the full stage.
3. Out-of-archive questions: each set's questions asked of the other set's archive (a quarter
   of the larger set's). A logistic regression on question-level features (the best
   candidates' scores, similarities and coverage) tells them from in-archive questions; the
   answer bar is the probability that keeps their quotes at FALSE_ANSWERS of the training
   half. The held-out half's figures go into the file's notes.

`--rows` keeps the labelled candidates of steps 1-3 in a pickle; `--refit` fits again from it
(the full stage's rows were chosen by the lexical stage of the run that made them).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.answering.answerer import Answerer  # noqa: E402
from index.answering.candidates import answerable  # noqa: E402
from index.answering.encoder import shared_encoder  # noqa: E402
from index.answering.question import parse_question  # noqa: E402
from index.answering.ranker import WEIGHTS_FILE, Model, Ranking, trained  # noqa: E402
from index.archive import Archive  # noqa: E402
from index.copies.search import StoryPassages  # noqa: E402
from index.evaluate import has_answer, load_squad  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
SETS = ("squadshifts_new_wiki_v1.0.json", "xquad.en.json")
RERANKED = 4
ABSENT_SAMPLE = 4  # every Nth question of the larger set is asked of the smaller set's archive
FALSE_ANSWERS = 0.08  # out-of-archive questions allowed a quote, on the training half
NEAREST_SHARE = 0.5  # out-of-archive questions offered the nearest story, on the training half
QUOTE_GAP = 3.0  # later quotes within this of the first (logits): set by hand, not trained
LEXICAL = (
    "coverage window_coverage lifted paragraph_coverage rarest matched_share bm25 passage_rank "
    "proximity cue typed_without_cue window_rank length first_paragraph question_terms "
    "coverage_gap window_gap"
).split()
FULL = (*LEXICAL, "similarity", "similarity_gap", "title_similarity")
QUESTION = (
    "similarity best_similarity title_similarity coverage paragraph_coverage rarest "
    "matched_share bm25 question_terms"
).split()


def standardiser(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean, scale = rows.mean(axis=0), rows.std(axis=0)
    scale[scale < 1e-9] = 1.0
    return mean, scale


def fit_logistic(rows: np.ndarray, labels: np.ndarray, names, l2: float = 1.0) -> Model:
    """L2-regularised logistic regression by Newton's method on standardised features."""
    mean, scale = standardiser(rows)
    x = np.hstack([(rows - mean) / scale, np.ones((len(rows), 1))])
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(x @ w)))
        step = np.linalg.solve(
            (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9),
            x.T @ (p - labels) + penalty * w,
        )
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    return Model(tuple(names), w[:-1], float(w[-1]), mean, scale)


def fit_listwise(groups, names, iterations: int = 400, rate: float = 0.05, l2: float = 1e-3):
    """A linear scorer whose softmax over each question's candidates puts its weight on the
    answering ones (Adam on the cross-entropy); questions with no answering candidate teach
    nothing and are left out."""
    mean, scale = standardiser(np.vstack([rows for rows, _ in groups]))
    useful = [
        ((rows - mean) / scale, labels / labels.sum()) for rows, labels in groups if labels.any()
    ]
    w = np.zeros(len(names))
    m, v = np.zeros_like(w), np.zeros_like(w)
    for t in range(1, iterations + 1):
        gradient = l2 * w
        for x, target in useful:
            s = x @ w
            p = np.exp(s - s.max())
            gradient += x.T @ (p / p.sum() - target) / len(useful)
        m = 0.9 * m + 0.1 * gradient
        v = 0.999 * v + 0.001 * gradient**2
        w -= rate * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return Model(tuple(names), w, 0.0, mean, scale)


def collect(answerer: Answerer, questions, *, head_only: bool, in_archive: bool = True):
    """Per question: (held_out, [(features, holds an answer)]), candidates best first."""
    out = []
    for number, question in enumerate(questions):
        found = answerer.candidates(parse_question(question.text))
        if head_only:
            found = [c for c in found if c.reranked]
        labelled = [
            (c.features, in_archive and has_answer(question.answers, c.text)) for c in found
        ]
        out.append((question.held_out, labelled))
        if number % 1000 == 0:
            print(f"  {number}/{len(questions)}", file=sys.stderr, flush=True)
    return out


def groups_of(collected, names, held_out: bool):
    return [
        (
            np.array([[f.get(n, 0.0) for n in names] for f, _ in labelled]),
            np.array([float(label) for _, label in labelled]),
        )
        for out, labelled in collected
        if out == held_out and labelled
    ]


def first_right(collected, model: Model, held_out: bool) -> float:
    """ans@1 (percent) of the questions of one half when ranked by the model."""
    right = [
        labels[int(np.argmax(model.logits(rows)))] > 0 if len(rows) else False
        for rows, labels in groups_of(collected, model.features, held_out)
    ]
    missing = sum(1 for out, labelled in collected if out == held_out and not labelled)
    return 100 * sum(right) / max(len(right) + missing, 1)


def question_rows(collected, full: Model, held_out: bool):
    """(question-level rows, whether the top quote answers) for the questions of one half."""
    rows, right = [], []
    for out, labelled in collected:
        if out != held_out or not labelled:
            continue
        scores = full.logits(np.array([full.row(f) for f, _ in labelled]))
        order = np.argsort(-scores)[:10]
        values = answerable([labelled[i][0] for i in order])
        rows.append([values[n] for n in QUESTION])
        right.append(bool(labelled[order[0]][1]))
    return np.array(rows), np.array(right)


def gather(rows_file: Path | None):
    base = trained()
    with tempfile.TemporaryDirectory(prefix="newsbot-train-") as folder:
        archives, asked = {}, {}
        for name in SETS:
            articles, asked[name] = load_squad(EVAL / name)
            archives[name] = Archive(Path(folder) / name)
            archives[name].add(articles)
        passages = {n: StoryPassages(a.passages, a.store) for n, a in archives.items()}
        print("lexical stage: every question's candidates", file=sys.stderr)
        lexical_rows = []
        for name in SETS:
            answerer = Answerer(passages[name], base, semantic=False)
            lexical_rows += collect(answerer, asked[name], head_only=False)
        lexical = fit_listwise(groups_of(lexical_rows, LEXICAL, False), LEXICAL)
        staged = Ranking(lexical, base.full, base.answerable, 0, 0, 0, RERANKED, {})
        print("full stage: similarities of the best candidates", file=sys.stderr)
        full_rows, absent_rows, encoder = [], [], shared_encoder()
        for name in SETS:
            full_rows += collect(
                Answerer(passages[name], staged, encoder), asked[name], head_only=True
            )
            other = next(n for n in SETS if n != name)
            questions = asked[name]
            if len(questions) > len(asked[other]):
                questions = questions[::ABSENT_SAMPLE]
            foreign = Answerer(passages[other], staged, encoder)
            absent_rows += collect(foreign, questions, head_only=True, in_archive=False)
        for archive in archives.values():
            archive.close()
    gathered = (lexical_rows, full_rows, absent_rows)
    if rows_file:
        rows_file.write_bytes(pickle.dumps(gathered))
    return gathered


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=Path, help="keep the labelled candidates in this pickle")
    parser.add_argument("--refit", action="store_true", help="fit again from --rows")
    args = parser.parse_args(argv)
    if args.refit:
        lexical_rows, full_rows, absent_rows = pickle.loads(args.rows.read_bytes())
    else:
        lexical_rows, full_rows, absent_rows = gather(args.rows)
    lexical = fit_listwise(groups_of(lexical_rows, LEXICAL, False), LEXICAL)
    full = fit_listwise(groups_of(full_rows, FULL, False), FULL)

    rows, right = question_rows(full_rows, full, False)
    absent, _ = question_rows(absent_rows, full, False)
    labels = np.concatenate([np.ones(len(rows)), np.zeros(len(absent))])
    asks = fit_logistic(np.vstack([rows, absent]), labels, QUESTION)
    probability = 1 / (1 + np.exp(-asks.logits(absent)))
    answer_bar = float(np.quantile(probability, 1 - FALSE_ANSWERS))
    nearest_bar = float(np.quantile(probability, 1 - NEAREST_SHARE))

    report = {}
    for held_out, half in ((False, "training"), (True, "held_out")):
        rows, right = question_rows(full_rows, full, held_out)
        absent, _ = question_rows(absent_rows, full, held_out)
        given = 1 / (1 + np.exp(-asks.logits(rows))) >= answer_bar
        false = 1 / (1 + np.exp(-asks.logits(absent))) >= answer_bar
        asked = sum(1 for out, _ in full_rows if out == held_out)
        report[half] = {
            "questions": asked,
            "lexical_ans@1": round(first_right(lexical_rows, lexical, held_out), 1),
            "ans@1": round(first_right(full_rows, full, held_out), 1),
            "ans@1_after_no_answer": round(100 * float(np.sum(right & given)) / asked, 1),
            "out_of_archive_questions": len(absent),
            "out_of_archive_given_a_quote": round(100 * float(np.mean(false)), 1),
        }
    print(report)
    Ranking(
        lexical,
        full,
        asks,
        answer_bar=round(answer_bar, 4),
        nearest_bar=round(nearest_bar, 4),
        quote_gap=QUOTE_GAP,
        reranked=RERANKED,
        notes={"trained_by": "benchmarks/train_ranker.py", "split": "articles by position"}
        | report,
    ).save(WEIGHTS_FILE)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
