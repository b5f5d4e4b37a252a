"""Fine-tune MiniLM-L6 (first ``layers`` layers) as a span tagger plus a span-label head.

Span identification follows the token-tagging systems of SemEval-2020 Task 11 (e.g. Jurkiewicz
et al., 2020; Chernyavskiy et al., 2020): BIO tags over wordpieces, one sentence per window. The
label head pools the span's wordpieces with the sentence's [CLS] vector (the TC setup of the same
papers). Training only: needs torch (the ``train`` extra).
"""
from __future__ import annotations

import json
import logging
import random
import time
from pathlib import Path

from .labels import LABELS
from .windows import Window, batch_arrays, line_spans, make_windows

log = logging.getLogger(__name__)


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def token_range(w: Window, s: int, e: int) -> tuple[int, int] | None:
    """Indices [i, j) of the window's wordpieces that overlap [s, e)."""
    idx = [k for k, (a, b) in enumerate(w.offsets) if a < e and b > s]
    return (idx[0], idx[-1] + 1) if idx else None


def tags_for(w: Window, gold: list[tuple[int, int]]) -> list[int]:
    tags = [0] * len(w.ids)
    for s, e in gold:
        r = token_range(w, s, e)
        if r:
            tags[r[0]] = 1
            for k in range(r[0] + 1, r[1]):
                tags[k] = 2
    return tags


def examples(docs: list[dict], tokenizer, max_len: int) -> list[dict]:
    """One example per window: tags, and the labelled spans (token ranges, label sets)."""
    out = []
    for d in docs:
        text, gold = d["text"], d["spans"]
        merged = merge([(g["start"], g["end"]) for g in gold])
        for w in make_windows(tokenizer, text, line_spans(text, 0, len(text)), max_len):
            labelled: dict[tuple[int, int], set[int]] = {}
            for g in gold:
                r = token_range(w, g["start"], g["end"])
                if r and g["technique"] in LABELS:
                    labelled.setdefault(r, set()).add(LABELS.index(g["technique"]))
            out.append({"w": w, "tags": tags_for(w, merged), "spans": sorted(labelled.items())})
    return out


def heads(hidden: int, torch):
    """``tag``: BIO per wordpiece; ``label``: span label over ``span_pool``; ``sent``: does the
    window hold a technique, over ``sentence_pool`` (its logit)."""
    nn = torch.nn
    return nn.ModuleDict({"tag": nn.Linear(hidden, 3), "label": nn.Sequential(
        nn.Dropout(0.1), nn.Linear(2 * hidden, len(LABELS))),
        "sent": nn.Sequential(nn.Dropout(0.1), nn.Linear(2 * hidden, 1))})


def sentence_pool(h, mask, torch):
    """[batch, 2*hidden]: each window's [CLS] vector and the mean of its wordpieces (no [CLS] or
    [SEP]); the same as ``extractor.sentence_vector`` computes from the ONNX hidden states."""
    inner = mask.clone().to(h.dtype)
    inner[:, 0] = 0.0
    inner[range(len(mask)), mask.sum(1) - 1] = 0.0
    mean = (h * inner[..., None]).sum(1) / inner.sum(1, keepdim=True).clamp(min=1.0)
    return torch.cat([h[:, 0], mean], dim=-1)


def span_pool(h, spans_idx, torch):
    """[n, 2*hidden]: mean of each span's wordpieces (+1 for [CLS]) and its window's [CLS]."""
    b, t, d = h.shape
    m = torch.zeros(len(spans_idx), b * t)
    cls_rows = []
    for n, (row, i, j) in enumerate(spans_idx):
        m[n, row * t + 1 + i: row * t + 1 + j] = 1.0 / (j - i)
        cls_rows.append(row)
    pooled = m @ h.reshape(b * t, d)
    return torch.cat([pooled, h[cls_rows, 0]], dim=-1)


def step_loss(bert, hd, batch, torch, sentence_weight: float = 0.0):
    """BIO cross-entropy + span-label cross-entropy (+ ``sentence_weight`` x the sentence head's
    binary cross-entropy: the window holds a gold span)."""
    ids, mask = (torch.from_numpy(a) for a in batch_arrays([x["w"] for x in batch]))
    h = bert(ids, mask)
    tags = torch.full(ids.shape, -100, dtype=torch.long)
    spans_idx, targets = [], []
    for row, x in enumerate(batch):
        tags[row, 1:1 + len(x["tags"])] = torch.tensor(x["tags"])
        for (i, j), labs in x["spans"]:
            spans_idx.append((row, i, j))
            tgt = torch.zeros(len(LABELS))
            tgt[list(labs)] = 1.0 / len(labs)
            targets.append(tgt)
    loss = torch.nn.functional.cross_entropy(hd["tag"](h).reshape(-1, 3), tags.reshape(-1), ignore_index=-100)
    if spans_idx:
        logits = hd["label"](span_pool(h, spans_idx, torch))
        loss = loss + torch.nn.functional.cross_entropy(logits, torch.stack(targets))
    if sentence_weight:
        gold = torch.tensor([float(any(x["tags"])) for x in batch])
        z = hd["sent"](sentence_pool(h, mask, torch)).squeeze(-1)
        loss = loss + sentence_weight * torch.nn.functional.binary_cross_entropy_with_logits(z, gold)
    return loss


def train_encoder(docs: list[dict], base: Path, out: Path, layers: int = 4, epochs: int = 1,
                  max_len: int = 128, neg_keep: float = 0.3, batch_size: int = 16, seed: int = 13,
                  frozen: int = 2, lr: float = 8e-5, init: Path | None = None,
                  sentence_weight: float = 0.0, shipped: Path | None = None,
                  max_batches: int | None = None, head_lr: float = 1e-3) -> Path:
    """Fine-tune and save ``encoder.pt`` (state dicts) under ``out``; returns its path.

    ``init``: continue from an ``encoder.pt``; ``shipped``: continue from a shipped model folder
    (its int8 encoder read back by ``dequantize.load_shipped``); ``sentence_weight`` > 0 trains
    the sentence head beside the tagger; ``max_batches`` cuts each pass (for timing);
    ``head_lr``: learning rate of the tag and label heads (the new sentence head's is 1e-3)."""
    import torch
    from safetensors.numpy import load_file

    from .torchmodel import Bert
    from .windows import load_tokenizer

    torch.manual_seed(seed)
    rng = random.Random(seed)
    config = json.loads((base / "config.json").read_text())
    bert = Bert(config, layers)
    bert.load_weights(load_file(str(base / "model.safetensors")))
    hd = heads(config["hidden_size"], torch)
    if shipped:
        from .dequantize import load_shipped

        bert, hd, _ = load_shipped(Path(shipped), base, frozen)
        layers = len(bert.encoder.layer)  # the shipped model's depth, saved with the checkpoint
    # Embeddings and the lowest ``frozen`` layers stay as pretrained: training costs a third less
    # on CPU and the int8 embedding table stays close to the original.
    for module in [bert.embeddings, *bert.encoder.layer[:frozen]]:
        module.requires_grad_(False)
    if init:  # continue from an earlier checkpoint (another epoch over fresh negatives)
        state = torch.load(init, weights_only=True)
        bert.load_state_dict(state["bert"])
        hd.load_state_dict(state["heads"], strict=False)  # checkpoints before the sentence head
    exs = examples(docs, load_tokenizer(str(base / "tokenizer.json")), max_len)
    pos = [x for x in exs if any(x["tags"])]
    neg = [x for x in exs if not any(x["tags"])]
    per_epoch = len(pos) + int(neg_keep * len(neg))
    total = epochs * min((per_epoch + batch_size - 1) // batch_size, max_batches or 1 << 30)
    params = [{"params": [p for p in bert.parameters() if p.requires_grad], "lr": lr},
              {"params": [*hd["tag"].parameters(), *hd["label"].parameters()], "lr": head_lr},
              {"params": hd["sent"].parameters(), "lr": 1e-3}]
    opt = torch.optim.AdamW(params, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda k: min(1.0, k / max(1, 0.06 * total)) * max(0.0, (total - k) / total))
    log.info("training on %d positive + %d/%d negative windows, %d steps", len(pos),
             int(neg_keep * len(neg)), len(neg), total)
    bert.train(); hd.train()
    step, t0 = 0, time.time()
    for epoch in range(epochs):
        chosen = pos + rng.sample(neg, int(neg_keep * len(neg)))
        chosen.sort(key=lambda x: len(x["w"].ids) + rng.random() * 8)  # similar lengths per batch
        batches = [chosen[k:k + batch_size] for k in range(0, len(chosen), batch_size)]
        rng.shuffle(batches)
        for batch in batches[:max_batches]:
            loss = step_loss(bert, hd, batch, torch, sentence_weight)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(bert.parameters(), 1.0)
            opt.step(); sched.step(); step += 1
            if step % 50 == 0:
                log.info("epoch %d step %d/%d loss %.4f %.0fs", epoch, step, total, loss.item(), time.time() - t0)
    log.info("trained %d steps in %.0fs", step, time.time() - t0)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "encoder.pt"
    torch.save({"bert": bert.state_dict(), "heads": hd.state_dict(), "layers": layers,
                "config": config, "max_len": max_len}, path)
    return path
