"""Train the lexical technique classifier (TC) on gold spans of the training split.

Multinomial logistic regression over ``features.span_features`` (scikit-learn; training only).
A span with several gold techniques gives one example per technique.
"""
from __future__ import annotations

import logging
from collections import Counter

import numpy as np

from .features import normalise, span_features
from .labels import LABELS
from .linear import Linear

log = logging.getLogger(__name__)


def gold_examples(docs: list[dict]) -> tuple[list[dict], list[int]]:
    feats, ys = [], []
    for d in docs:
        text, norm = d["text"], normalise(d["text"])
        for g in d["spans"]:
            if g["technique"] in LABELS:
                feats.append(span_features(text, (g["start"], g["end"]), norm))
                ys.append(LABELS.index(g["technique"]))
    return feats, ys


def fit_sparse(feats: list[dict], ys: list[int], c: float, min_count: int, max_iter: int):
    """Logistic regression over dict features seen at least ``min_count`` times: (vectoriser, model, X)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts = Counter(k for f in feats for k in f)
    feats = [{k: v for k, v in f.items() if counts[k] >= min_count} for f in feats]
    vec = DictVectorizer()
    x = vec.fit_transform(feats)
    return vec, LogisticRegression(C=c, max_iter=max_iter).fit(x, ys), x


def train_lexical(docs: list[dict], c: float = 0.5, min_count: int = 2) -> Linear:
    vec, model, x = fit_sparse(*gold_examples(docs), c=c, min_count=min_count, max_iter=2000)
    log.info("lexical TC: %d examples, %d features", x.shape[0], x.shape[1])
    weights = np.zeros((x.shape[1], len(LABELS)), dtype=np.float32)
    bias = np.full(len(LABELS), -20.0, dtype=np.float32)
    weights[:, model.classes_] = model.coef_.T
    bias[model.classes_] = model.intercept_
    return Linear(dict(vec.vocabulary_), weights, bias)
