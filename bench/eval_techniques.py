"""Score the technique extractor on ptc_dev with the shared scorer (SI, TC, FLC, SLC).

    python bench/eval_techniques.py [--gold ../shared/data/techniques/ptc_dev.jsonl]
        [--threshold 0.5] [--cache /tmp/ptc_dev.spacy] [--out /tmp/tech_eval]

Documents are parsed with newsgraph's spaCy pipeline (``nlp.load``) and run through
``extract_techniques`` exactly as ``analyze`` does; TC labels the gold spans with ``classify``.
Prints the scorer's figures and the extractor's own speed in sentences per second.
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


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(SHARED / "data/techniques/ptc_dev.jsonl"))
    ap.add_argument("--threshold", type=float, default=None, help="default: Settings().technique_threshold")
    ap.add_argument("--cache", default=None, help="DocBin file to keep the spaCy parses between runs")
    ap.add_argument("--out", default="/tmp/tech_eval")
    args = ap.parse_args()

    from newsgraph.settings import Settings
    from newsgraph.techniques import classify, extract_techniques
    from newsgraph.techniques.model import load_model

    threshold = Settings().technique_threshold if args.threshold is None else args.threshold
    gold = [json.loads(line) for line in open(args.gold, encoding="utf-8") if line.strip()]
    docs = parse_docs([g["text"] for g in gold], args.cache)
    load_model()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0, n_sents, preds = time.perf_counter(), 0, []
    for g, doc in zip(gold, docs):
        techniques, sentences = extract_techniques(doc, [], threshold)
        n_sents += len(sentences)
        preds.append({"id": g["id"], "spans": [{"start": t.span[0], "end": t.span[1],
                                                "technique": t.technique} for t in techniques]})
    elapsed = time.perf_counter() - t0
    tc = [{"id": g["id"], "spans": [{"start": s["start"], "end": s["end"], "technique": lab}
                                    for s, lab in zip(g["spans"], classify(
                                        g["text"], [(s["start"], s["end"]) for s in g["spans"]]))]}
          for g in gold]
    write_jsonl(out / "pred.jsonl", preds)
    write_jsonl(out / "tc.jsonl", tc)
    scorer = str(SHARED / "tools/score_techniques.py")
    print(f"threshold {threshold}: {len(gold)} docs, {sum(len(g['spans']) for g in gold)} gold spans, "
          f"{sum(len(p['spans']) for p in preds)} predicted")
    print(f"extractor speed: {n_sents / elapsed:.1f} sentences/s ({n_sents} sentences, {elapsed:.1f} s)")
    subprocess.run([sys.executable, scorer, args.gold, str(out / "pred.jsonl"), "--tasks", "si,flc,slc"], check=True)
    subprocess.run([sys.executable, scorer, args.gold, str(out / "tc.jsonl"), "--tasks", "tc"], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
