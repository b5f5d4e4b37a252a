"""Speaker resolution through the entity layer, on PolNeAR quotes (train or dev split).

For each gold quote with a silver ``speaker_name``, the gold speaker span is mapped to an entity
with ``entity_at``; the quote counts as resolved when the entity's canonical name matches the
silver name under the scorer's ``names_match`` (../shared/tools/score_quotes.py). Accuracy is
reported per ``speaker_kind`` (name / pronoun / nominal), with the share of spans that found no
entity at all. Tune on train or dev only.

    python bench/eval_coref.py --split dev
    python bench/eval_coref.py --split train --limit 150 --errors 30
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections import Counter
from pathlib import Path

from newsgraph import nlp
from newsgraph.entities import entity_at, extract_entities

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("score_quotes", shared / "tools" / "score_quotes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _docs(articles, cache: str | None):
    if cache and Path(cache).exists():
        from spacy.tokens import DocBin
        return list(DocBin().from_disk(cache).get_docs(nlp.load().vocab))[:len(articles)]
    return nlp.load().pipe([a["text"] for a in articles], batch_size=16)


def evaluate(articles, docs, names_match, errors: list, no_text: bool = False) -> tuple[Counter, Counter, float]:
    total, right, seconds = Counter(), Counter(), 0.0
    for art, doc in zip(articles, docs):
        t0 = time.perf_counter()
        entities = extract_entities(doc)
        seconds += time.perf_counter() - t0
        for q in art["quotes"]:
            if not q.get("speaker_name") or not q.get("speaker"):
                continue
            kind = q.get("speaker_kind")
            if kind == "pronoun" and _first_person(art["text"], q["speaker"]):
                kind = "pronoun-1st"  # I / we: deliberately not resolved (see entities.resolve)
            start, end = q["speaker"][0][0], q["speaker"][-1][1]
            ent = entity_at(entities, start, end, None if no_text else art["text"])
            total[kind] += 1
            if ent is None:
                total[kind + ":none"] += 1
            elif names_match(ent.name, q["speaker_name"]):
                right[kind] += 1
                continue
            errors.append((kind, art["text"][start:end], q["speaker_name"], ent.name if ent else None))
    return total, right, seconds


FIRST_PERSON = frozenset({"i", "me", "my", "mine", "we", "us", "our", "ours", "myself", "ourselves"})


def _first_person(text: str, segments) -> bool:
    return " ".join(text[s:e] for s, e in segments).strip().lower() in FIRST_PERSON


def report(total: Counter, right: Counter, seconds: float, n_articles: int, words: int) -> None:
    print(f"{n_articles} articles, {words} words; extract_entities {seconds:.2f}s "
          f"({words / max(seconds, 1e-9):,.0f} words/s)")
    print(f"{'speaker_kind':<11} {'quotes':>7} {'resolved':>9} {'accuracy':>9} {'no entity':>10}")
    for kind in ("name", "pronoun", "pronoun-1st", "nominal"):
        n = total[kind]
        if n:
            print(f"{kind:<11} {n:>7} {right[kind]:>9} {100 * right[kind] / n:>8.1f}% "
                  f"{100 * total[kind + ':none'] / n:>9.1f}%")
    n, r = sum(total[k] for k in ("name", "pronoun", "pronoun-1st", "nominal")), sum(right.values())
    print(f"{'all':<11} {n:>7} {r:>9} {100 * r / max(n, 1):>8.1f}%")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("train", "dev"), default="dev")
    ap.add_argument("--limit", type=int, default=0, help="first N articles only (0 = all)")
    ap.add_argument("--shared", default=str(SHARED), help="the shared data folder")
    ap.add_argument("--cache", help="a spaCy DocBin of the same articles, to skip parsing")
    ap.add_argument("--no-text", action="store_true", help="call entity_at without the text")
    ap.add_argument("--errors", type=int, default=0, help="print this many wrong resolutions")
    args = ap.parse_args(argv)
    shared = Path(args.shared)
    path = shared / "data" / "quotes" / f"polnear_{args.split}.jsonl"
    if not path.exists():
        print(f"no data at {path}; pass --shared", file=sys.stderr)
        return 2
    with open(path, encoding="utf-8") as fh:
        articles = [json.loads(line) for line in fh if line.strip()]
    articles = articles[:args.limit] if args.limit else articles
    errors: list = []
    total, right, seconds = evaluate(articles, _docs(articles, args.cache),
                                     _scorer(shared).names_match, errors, args.no_text)
    report(total, right, seconds, len(articles), sum(len(a["text"].split()) for a in articles))
    for kind, span, gold, got in errors[:args.errors]:
        print(f"  {kind:<8} {span!r:<40} gold={gold!r:<28} got={got!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
