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


def train_lexical(docs: list[dict], c: float = 0.5, min_count: int = 2) -> Linear:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    feats, ys = gold_examples(docs)
    counts = Counter(k for f in feats for k in f)
    feats = [{k: v for k, v in f.items() if counts[k] >= min_count} for f in feats]
    vec = DictVectorizer()
    x = vec.fit_transform(feats)
    model = LogisticRegression(C=c, max_iter=2000, class_weight=None)
    model.fit(x, ys)
    log.info("lexical TC: %d examples, %d features", len(ys), x.shape[1])
    weights = np.zeros((x.shape[1], len(LABELS)), dtype=np.float32)
    bias = np.full(len(LABELS), -20.0, dtype=np.float32)
    weights[:, model.classes_] = model.coef_.T
    bias[model.classes_] = model.intercept_
    return Linear(dict(vec.vocabulary_), weights, bias)
