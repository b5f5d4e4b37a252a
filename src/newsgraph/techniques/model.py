"""The shipped technique model, loaded once per process: onnxruntime + tokenizers + numpy only.

Files in ``newsgraph/models/techniques`` (rebuilt by ``newsgraph train techniques``):
``encoder.onnx`` (MiniLM layers fine-tuned as a BIO span tagger, int8), ``tokenizer.json``,
``label_head.npz`` (span-label head over the encoder's vectors), ``sentence_head.npz`` (optional:
the sentence head trained with the tagger, over the window's [CLS] and mean vectors),
``prefilter_tokens.npz`` (optional: the pre-filter's per-wordpiece embedding weights), ``lexical.json``/``.npz``
(sparse lexical label classifier), ``sentence.json``/``.npz`` (lexical sentence pre-filter) and
``config.json`` (mixing weight, calibration, thresholds, limits).
"""
from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass
from importlib import resources

import numpy as np

from ..errors import ModelError
from .linear import Linear
from .sentence import SentenceScorer, TokenScorer
from .windows import Window, batch_arrays, load_tokenizer

log = logging.getLogger(__name__)
FILES = ("encoder.onnx", "tokenizer.json", "label_head.npz", "lexical.json", "lexical.npz", "sentence.json",
         "sentence.npz", "config.json")


@dataclass(frozen=True)
class TechniqueModel:
    session: object          # onnxruntime.InferenceSession
    tokenizer: object        # tokenizers.Tokenizer
    head_w: np.ndarray       # [2 * hidden, labels]
    head_b: np.ndarray       # [labels]
    lexical: Linear
    sentences: SentenceScorer  # the lexical sentence pre-filter
    config: dict
    sent_w: np.ndarray | None = None  # [2 * hidden] sentence head (None: a model without one)
    sent_b: float = 0.0
    tokens: TokenScorer | None = None  # the pre-filter's embedding score (None: words only)

    def prefilter(self, text: str, sents: list[tuple[int, int]], encodings=None) -> list[float]:
        """The pre-filter's log-odds per sentence: the word classifier's, mixed with the
        embedding score as ``config["prefilter_mix"]`` = [a_words, a_tokens, b] says (v4).
        ``encodings``: the sentences' tokenizer encodings, when the caller has them."""
        words = self.sentences.logits(text, sents)
        if not self.uses_tokens:
            return words
        if encodings is None:
            encodings = self.tokenizer.encode_batch([text[s:e] for s, e in sents], add_special_tokens=False)
        mix = self.config["prefilter_mix"]
        return [mix[0] * a + mix[1] * b + mix[2] for a, b in zip(words, self.tokens.logits_of(encodings))]

    @property
    def uses_tokens(self) -> bool:
        """The pre-filter reads wordpieces (so ``read`` tokenizes every sentence once)."""
        return self.tokens is not None and bool(self.config.get("prefilter_mix"))

    def encode(self, windows: list[Window], batch: int = 8, slack: float = 1.25
               ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Per window: tag probabilities [n, 3] and hidden vectors [n + 1, hidden] ([CLS] first).

        Windows run in length-sorted batches of at most ``batch``, a new batch starting when a
        window is ``slack`` times longer than the batch's first: padding stays small (encoder
        cost grows with the padded width times the batch size). Small batches measured fastest
        with the int8 encoder on one thread (one batch per document ran at half the speed)."""
        tags: list = [None] * len(windows)
        hidden: list = [None] * len(windows)
        for part in length_batches([len(w.ids) for w in windows], batch, slack):
            ids, mask = batch_arrays([windows[i] for i in part])
            h, p = self.session.run(["hidden", "tags"], {"input_ids": ids, "attention_mask": mask})
            for row, i in enumerate(part):
                n = len(windows[i].ids)
                tags[i], hidden[i] = p[row, 1:n + 1], h[row, :n + 1]
        return tags, hidden

    def sentence_logit(self, hidden: np.ndarray) -> float | None:
        """The sentence head's log-odds that a window holds a technique, from its hidden vectors
        ([CLS] first, as ``encode`` returns them): [CLS] and the mean of the wordpieces."""
        if self.sent_w is None:
            return None
        return float(sentence_vector(hidden) @ self.sent_w + self.sent_b)

    def head_probs(self, pooled: np.ndarray) -> np.ndarray:
        z = pooled @ self.head_w + self.head_b
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


def sentence_vector(hidden: np.ndarray) -> np.ndarray:
    """[2 * hidden]: a window's [CLS] vector and the mean of its wordpiece vectors."""
    return np.concatenate([hidden[0], hidden[1:].mean(axis=0) if len(hidden) > 1 else np.zeros_like(hidden[0])])


def length_batches(lengths: list[int], batch: int, slack: float) -> list[list[int]]:
    """Indices grouped in batches of similar length (sorted; at most ``batch`` per group)."""
    out: list[list[int]] = []
    for i in sorted(range(len(lengths)), key=lengths.__getitem__):
        if out and len(out[-1]) < batch and lengths[i] + 2 <= slack * (lengths[out[-1][0]] + 2):
            out[-1].append(i)
        else:
            out.append([i])
    return out


def model_dir():
    return resources.files("newsgraph") / "models" / "techniques"


@functools.lru_cache(maxsize=2)
def load_model(folder: str | None = None) -> TechniqueModel:
    """Load the technique model (cached). ``folder`` overrides the packaged one (for training)."""
    import onnxruntime as ort
    from pathlib import Path

    base = Path(folder) if folder else model_dir()
    missing = [f for f in FILES if not (base / f).is_file()]
    if missing:
        raise ModelError(f"technique model files {missing} are missing from {base}; reinstall newsgraph "
                         "or rebuild them with `newsgraph train techniques` (needs the train extra)")
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    session = ort.InferenceSession(str(base / "encoder.onnx"), opts, providers=["CPUExecutionProvider"])
    with (base / "label_head.npz").open("rb") as fh:
        arrays = np.load(fh, allow_pickle=False)
        head_w, head_b = arrays["weights"].astype(np.float32), arrays["bias"].astype(np.float32)
    config = json.loads((base / "config.json").read_text(encoding="utf-8"))
    wanted = [f for f, used in (("sentence_head.npz", len(config.get("stack", ())) == 6),
                                ("prefilter_tokens.npz", bool(config.get("prefilter_mix"))))
              if used and not (base / f).is_file()]
    if wanted:
        raise ModelError(f"technique model {config.get('name')} in {base} needs {wanted}; reinstall "
                         "newsgraph or rebuild the model with `newsgraph train techniques`")
    sent_w, sent_b = None, 0.0
    if (base / "sentence_head.npz").is_file():
        with (base / "sentence_head.npz").open("rb") as fh:
            arrays = np.load(fh, allow_pickle=False)
            sent_w, sent_b = arrays["weights"].astype(np.float32), float(arrays["bias"][0])
    log.info("loaded technique model %s from %s", config.get("name"), base)
    return TechniqueModel(session, load_tokenizer(str(base / "tokenizer.json")), head_w, head_b,
                          Linear.load(base, "lexical"), SentenceScorer.load(base), config, sent_w, sent_b,
                          TokenScorer.load(base))
