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


def tag(doc, path: str | None = None) -> tuple[list[str], list[float]]:
    """(BIO label, marginal probability of that label) per token of ``doc``; 'O' for spaces."""
    tagger = load_tagger(path)
    labels, probs = ["O"] * len(doc), [1.0] * len(doc)
    paras, feats = doc_features(doc)
    for para, f in zip(paras, feats):
        ys = tagger.tag(f)
        for k, (i, y) in enumerate(zip(para, ys)):
            labels[i] = y
            probs[i] = tagger.marginal(y, k)
    return labels, probs
