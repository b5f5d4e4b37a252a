"""The shipped attribution tagger: a CRFsuite model file inside the package (no pickle)."""
from __future__ import annotations

import functools
import logging
from importlib import resources
from pathlib import Path

from ..errors import ModelError
from .features import doc_features

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
    tagger left 'O' or inside a content run, the marginal probability that the token is a cue (B-Q + I-Q)."""
    tagger = load_tagger(path)
    labels, probs = ["O"] * len(doc), [1.0] * len(doc)
    paras, feats = doc_features(doc, paras)
    known = set(tagger.labels()) if cue_marginals is not None else set()
    verbs = _verb_flags(doc) if cue_marginals is not None else None
    cue_labels = [lab for lab in ("B-Q", "I-Q") if lab in known]
    for para, f in zip(paras, feats):
        ys = tagger.tag(f)
        for k, (i, y) in enumerate(zip(para, ys)):
            labels[i] = y
            probs[i] = tagger.marginal(y, k)
            if cue_labels and y in ("O", "I-C") and probs[i] < 0.99 and verbs[i]:
                cue_marginals[i] = sum(tagger.marginal(lab, k) for lab in cue_labels)
    return labels, probs
