"""Train the sentence pre-filter (``sentence.SentenceScorer``) on the lines of ``ptc_train``.

A line (PTC articles are one sentence per line) is positive when a gold technique span overlaps
it, the sentence-level (SLC) task of Da San Martino et al. (2019). Logistic regression with
scikit-learn; training only.
"""
from __future__ import annotations

import logging

import numpy as np

from .train_lexical import fit_sparse
from .sentence import SentenceScorer, doc_counts, sentence_features
from .windows import line_spans

log = logging.getLogger(__name__)


def sentence_examples(docs: list[dict], min_words: int = 3) -> tuple[list[dict], list[int]]:
    """Features and 0/1 labels of every line with at least ``min_words`` words."""
    feats, ys = [], []
    for d in docs:
        text = d["text"]
        counts = doc_counts(text)
        gold = [(g["start"], g["end"]) for g in d["spans"]]
        for s, e in line_spans(text, 0, len(text)):
            if len(text[s:e].split()) < min_words:
                continue
            feats.append(sentence_features(text, (s, e), counts))
            ys.append(int(any(a < e and b > s for a, b in gold)))
    return feats, ys


def train_sentence(docs: list[dict], c: float = 0.1, min_count: int = 2) -> SentenceScorer:
    feats, ys = sentence_examples(docs)
    vec, model, x = fit_sparse(feats, ys, c=c, min_count=min_count, max_iter=3000)
    log.info("sentence pre-filter: %d sentences (%.0f%% positive), %d features", len(ys),
             100 * np.mean(ys), x.shape[1])
    coef = model.coef_[0]
    names = vec.get_feature_names_out()
    weights = {str(n): float(w) for n, w in zip(names, coef) if abs(w) >= 1e-3}
    return SentenceScorer(weights, float(model.intercept_[0]))
