"""Score the events extractor on the CAMEO-manual dev sentences with the shared scorer.

    python bench/eval_events.py [--gold ../shared/data/events/cameo_manual.dev.jsonl] [--pred OUT]

Writes predictions in the data's format (one line per sentence; events that share a trigger
are merged into one event with compound source/target lists; negated events are left out,
since they did not happen; a joint AGREE/CONSULT/COOPERATE with two or more sources and no
target is marked ``reciprocal``, the data's "X and Y agreed" convention) and runs
``shared/tools/score_events.py`` on them.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def entities_of(doc):
    """The project's entity extractor; a plain NER grouping while it is being rewritten."""
    try:
        from newsgraph.entities import extract_entities
        return extract_entities(doc)
    except ImportError:
        from newsgraph.record import Entity
        by = {}
        for e in doc.ents:
            if e.label_ in {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}:
                key = (e.text, e.label_)
                by.setdefault(key, Entity(id=f"e{len(by) + 1}", name=e.text, type=e.label_))
                by[key].mentions.append((e.start_char, e.end_char))
        return list(by.values())


RECIPROCAL_TYPES = {"AGREE", "CONSULT", "COOPERATE"}


def parse_all(texts: list[str], cache: str | None = None) -> list:
    """Parse ``texts`` with the shared pipeline, reusing a DocBin cache when it holds the same texts."""
    from newsgraph import nlp as nlp_mod

    nlp = nlp_mod.load()
    if cache and Path(cache).is_file():
        from spacy.tokens import DocBin
        docs = list(DocBin(store_user_data=True).from_disk(cache).get_docs(nlp.vocab))
        if [d.text for d in docs] == texts:
            return docs
    docs = list(nlp.pipe(texts, batch_size=16))
    if cache:
        from spacy.tokens import DocBin
        DocBin(docs=docs, store_user_data=True).to_disk(cache)
    return docs


def predict(doc, published=None) -> list[dict]:
    from newsgraph.events import code_entities, extract_events

    ents = entities_of(doc)
    code_entities(doc, ents)
    events = extract_events(doc, ents, published)
    codes = {e.id: e.code for e in ents}
    merged: dict[tuple, dict] = {}
    for ev in events:
        if ev.negated:
            continue
        m = merged.setdefault(ev.trigger, {"source": [], "target": [], "cameo": ev.cameo,
                                           "plover": {"event": ev.type, "mode": ev.mode}})
        for role, ident in (("source", ev.source), ("target", ev.target)):
            code = codes.get(ident)
            if code and {"code": code} not in m[role]:
                m[role].append({"code": code})
    for m in merged.values():  # "X and Y agreed": CAMEO's SRC/TAR reciprocal reading of a joint act
        m["reciprocal"] = (len(m["source"]) >= 2 and not m["target"]
                           and m["plover"]["event"] in RECIPROCAL_TYPES)
    return list(merged.values())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(SHARED / "data/events/cameo_manual.dev.jsonl"))
    ap.add_argument("--pred", default="/tmp/events_dev_pred.jsonl")
    ap.add_argument("--by-type", action="store_true")
    ap.add_argument("--cache", help="DocBin file for the parses (outside the repository)")
    a = ap.parse_args(argv)
    rows = [json.loads(line) for line in open(a.gold, encoding="utf-8") if line.strip()]
    docs = parse_all([r["text"] for r in rows], a.cache)
    with open(a.pred, "w", encoding="utf-8") as out:
        for row, doc in zip(rows, docs):
            out.write(json.dumps({"id": row["id"], "events": predict(doc)}) + "\n")
    cmd = [sys.executable, str(SHARED / "tools/score_events.py"), "--gold", a.gold, "--pred", a.pred]
    return subprocess.call(cmd + (["--by-type"] if a.by_type else []))


if __name__ == "__main__":
    sys.exit(main())
