"""Score the technique extractor on ptc_dev with the shared scorer (SI, TC, FLC, SLC).

    python bench/eval_techniques.py [--gold ../shared/data/techniques/ptc_dev.jsonl]
        [--threshold 0.5] [--cache /tmp/ptc_dev.spacy] [--out /tmp/tech_eval]

Documents are parsed with newsgraph's spaCy pipeline (``nlp.load``) and read by the technique
model once, as ``extract_techniques`` does; each threshold then decides its spans from that
reading (a threshold also vetoes spans in sentences scoring under it, so a higher one is not a
plain filter of a lower one's spans). TC labels the gold spans with ``classify``. Prints the
scorer's figures, the share of sentences the pre-filter sent to the encoder, and the extractor's
own speed in sentences per second.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def parse_docs(texts: list[str], cache: str | None):
    from spacy.tokens import DocBin

    from newsgraph import nlp

    model = nlp.load()
    if cache and Path(cache).is_file():
        return list(DocBin().from_disk(cache).get_docs(model.vocab))
    docs = list(model.pipe(texts, batch_size=16))
    if cache:
        DocBin(docs=docs).to_disk(cache)
    return docs


def sentence_auc(model, gold: list[dict], readings: list) -> tuple[float, tuple[float, float]]:
    """ROC AUC of ``Sentence.score`` for "a gold span overlaps the sentence" over the scored
    sentences (pre-filter included), and the best F1 of flagging sentences by that score alone
    (a bound on what the sentence score gives SLC)."""
    import numpy as np

    from newsgraph.techniques.extractor import sentence_scores

    scores, labels = [], []
    for g, r in zip(gold, readings):
        scores += sentence_scores(r, model.config)
        labels += [any(s["start"] < e and s["end"] > b for s in g["spans"]) for b, e in r.sents]
    x, y = np.array(scores), np.array(labels, dtype=bool)
    ranks = np.empty(len(x))
    ranks[np.argsort(x, kind="mergesort")] = np.arange(1, len(x) + 1)
    for v in np.unique(x):  # ties share their mean rank
        ranks[x == v] = ranks[x == v].mean()
    n_pos = int(y.sum())
    auc = (ranks[y].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * (len(y) - n_pos))
    f1s = [(2 * (y & (x >= t)).sum() / ((x >= t).sum() + n_pos), float(t)) for t in np.arange(0.1, 0.9, 0.01)]
    return float(auc), max(f1s)


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(SHARED / "data/techniques/ptc_dev.jsonl"))
    ap.add_argument("--threshold", type=float, nargs="*", default=None,
                    help="one or more thresholds to score (default: Settings().technique_threshold)")
    ap.add_argument("--cache", default=None, help="DocBin file to keep the spaCy parses between runs")
    ap.add_argument("--out", default="/tmp/tech_eval")
    ap.add_argument("--model", default=None, help="model folder to score (default: the packaged model)")
    args = ap.parse_args()

    from newsgraph.settings import Settings
    from newsgraph.techniques import classify
    from newsgraph.techniques.extractor import decide, read, sentences_with
    from newsgraph.techniques.model import load_model
    from newsgraph.techniques.windows import sentence_spans

    thresholds = args.threshold or [Settings().technique_threshold]
    gold = [json.loads(line) for line in open(args.gold, encoding="utf-8") if line.strip()]
    docs = parse_docs([g["text"] for g in gold], args.cache)
    model = load_model(args.model)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0, n_sents, readings = time.perf_counter(), 0, []
    for doc in docs:  # what extract_techniques does, keeping the reading for other thresholds
        text = doc.text
        sents = sentence_spans(doc, text)
        readings.append(read(model, text, sents))
        techniques, scores = decide(model, text, readings[-1], [], thresholds[0])
        n_sents += len(sentences_with(sents, techniques, dict(zip(readings[-1].sents, scores))))
    elapsed = time.perf_counter() - t0
    encoded = sum(len(set(r.owner)) for r in readings)
    read_total = sum(len(r.sents) for r in readings)
    tc = [{"id": g["id"], "spans": [{"start": s["start"], "end": s["end"], "technique": lab}
                                    for s, lab in zip(g["spans"], classify(
                                        g["text"], [(s["start"], s["end"]) for s in g["spans"]], model))]}
          for g in gold]
    write_jsonl(out / "tc.jsonl", tc)
    scorer = str(SHARED / "tools/score_techniques.py")
    print(f"{len(gold)} docs, {sum(len(g['spans']) for g in gold)} gold spans; extractor speed "
          f"{n_sents / elapsed:.1f} sentences/s ({n_sents} sentences, {elapsed:.1f} s)")
    print(f"pre-filter: encoder read {encoded} of {read_total} scored sentences ({100 * encoded / max(read_total, 1):.0f}%)")
    auc, best = sentence_auc(model, gold, readings)
    print(f"sentence score: AUC {auc:.3f} over {read_total} sentences; thresholding it alone: "
          f"best SLC F1 {best[0]:.3f} at {best[1]:.2f}")
    for threshold in thresholds:
        found = [decide(model, g["text"], r, [], threshold)[0] for g, r in zip(gold, readings)]
        preds = [{"id": g["id"], "spans": [{"start": t.span[0], "end": t.span[1], "technique": t.technique}
                                           for t in ts]} for g, ts in zip(gold, found)]
        write_jsonl(out / "pred.jsonl", preds)
        run = subprocess.run([sys.executable, scorer, args.gold, str(out / "pred.jsonl"), "--tasks",
                              "si,flc,slc"], check=True, capture_output=True, text=True)
        r = json.loads(run.stdout)
        print(f"threshold {threshold}: {sum(len(p['spans']) for p in preds)} spans | " + " | ".join(
            f"{k.upper()} P {r[k]['precision']:.3f} R {r[k]['recall']:.3f} F1 {r[k]['f1']:.3f}"
            for k in ("si", "slc")) + f" | FLC F1 {r['flc'].get('f1', r['flc'].get('micro_f1', 0)):.3f}")
    run = subprocess.run([sys.executable, scorer, args.gold, str(out / "tc.jsonl"), "--tasks", "tc"],
                         check=True, capture_output=True, text=True)
    tc_r = json.loads(run.stdout)["tc"]
    print(f"TC (gold spans): micro F1 {tc_r['micro_f1']:.3f}, macro F1 {tc_r['macro_f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
