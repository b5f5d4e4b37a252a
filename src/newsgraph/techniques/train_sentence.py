"""Train the sentence pre-filter (``sentence.SentenceScorer``) on the lines of ``ptc_train``.

A line (PTC articles are one sentence per line) is positive when a gold technique span overlaps
it, the sentence-level (SLC) task of Da San Martino et al. (2019). Logistic regression with
scikit-learn; training only.
"""
from __future__ import annotations

import logging
from collections import Counter

import numpy as np

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
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    feats, ys = sentence_examples(docs)
    counts = Counter(k for f in feats for k in f)
    feats = [{k: v for k, v in f.items() if counts[k] >= min_count} for f in feats]
    vec = DictVectorizer()
    x = vec.fit_transform(feats)
    model = LogisticRegression(C=c, max_iter=3000).fit(x, ys)
    log.info("sentence pre-filter: %d sentences (%.0f%% positive), %d features", len(ys),
             100 * np.mean(ys), x.shape[1])
    coef = model.coef_[0]
    names = vec.get_feature_names_out()
    weights = {str(n): float(w) for n, w in zip(names, coef) if abs(w) >= 1e-3}
    return SentenceScorer(weights, float(model.intercept_[0]))
