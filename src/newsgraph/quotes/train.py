"""``newsgraph train quotes``: rebuild the attribution tagger from the PolNeAR train split.

Gold attributions (content / source / cue character spans, ``shared/data/quotes/README.md``)
become BIO tags on the spaCy tokens of each paragraph; a linear-chain CRF (CRFsuite, L-BFGS
with L1+L2 penalties, Lafferty et al. 2001; Okazaki 2007) learns them from the features of
``features.py``. Nested attributions keep the outer one (a token takes its first tag).
Tune on the dev split only; never train on it. Regularisation measured on PolNeAR dev (84 articles,
end-to-end F1 all / direct+mixed / resolved-name recall, with the rules and decoder of the same
commit): c1 0.05, c2 0.01, 120 iterations 70.1 / 86.3 / 67.6 (14 MB); c1 0.15, c2 0.02, 150 it
70.5 / 86.9 / 69.1 (9.6 MB); c1 0.3, c2 0.05, 150 it 70.7 / 87.2 / 70.0 (8.0 MB, shipped); c1 0.6,
c2 0.1, 150 it 70.4 / 86.9 / 69.1 (5.7 MB, measured with the later decoder that gives 70.9 / 87.6 / 70.2).
Quotation-shape features (length and speech-like ending of the quotation a token stands in, opening /
closing mark role) retrained at c1 0.3, c2 0.05: 71.6 / 88.2 / 70.1 against 72.1 / 89.3 / 71.7 for the
shipped model with the same rules and decoder, so not kept.
"""
from __future__ import annotations

import json
import logging
import random
import time
from pathlib import Path

from .features import doc_features
from .tagger import MODEL_FILE, model_path

log = logging.getLogger(__name__)

DEFAULT_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "quotes" / "polnear_train.jsonl"
PARAMS = {"c1": 0.3, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True}


def gold_labels(doc, quotes: list[dict]) -> list[str]:
    """BIO labels (C = content, S = source, Q = cue) per token of ``doc``; outer attributions first."""
    labels = ["O"] * len(doc)
    starts = [t.idx for t in doc]
    ordered = sorted(quotes, key=lambda q: -sum(e - s for s, e in q["content"]))
    for q in ordered:
        for tag, key in (("C", "content"), ("S", "speaker"), ("Q", "cue")):
            for s, e in q.get(key) or []:
                _tag_span(doc, starts, labels, s, e, tag)
    return labels


def _tag_span(doc, starts, labels, s, e, tag) -> None:
    import bisect
    i = max(0, bisect.bisect_right(starts, s) - 1)
    first = True
    while i < len(doc) and doc[i].idx < e:
        tok = doc[i]
        if tok.idx + len(tok.text) > s and not tok.is_space and labels[i] == "O":
            labels[i] = ("B-" if first else "I-") + tag
            first = False
        i += 1


def sequences(docs, articles):
    """(features, labels) per paragraph of every document."""
    for doc, art in zip(docs, articles):
        labels = gold_labels(doc, art["quotes"])
        paras, feats = doc_features(doc)
        for para, f in zip(paras, feats):
            yield f, [labels[i] for i in para]


def load_articles(path: Path, limit: int | None = None, seed: int = 13) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        arts = [json.loads(line) for line in fh if line.strip()]
    if limit and limit < len(arts):
        arts = random.Random(seed).sample(arts, limit)
    return arts


def parsed(articles, docbin: str | None):
    """spaCy Docs of ``articles``: from a DocBin made from the same file, or parsed now."""
    from .. import nlp as nlp_mod
    nlp = nlp_mod.load()
    if docbin:
        from spacy.tokens import DocBin
        docs = {d.text: d for d in DocBin().from_disk(docbin).get_docs(nlp.vocab)}
        return [docs.get(a["text"]) or nlp(a["text"]) for a in articles]
    return list(nlp.pipe((a["text"] for a in articles), batch_size=16))


def fit(data: Path, out: Path, limit: int | None = None, docbin: str | None = None,
        params: dict | None = None) -> int:
    import pycrfsuite

    t0 = time.time()
    arts = load_articles(data, limit)
    docs = parsed(arts, docbin)
    log.info("parsed %d articles in %.0fs", len(arts), time.time() - t0)
    trainer = pycrfsuite.Trainer(verbose=False)
    n_tok = 0
    for f, y in sequences(docs, arts):
        trainer.append(f, y)
        n_tok += len(y)
    trainer.set_params({**PARAMS, **(params or {})})
    log.info("training on %d tokens", n_tok)
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    log.info("wrote %s (%d bytes) in %.0fs", out, out.stat().st_size, time.time() - t0)
    return n_tok


def train(args) -> int:
    """CLI entry: ``newsgraph train quotes [--data polnear_train.jsonl] [--out model.crfsuite]``."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    data = Path(args.data) if args.data else DEFAULT_DATA
    if not data.is_file():
        log.error("training data %s not found; pass --data path/to/polnear_train.jsonl", data)
        return 2
    out = Path(args.out) if args.out else model_path()
    if out.is_dir():
        out = out / MODEL_FILE
    fit(data, out, getattr(args, "limit", None), getattr(args, "docbin", None))
    return 0


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="train the quote attribution CRF")
    ap.add_argument("--data")
    ap.add_argument("--out")
    ap.add_argument("--limit", type=int, help="train on a random subset of this many articles")
    ap.add_argument("--docbin", help="a DocBin of the same articles (speeds up iteration)")
    raise SystemExit(train(ap.parse_args()))
