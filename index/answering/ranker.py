"""Learned weights that turn a candidate quote's features into the belief that it answers."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

WEIGHTS_FILE = Path(__file__).with_name("ranker.json")  # written by benchmarks/train_ranker.py


class _Scorer:
    """What both kinds of stored model do with named values; each has `features` and `logits`."""

    features: tuple[str, ...]

    def logits(self, rows: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def probability(self, values: dict[str, float]) -> float:
        """The logistic probability of one row of named values."""
        return probability(float(self.logits(np.array([self.row(values)]))[0]))

    def row(self, values: dict[str, float]) -> list[float]:
        """The model's columns from a candidate's features (a feature it does not know: 0)."""
        return [values.get(name, 0.0) for name in self.features]


@dataclass(frozen=True)
class Model(_Scorer):
    """A logistic regression over named features (standardised by the mean and scale it was
    trained with): `logits` of rows whose columns follow `features`."""

    features: tuple[str, ...]
    weights: np.ndarray
    bias: float
    mean: np.ndarray
    scale: np.ndarray

    def logits(self, rows: np.ndarray) -> np.ndarray:
        if not len(rows):
            return np.zeros(0)
        return ((rows - self.mean) / self.scale) @ self.weights + self.bias

    def to_json(self) -> dict:
        return {
            "features": list(self.features),
            "weights": [round(float(w), 6) for w in self.weights],
            "bias": round(float(self.bias), 6),
            "mean": [round(float(m), 6) for m in self.mean],
            "scale": [round(float(s), 6) for s in self.scale],
        }

    @classmethod
    def from_json(cls, data: dict) -> Model:
        return cls(
            features=tuple(data["features"]),
            weights=np.asarray(data["weights"], dtype=np.float64),
            bias=float(data["bias"]),
            mean=np.asarray(data["mean"], dtype=np.float64),
            scale=np.asarray(data["scale"], dtype=np.float64),
        )


@dataclass(frozen=True)
class Trees(_Scorer):
    """A gradient-boosted sum of regression trees over named features: `logits` of rows whose
    columns follow `features`. The trees' nodes lie in flat arrays: a row at node i goes to
    `left[i]` if its column `split[i]` is at most `threshold[i]`, else to `right[i]`; a leaf
    points at itself both ways and holds the tree's output in `value[i]`."""

    features: tuple[str, ...]
    split: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    roots: np.ndarray  # the first node of each tree
    depth: int  # the most splits on any path
    bias: float

    def logits(self, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.float64)
        if not len(rows):
            return np.zeros(0)
        flat = rows.ravel()
        at = (np.arange(len(rows)) * rows.shape[1])[:, None]
        node = np.repeat(self.roots[None, :], len(rows), axis=0)
        for _ in range(self.depth):
            goes_left = flat[at + self.split[node]] <= self.threshold[node]
            node = np.where(goes_left, self.left[node], self.right[node])
        return self.value[node].sum(axis=1) + self.bias

    def to_json(self) -> dict:
        return {
            "kind": "trees",
            "features": list(self.features),
            "split": [int(i) for i in self.split],
            "threshold": [float(t) for t in self.threshold],
            "left": [int(i) for i in self.left],
            "right": [int(i) for i in self.right],
            "value": [round(float(v), 7) for v in self.value],
            "roots": [int(i) for i in self.roots],
            "depth": self.depth,
            "bias": round(float(self.bias), 7),
        }

    @classmethod
    def from_json(cls, data: dict) -> Trees:
        return cls(
            features=tuple(data["features"]),
            split=np.asarray(data["split"], dtype=np.intp),
            threshold=np.asarray(data["threshold"], dtype=np.float64),
            left=np.asarray(data["left"], dtype=np.intp),
            right=np.asarray(data["right"], dtype=np.intp),
            value=np.asarray(data["value"], dtype=np.float64),
            roots=np.asarray(data["roots"], dtype=np.intp),
            depth=int(data["depth"]),
            bias=float(data["bias"]),
        )


def model_from_json(data: dict) -> Model | Trees:
    """A stored scorer: trees if the file says so, else a linear model."""
    return Trees.from_json(data) if data.get("kind") == "trees" else Model.from_json(data)


@dataclass(frozen=True)
class Ranking:
    """Both stages of ranking and the answer/no-answer decision.

    `lexical` orders every candidate read from the index; `full` re-scores the best of them
    with the embedding's similarities beside the lexical features (both give logits, compared
    within one question). `answerable` reads the best candidates of a question and gives the
    probability that the archive answers it: `answer_bar` is the least probability for quotes
    to be given, `nearest_bar` the least for the top quote's story to be offered as the
    nearest one instead. A quote after the first is given only within `quote_gap` of it.

    The full stage re-scores the lexical stage's best quotes: every one within `rerank_margin`
    (logits) of the first, but at least `reranked_least` and at most `reranked` of them."""

    lexical: Model | Trees
    full: Model | Trees
    answerable: Model | Trees
    answer_bar: float
    nearest_bar: float
    quote_gap: float
    reranked: int  # the most of the lexical stage's best quotes the full stage re-scores
    reranked_least: int
    rerank_margin: float
    notes: dict

    def rerank_count(self, lexical_scores: list[float]) -> int:
        """How many of a question's best quotes (lexical scores, best first) to re-score."""
        return rerank_count(lexical_scores, self.reranked, self.reranked_least, self.rerank_margin)

    def to_json(self) -> dict:
        return {
            "lexical": self.lexical.to_json(),
            "full": self.full.to_json(),
            "answerable": self.answerable.to_json(),
            "answer_bar": self.answer_bar,
            "nearest_bar": self.nearest_bar,
            "quote_gap": self.quote_gap,
            "reranked": self.reranked,
            "reranked_least": self.reranked_least,
            "rerank_margin": self.rerank_margin,
            "notes": self.notes,
        }

    @classmethod
    def from_json(cls, data: dict) -> Ranking:
        return cls(
            lexical=model_from_json(data["lexical"]),
            full=model_from_json(data["full"]),
            answerable=model_from_json(data["answerable"]),
            answer_bar=float(data["answer_bar"]),
            nearest_bar=float(data["nearest_bar"]),
            quote_gap=float(data["quote_gap"]),
            reranked=int(data["reranked"]),
            reranked_least=int(data.get("reranked_least", data["reranked"])),
            rerank_margin=float(data.get("rerank_margin", 0.0)),
            notes=data.get("notes", {}),
        )

    def save(self, path: Path = WEIGHTS_FILE) -> None:
        """One line per model (trees are long lists), the notes indented."""
        lines = [
            f"{json.dumps(key)}: {json.dumps(value, indent=1 if key == 'notes' else None)}"
            for key, value in self.to_json().items()
        ]
        path.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")


def rerank_count(lexical_scores: list[float], most: int, least: int, margin: float) -> int:
    """Every quote within `margin` of the first (scores best first), at least `least` of them
    and at most `most`."""
    if not lexical_scores:
        return 0
    close = sum(1 for score in lexical_scores if score >= lexical_scores[0] - margin)
    return min(most, max(least, close))


@cache
def trained(path: Path = WEIGHTS_FILE) -> Ranking:
    """The ranking the repository ships (read once per process)."""
    return Ranking.from_json(json.loads(path.read_text(encoding="utf-8")))


def probability(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, logit))))
