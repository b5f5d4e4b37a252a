"""Sentence-level technique detection: a cheap lexical pre-filter and the sentence score.

The pre-filter is a sparse logistic classifier over a sentence's words, bigrams, length,
punctuation, lexicon hits and the recurrence of its words in the document (the sentence-level
classification (SLC) baselines of Da San Martino et al., 2019, which already separate
propagandistic sentences with bag-of-words and length features). It runs before the encoder so
that the encoder reads only candidate sentences; its threshold is set on ``ptc_dev`` for high
recall of the sentences holding a gold span. From ``techniques.minilm.v4`` its log-odds are
mixed (weights fitted on ``ptc_dev``) with a ``TokenScorer`` over the mean of the sentence's
MiniLM input embeddings, which generalises past the training vocabulary: on ``ptc_dev`` AUC
0.750 (words) -> 0.783 (mixed), and at the same share of sentences encoded (48 %) it keeps 79 %
of the sentences holding a gold span instead of 75 %.

The sentence score stacks the pre-filter's log-odds with the span tagger's strongest in-sentence
confidence (a logistic combination fitted on ``ptc_dev``): the chance that the sentence uses a
technique.
"""
from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .features import lexicon_hits, words

Span = tuple[int, int]
_LEN_EDGES = (3, 5, 8, 12, 17, 23, 30, 40, 55)


def _bucket(n: int) -> str:
    for edge in _LEN_EDGES:
        if n <= edge:
            return str(edge)
    return f">{_LEN_EDGES[-1]}"


def doc_counts(text: str) -> Counter:
    """Word counts of the whole document (for the recurrence features)."""
    return Counter(words(text))


def sentence_features(text: str, span: Span, counts: Counter) -> dict[str, float]:
    """Sparse features of the sentence ``text[span[0]:span[1]]``; ``counts = doc_counts(text)``."""
    frag = text[span[0]:span[1]]
    ws = words(frag)
    f: dict[str, float] = {"bias": 1.0, f"len:{_bucket(len(ws))}": 1.0}
    for w in ws:
        f[f"w:{w}"] = 1.0
    for a, b in zip(ws, ws[1:]):
        f[f"b:{a}_{b}"] = 1.0
    content = [w for w in ws if len(w) > 3 and w.isalpha()]
    repeated = sum(1 for w in set(content) if counts[w] >= 3)
    f[f"rep:{min(repeated, 4)}"] = 1.0
    for name in lexicon_hits(frag.lower()):
        f[f"lex:{name}"] = 1.0
    f["caps"] = float(any(len(w) > 2 and w.isupper() for w in frag.split()))
    f["quoted"] = float(any(c in frag for c in "\"“”"))
    f["exclaim"] = float("!" in frag)
    f["question"] = float("?" in frag)
    return f


@dataclass(frozen=True)
class SentenceScorer:
    """Binary logistic classifier as a name -> weight dict (pure Python at run time)."""
    weights: dict[str, float]
    bias: float

    def logit(self, feats: dict[str, float]) -> float:
        w = self.weights
        return self.bias + sum(v * w.get(k, 0.0) for k, v in feats.items())

    def logits(self, text: str, spans: list[Span]) -> list[float]:
        counts = doc_counts(text)
        return [self.logit(sentence_features(text, s, counts)) for s in spans]

    def save(self, folder: Path, name: str = "sentence") -> None:
        names = sorted(self.weights)
        (folder / f"{name}.json").write_text(json.dumps(names), encoding="utf-8")
        np.savez_compressed(folder / f"{name}.npz", weights=np.array([self.weights[n] for n in names], np.float16),
                            bias=np.array([self.bias], np.float32))

    @classmethod
    def load(cls, folder, name: str = "sentence") -> "SentenceScorer":
        names = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        with (folder / f"{name}.npz").open("rb") as fh:
            arrays = np.load(fh, allow_pickle=False)
            weights, bias = arrays["weights"].astype(np.float64), float(arrays["bias"][0])
        return cls(dict(zip(names, weights.tolist())), bias)


@dataclass(frozen=True)
class TokenScorer:
    """The second pre-filter score: a logistic regression on the mean of a sentence's MiniLM
    input embeddings (the encoder's own static word vectors, ``train_sentence.train_tokens``).
    Linear in the mean, so it is stored folded into one weight per wordpiece: the score is the
    mean weight of the sentence's wordpieces plus a bias (no embedding table at run time)."""
    weights: np.ndarray  # [vocab]
    bias: float

    def logits(self, tokenizer, texts: list[str]) -> list[float]:
        return self.logits_of(tokenizer.encode_batch(texts, add_special_tokens=False) if texts else [])

    def logits_of(self, encodings) -> list[float]:
        """The same from the texts' tokenizer encodings (``add_special_tokens=False``)."""
        return [self.bias + (float(self.weights[e.ids].mean()) if e.ids else 0.0) for e in encodings]

    def save(self, folder: Path, name: str = "prefilter_tokens") -> None:
        np.savez_compressed(folder / f"{name}.npz", weights=self.weights.astype(np.float16),
                            bias=np.array([self.bias], np.float32))

    @classmethod
    def load(cls, folder, name: str = "prefilter_tokens") -> "TokenScorer | None":
        if not (folder / f"{name}.npz").is_file():
            return None
        with (folder / f"{name}.npz").open("rb") as fh:
            arrays = np.load(fh, allow_pickle=False)
            return cls(arrays["weights"].astype(np.float32), float(arrays["bias"][0]))


def logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))


def sentence_score(lexical: float, tagger: float | None, stack: list[float], head: float | None = None
                   ) -> float:
    """P(sentence uses a technique) from the pre-filter's log-odds ``lexical``, the tagger's
    strongest in-sentence inside-probability ``tagger`` (None when the encoder skipped it) and
    the sentence head's log-odds ``head`` (models from v4, trained with the tagger).

    ``stack`` = [a_lex, a_tag, b, a_lex_only, b_lex_only], or with the sentence head
    [a_lex, a_tag, a_head, b, a_lex_only, b_lex_only]; fitted on ptc_dev by ``train``."""
    if tagger is None:
        return sigmoid(stack[-2] * lexical + stack[-1])
    z = stack[0] * lexical + stack[1] * logit(tagger) + stack[-3]
    if len(stack) == 6:
        z += stack[2] * (head or 0.0)
    return sigmoid(z)
