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


def train_tokens(docs: list[dict], base, c: float = 0.01, min_words: int = 3):
    """``sentence.TokenScorer`` on the lines of ``docs``: logistic regression (standardised
    inputs) on the mean MiniLM input embedding of each line's wordpieces (the fp32 table of the
    base model, which fine-tuning leaves frozen), folded into one weight per wordpiece."""
    from safetensors.numpy import load_file
    from sklearn.linear_model import LogisticRegression

    from .sentence import TokenScorer
    from .windows import load_tokenizer

    table = load_file(str(base / "model.safetensors"))["embeddings.word_embeddings.weight"].astype(np.float64)
    tokenizer = load_tokenizer(str(base / "tokenizer.json"))
    texts, ys = [], []
    for d in docs:
        text, gold = d["text"], [(g["start"], g["end"]) for g in d["spans"]]
        for s, e in line_spans(text, 0, len(text)):
            if len(text[s:e].split()) >= min_words:
                texts.append(text[s:e])
                ys.append(int(any(a < e and b > s for a, b in gold)))
    encs = tokenizer.encode_batch(texts, add_special_tokens=False)
    keep = [k for k, enc in enumerate(encs) if enc.ids]
    x = np.stack([table[encs[k].ids].mean(axis=0) for k in keep])
    y = np.array([ys[k] for k in keep])
    mu, sd = x.mean(axis=0), x.std(axis=0) + 1e-6
    model = LogisticRegression(C=c, max_iter=3000).fit((x - mu) / sd, y)
    w = model.coef_[0] / sd
    log.info("token pre-filter on %d training lines", len(y))
    return TokenScorer((table @ w).astype(np.float32), float(model.intercept_[0] - w @ mu))
