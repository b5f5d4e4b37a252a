"""The shipped attribution tagger: a CRFsuite model file inside the package (no pickle), run in
numpy by ``crf.py``; ``load_tagger`` opens it with CRFsuite itself (the reference the tests check against)."""
from __future__ import annotations

import functools
import logging
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import ModelError
from . import crf
from .features import feature_ids, paragraphs

log = logging.getLogger(__name__)

MODEL_FILE = "attribution.crfsuite"


def model_path() -> Path:
    return Path(str(resources.files("newsgraph") / "models" / "quotes" / MODEL_FILE))


@functools.lru_cache(maxsize=2)
def load_tagger(path: str | None = None):
    """The CRF tagger, opened once per process."""
    import pycrfsuite

    path = path or str(model_path())
    if not Path(path).is_file():
        raise ModelError(f"quote tagger model {path} is missing; rebuild it with "
                         "`newsgraph train quotes --data path/to/polnear_train.jsonl`")
    tagger = pycrfsuite.Tagger()
    tagger.open(path)
    log.info("loaded quote tagger %s", path)
    return tagger


def _verb_flags(doc) -> list[bool]:
    """Per token: is it a verb or auxiliary (read from the parse's arrays, without Token objects)?"""
    from spacy.attrs import POS
    from spacy.symbols import AUX, VERB
    return [p in (VERB, AUX) for p in doc.to_array([POS]).tolist()]


def tag(doc, path: str | None = None, cue_marginals: list[float] | None = None,
        paras: list[list[int]] | None = None) -> tuple[list[str], list[float]]:
    """(BIO label, marginal probability of that label) per token of ``doc``; 'O' for spaces.
    When ``cue_marginals`` is given (a list of ``len(doc)`` floats) it receives, for each verb the
    tagger left 'O' or inside a content run, the marginal probability that the token is a cue (B-Q + I-Q).
    The model runs in numpy (``crf.py``: the labels and marginals ``pycrfsuite.Tagger`` gives
    for ``features.doc_features``, from attribute ids instead of feature strings)."""
    model = crf.load_model(path or str(model_path()))
    labels, probs = ["O"] * len(doc), [1.0] * len(doc)
    paras = paragraphs(doc) if paras is None else paras
    scores = crf.state_scores(model, feature_ids(doc, paras, model.attrs, model.unknown))
    paths, margs = crf.decode(model, crf.per_paragraph(scores, paras))
    verbs = _verb_flags(doc) if cue_marginals is not None else None
    cue_ids = [model.labels.index(lab) for lab in ("B-Q", "I-Q") if lab in model.labels] if verbs else []
    names = model.labels
    for para, path_ids, marg in zip(paras, paths, margs):
        chosen = marg[np.arange(len(para)), path_ids].tolist()
        for k, (i, y) in enumerate(zip(para, path_ids.tolist())):
            labels[i] = lab = names[y]
            probs[i] = chosen[k]
            if cue_ids and lab in ("O", "I-C") and chosen[k] < 0.99 and verbs[i]:
                cue_marginals[i] = sum(float(marg[k, c]) for c in cue_ids)
    return labels, probs
