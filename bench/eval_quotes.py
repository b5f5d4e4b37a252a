"""Score the quote extractor on PolNeAR dev with the shared scorer (``shared/tools/score_quotes.py``).

    python bench/eval_quotes.py [--gold polnear_dev.jsonl] [--limit N] [--cache /tmp/dev.spacy]

Parses each article once with newsgraph's pipeline (``nlp.load``), runs the entities step and
``extract_quotes`` on that parse, writes predictions in the data format (quotes sharing a cue are
one attribution with several content segments; a cue-less follow-on joins the attribution it
continues, as PolNeAR annotates them) and prints the scorer's report for all types and for
direct+mixed. ``--cache`` keeps the parsed DocBin outside the repository to speed up iteration.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def parse_all(texts: list[str], cache: str | None):
    from newsgraph import nlp as nlp_mod

    nlp = nlp_mod.load()
    if cache and Path(cache).is_file():
        from spacy.tokens import DocBin
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if [d.text for d in docs] == texts:
            return docs
    docs = list(nlp.pipe(texts, batch_size=16))
    if cache:
        from spacy.tokens import DocBin
        DocBin(docs=docs).to_disk(cache)
    return docs


def attributions(quotes) -> list[dict]:
    """Record quotes -> data-format attributions (merge by cue; follow-ons join the previous)."""
    out, by_cue = [], {}
    for q in quotes:
        if q.cue is None and out:
            out[-1]["content"].append(list(q.span))
            continue
        key = tuple(q.cue) if q.cue else ("q", q.id)
        if key in by_cue:
            by_cue[key]["content"].append(list(q.span))
            continue
        item = {"content": [list(q.span)], "speaker": [list(q.speaker_span)] if q.speaker_span else [],
                "speaker_name": q.speaker_name, "cue": [list(q.cue)] if q.cue else [], "type": q.type,
                "score": q.score}
        by_cue[key] = item
        out.append(item)
    return out


def predict(articles: list[dict], cache: str | None, model: str | None = None) -> list[dict]:
    from newsgraph.entities import extract_entities
    from newsgraph.quotes import extract_quotes

    t0 = time.time()
    docs = parse_all([a["text"] for a in articles], cache)
    t1 = time.time()
    preds = []
    for art, doc in zip(articles, docs):
        quotes = extract_quotes(doc, extract_entities(doc), model)
        preds.append({"id": art["id"], "text": art["text"], "quotes": attributions(quotes)})
    words = sum(len(a["text"].split()) for a in articles)
    print(f"{len(articles)} articles, {words} words: parse {t1 - t0:.0f}s, entities+quotes {time.time() - t1:.0f}s",
          file=sys.stderr)
    return preds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", default=str(SHARED / "data" / "quotes" / "polnear_dev.jsonl"))
    ap.add_argument("--limit", type=int, help="first N articles only")
    ap.add_argument("--cache", help="DocBin file for the parses (outside the repository)")
    ap.add_argument("--out", help="write predictions here (default: a temporary file)")
    ap.add_argument("--model", help="a CRFsuite tagger file other than the shipped one")
    args = ap.parse_args()
    with open(args.gold, encoding="utf-8") as fh:
        articles = [json.loads(line) for line in fh if line.strip()][:args.limit]
    preds = predict(articles, args.cache, args.model)
    tmp = Path(tempfile.mkdtemp(prefix="eval_quotes_"))
    gold_path, pred_path = tmp / "gold.jsonl", Path(args.out or tmp / "pred.jsonl")
    gold_path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    pred_path.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
    scorer = SHARED / "tools" / "score_quotes.py"
    for types in (None, "direct,mixed"):
        print(f"== {'all types' if types is None else types} ==", flush=True)
        cmd = [sys.executable, str(scorer), str(gold_path), str(pred_path)] + (["--types", types] if types else [])
        subprocess.run(cmd, check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
