"""Inference with the shipped CRFsuite model in numpy: the same labels and marginals as
``pycrfsuite.Tagger`` without building and passing ~55 feature strings per token.

CRFsuite's ``set`` turns every feature string of every token into a C++ string and looks it up
in the model's attribute table; with the feature building itself that was ~85% of the quote
step. Here the model's weights are read once from the model file (the CRFsuite 1st-order model
format, ``crf1d_model.c``: a header, the label and attribute CQDB string tables and a table of
(type, source, destination, weight) features; Okazaki 2007) and a token's state scores are summed
template by template over attribute ids looked up once per distinct value (``features.columns``).
The sums run in CRFsuite's order (the token's features in item order, unknown ones skipped), so
state scores and Viterbi paths are bit-identical; marginals come from a scaled forward-backward
(Rabiner 1989) and agree with CRFsuite's to ~1e-15.
"""
from __future__ import annotations

import functools
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ModelError

FEATURE_DTYPE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("w", "<f8")])


@dataclass(frozen=True)
class Model:
    labels: tuple[str, ...]
    attrs: dict[str, int]      # attribute string -> row of ``weights``
    weights: np.ndarray        # (attributes + 1, labels): the last row, ``unknown``, is zeros
    trans: np.ndarray          # (labels, labels): from -> to

    @property
    def unknown(self) -> int:
        return len(self.weights) - 1


def _cqdb_strings(buf: bytes, off: int) -> list[str]:
    """The strings of a CQDB block in id order, read from its backward array."""
    chunk, _size, _flag, _order, n, bwd_off = struct.unpack_from("<4sIIIII", buf, off)
    if chunk != b"CQDB":
        raise ModelError("quote tagger model: no string table where the header points; retrain it")
    out = []
    for rec in struct.unpack_from(f"<{n}I", buf, off + bwd_off):
        _id, size = struct.unpack_from("<II", buf, off + rec)
        out.append(buf[off + rec + 8:off + rec + 7 + size].decode("utf-8"))
    return out


@functools.lru_cache(maxsize=2)
def load_model(path: str) -> Model:
    """Labels, attribute ids, state weights and transition weights of a CRFsuite model file."""
    p = Path(path)
    if not p.is_file():
        raise ModelError(f"quote tagger model {path} is missing; rebuild it with "
                         "`newsgraph train quotes --data path/to/polnear_train.jsonl`")
    buf = p.read_bytes()
    magic, _size, kind, _ver, _nf, n_labels, n_attrs, off_f, off_l, off_a = struct.unpack_from("<4sI4sIIIIIII", buf, 0)
    if magic != b"lCRF" or kind != b"FOMC":
        raise ModelError(f"{path} is not a CRFsuite 1st-order model; rebuild it with `newsgraph train quotes`")
    labels, attrs = _cqdb_strings(buf, off_l), _cqdb_strings(buf, off_a)
    chunk, _csize, n_feats = struct.unpack_from("<4sII", buf, off_f)
    if chunk != b"FEAT" or len(labels) != n_labels or len(attrs) != n_attrs:
        raise ModelError(f"{path}: unreadable feature table; rebuild it with `newsgraph train quotes`")
    feats = np.frombuffer(buf, dtype=FEATURE_DTYPE, count=n_feats, offset=off_f + 12)
    weights = np.zeros((n_attrs + 1, n_labels))
    trans = np.zeros((n_labels, n_labels))
    state, tr = feats[feats["type"] == 0], feats[feats["type"] == 1]
    weights[state["src"], state["dst"]] = state["w"]
    trans[tr["src"], tr["dst"]] = tr["w"]
    return Model(tuple(labels), {a: i for i, a in enumerate(attrs)}, weights, trans)


def state_scores(model: Model, ids: np.ndarray) -> np.ndarray:
    """(tokens, labels) scores from (templates, tokens) attribute ids, summed template by
    template in the tokens' feature order (CRFsuite's summation order: bit-identical sums)."""
    out = np.zeros((ids.shape[1], len(model.labels)))
    for row in ids:
        out += model.weights[row]
    return out


def per_paragraph(scores: np.ndarray, paras: list[list[int]]) -> list[np.ndarray]:
    """A document's token state scores cut into its paragraphs' sequences (the tagger's units)."""
    bounds = np.cumsum([0] + [len(p) for p in paras])
    return [scores[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def decode(model: Model, scores: list[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """(Viterbi label ids, marginals (tokens, labels)) per sequence of state scores; the
    sequences of a document run together, longest first, so that each step is one numpy call
    over all sequences still running."""
    if not scores:
        return [], []
    order = sorted(range(len(scores)), key=lambda k: -len(scores[k]))
    lens = np.array([len(scores[k]) for k in order])
    n, t_max, n_lab = len(order), int(lens[0]), len(model.labels)
    s = np.zeros((n, t_max, n_lab))
    for row, k in enumerate(order):
        s[row, :lens[row]] = scores[k]
    running = [int((lens > t).sum()) for t in range(t_max + 1)]  # sequences with a position t
    paths = _viterbi(s, model.trans, lens, running)
    marg = _marginals(s, model.trans, running)
    out_paths, out_marg = [None] * n, [None] * n
    for row, k in enumerate(order):
        out_paths[k] = paths[row, :lens[row]]
        out_marg[k] = marg[row, :lens[row]]
    return out_paths, out_marg


def _viterbi(s: np.ndarray, trans: np.ndarray, lens: np.ndarray, running: list[int]) -> np.ndarray:
    """Best paths, as CRFsuite computes them (``crf1dc_viterbi``: the first maximum wins ties)."""
    n, t_max, n_lab = s.shape
    score = s[:, 0].copy()
    back = np.zeros((n, t_max, n_lab), dtype=np.intp)
    for t in range(1, t_max):
        m = running[t]
        cand = score[:m, :, None] + trans
        back[:m, t] = cand.argmax(1)
        score[:m] = cand.max(1) + s[:m, t]
    paths = np.zeros((n, t_max), dtype=np.intp)
    cur = np.zeros(n, dtype=np.intp)
    rows = np.arange(n)
    for t in range(t_max - 1, -1, -1):
        m, ending = running[t], running[t + 1]
        if ending < m:  # sequences whose last position is t start their path here
            cur[ending:m] = score[ending:m].argmax(1)
        paths[:m, t] = cur[:m]
        if t:
            cur[:m] = back[rows[:m], t, cur[:m]]
    return paths


def _marginals(s: np.ndarray, trans: np.ndarray, running: list[int]) -> np.ndarray:
    """Per position and label, the marginal probability (scaled forward-backward)."""
    n, t_max, _ = s.shape
    x = np.exp(s - s.max(2, keepdims=True))
    e = np.exp(trans)
    alpha = np.ones_like(x)
    beta = np.ones_like(x)
    alpha[:, 0] = x[:, 0] / x[:, 0].sum(1, keepdims=True)
    for t in range(1, t_max):
        m = running[t]
        a = (alpha[:m, t - 1] @ e) * x[:m, t]
        alpha[:m, t] = a / a.sum(1, keepdims=True)
    for t in range(t_max - 2, -1, -1):
        m = running[t + 1]
        b = (x[:m, t + 1] * beta[:m, t + 1]) @ e.T
        beta[:m, t] = b / b.sum(1, keepdims=True)
    p = alpha * beta
    return p / p.sum(2, keepdims=True)
