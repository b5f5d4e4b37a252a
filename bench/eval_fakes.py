"""FA-KES dev check: does the article's main event carry the annotated death toll and place?

    python bench/eval_fakes.py [--csv ../shared/data/corpus/fa-kes/fa-kes.csv] [--limit N] [--out JSONL]
                               [--cache /tmp/fakes_dev.spacy]

``--cache`` keeps the parses in a DocBin outside the repository to speed up iteration.

Rules (issue 3):
* main event = the event the extractor marks as the story's main one (``Event.main``, see
  ``newsgraph.events.salience``: the first event reported with a death toll). The figure under
  the issue's first rule (the event with the largest ``killed``) is printed beside it.
* toll: the annotation is ``nb_civilians + nb_noncivilians`` (children and women are subsets of
  civilians and are not added). Correct when the main event's ``killed`` equals it; when the
  annotation is 0 (no count given) correct when the main event carries no count.
* place: the annotation is a Syrian governorate ("aleppo", "deir ezzor", ...). Correct when the
  main event's location is that governorate's capital (same name after normalisation) or any
  place whose geonames admin1 region is that governorate; "damascus" also accepts Rif Dimashq
  (the countryside governorate around the capital: Douma, Ghouta), which annotators filed under
  Damascus. Only the main event's own location counts.
Only rows with ``split == dev`` are read.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_events import SHARED, entities_of, parse_all  # noqa: E402

RIF_DIMASHQ = ("SY", "08")


def main_event(events):
    """The event flagged ``main`` by the extractor, or None."""
    return next((e for e in events if e.main), None)


def largest_killed(events):
    """The issue's first rule: the event with the largest ``killed`` (ties: the earliest) among
    the story's own incidents: those the extractor marks ``background`` (earlier events it
    recalls, ``newsgraph.events.salience``) are not the article's event, and a later report of an
    incident (``same_as``: another source's count of it) is not another incident. When no event
    carries a count, every event ties and the earliest factual one (the flagged main event) stands."""
    counted = [e for e in events if e.killed is not None and not e.background and e.same_as is None]
    if not counted:  # no event carries a count: all tie at none, and the earliest factual one is the main event
        return main_event(events)
    return max(counted, key=lambda e: e.killed)


def toll_ok(main, gold: int) -> bool:
    if gold == 0:
        return main is None or not main.killed
    return main is not None and main.killed == gold


def place_ok(event, gold: str) -> bool:
    from newsgraph.events.places import _key, admin1

    if event is None or event.location is None:
        return False
    name = event.location.name
    if _key(name) == _key(gold):
        return True
    region, want = admin1(name, ("SYR",)), admin1(gold, ("SYR",))
    if region is None or want is None or region[0] != "SY":
        return False
    return region == want or (_key(gold) == "damascus" and region == RIF_DIMASHQ)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", default=str(SHARED / "data/corpus/fa-kes/fa-kes.csv"))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--out", default="/tmp/fakes_dev_events.jsonl")
    ap.add_argument("--cache", help="DocBin file for the parses (outside the repository)")
    a = ap.parse_args(argv)
    from newsgraph.events import code_entities, extract_events

    rows = [r for r in csv.DictReader(open(a.csv, encoding="utf-8")) if r["split"] == "dev"]
    rows = rows[:a.limit] if a.limit else rows
    n_toll = n_place = l_toll = l_place = 0
    with open(a.out, "w", encoding="utf-8") as out:
        for row, doc in zip(rows, parse_all([r["article_content"] for r in rows], a.cache)):
            ents = entities_of(doc)
            code_entities(doc, ents)
            events = extract_events(doc, ents, row["date"])
            gold = int(row["nb_civilians"] or 0) + int(row["nb_noncivilians"] or 0)
            main, big = main_event(events), largest_killed(events)
            t, p = toll_ok(main, gold), place_ok(main, row["location"])
            n_toll, n_place = n_toll + t, n_place + p
            l_toll, l_place = l_toll + toll_ok(big, gold), l_place + place_ok(big, row["location"])
            out.write(json.dumps({"id": row["unit_id"], "gold_toll": gold, "gold_place": row["location"],
                                  "killed": main and main.killed, "place": main and main.location and main.location.name,
                                  "toll_ok": t, "place_ok": p, "toll_ok_largest": toll_ok(big, gold),
                                  "place_ok_largest": place_ok(big, row["location"])}) + "\n")
    n = len(rows)
    print(f"FA-KES dev articles {n}: main event toll correct {n_toll / n:.3f} ({n_toll}), "
          f"place correct {n_place / n:.3f} ({n_place})")
    print(f"  (largest-killed rule: toll {l_toll / n:.3f} ({l_toll}), place {l_place / n:.3f} ({l_place}))")
    return 0


if __name__ == "__main__":
    sys.exit(main())
