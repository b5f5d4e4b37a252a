"""Quality gate: score the dev splits with the shared scorers and fail on a regression.

    python bench/gate.py [--only quotes,events,fakes,techniques] [--update]

Each task runs its ``bench/eval_*.py`` (which writes predictions in the data's format), scores
them with ``../shared/tools/score_*.py``, and compares each metric with ``bench/floors.json``:
a metric below its floor minus the stated noise margin fails the gate. ``--update`` raises
floors to the measured values (never lowers them). Needs ``../shared`` (exits 2 without it).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SHARED = BENCH.parents[1] / "shared"
TOOLS = SHARED / "tools"
DATA = SHARED / "data"


def _run(cmd: list[str]) -> None:
    print("$", " ".join(cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True, stdout=sys.stderr)


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def quotes(tmp: Path) -> dict:
    pred, gold = tmp / "quotes.jsonl", DATA / "quotes" / "polnear_dev.jsonl"
    _run([sys.executable, str(BENCH / "eval_quotes.py"), "--out", str(pred)])
    _run([sys.executable, str(TOOLS / "score_quotes.py"), str(gold), str(pred), "--json", str(tmp / "q_all.json")])
    _run([sys.executable, str(TOOLS / "score_quotes.py"), str(gold), str(pred), "--types", "direct,mixed",
          "--json", str(tmp / "q_dm.json")])
    a, d = _json(tmp / "q_all.json"), _json(tmp / "q_dm.json")
    return {"e2e_f1_all": 100 * a["e2e"][2], "e2e_f1_direct_mixed": 100 * d["e2e"][2],
            "resolved_name_recall": 100 * a["e2e_resolved_recall"]}


def events(tmp: Path) -> dict:
    pred, gold = tmp / "events.jsonl", DATA / "events" / "cameo_manual.dev.jsonl"
    subprocess.run([sys.executable, str(BENCH / "eval_events.py"), "--pred", str(pred)], check=True,
                   stdout=sys.stderr)
    _run([sys.executable, str(TOOLS / "score_events.py"), "--gold", str(gold), "--pred", str(pred),
          "--json", str(tmp / "ev.json")])
    return _events_metrics(_json(tmp / "ev.json"))


def _events_metrics(m: dict) -> dict:
    """PLOVER event F1, (source, type, target) triple F1 at country level, actor country F1."""
    m = m["metrics"]
    return {"plover_event_f1": m["type/plover"]["F1"], "triple_f1_country": m["triple/plover/country"]["F1"],
            "actor_country_f1": m["actor/role/country"]["F1"]}


def fakes(tmp: Path) -> dict:
    out = tmp / "fakes.jsonl"
    _run([sys.executable, str(BENCH / "eval_fakes.py"), "--out", str(out)])
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {"toll_correct": sum(r["toll_ok"] for r in rows) / len(rows),
            "place_correct": sum(r["place_ok"] for r in rows) / len(rows),
            "toll_correct_largest_killed": sum(r["toll_ok_largest"] for r in rows) / len(rows),
            "place_correct_largest_killed": sum(r["place_ok_largest"] for r in rows) / len(rows)}


def techniques(tmp: Path) -> dict:
    out, gold = tmp / "techniques", DATA / "techniques" / "ptc_dev.jsonl"
    _run([sys.executable, str(BENCH / "eval_techniques.py"), "--out", str(out)])  # default threshold

    def score(pred: Path, tasks: str) -> dict:
        res = subprocess.run([sys.executable, str(TOOLS / "score_techniques.py"), str(gold), str(pred),
                              "--tasks", tasks], check=True, capture_output=True, text=True)
        return json.loads(res.stdout)
    m, tc = score(out / "pred.jsonl", "si,slc"), score(out / "tc.jsonl", "tc")
    return {"si_f1": m["si"]["f1"], "slc_f1": m["slc"]["f1"], "tc_micro_f1": tc["tc"]["micro_f1"]}


TASKS = {"quotes": quotes, "events": events, "fakes": fakes, "techniques": techniques}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="comma-separated tasks: " + ",".join(TASKS))
    ap.add_argument("--update", action="store_true", help="raise floors to the measured values")
    a = ap.parse_args()
    if not DATA.is_dir():
        print(f"gate: needs the shared data at {DATA}", file=sys.stderr)
        return 2
    floors_path = BENCH / "floors.json"
    floors = _json(floors_path)
    margin = floors.pop("_noise_margin", {})
    failed = False
    with tempfile.TemporaryDirectory(prefix="newsgraph-gate-") as tmp:
        for name in (a.only.split(",") if a.only else TASKS):
            measured = TASKS[name](Path(tmp))
            for metric, value in measured.items():
                floor = floors.get(name, {}).get(metric)
                slack = margin.get(name, 0.0)
                ok = floor is None or value >= floor - slack
                failed |= not ok
                print(f"{name:<11} {metric:<24} {value:8.3f}   floor {floor if floor is not None else '-'}"
                      f" (-{slack})  {'ok' if ok else 'REGRESSION'}")
                if a.update and (floor is None or value > floor):
                    floors.setdefault(name, {})[metric] = round(value, 3)
    if a.update:
        floors["_noise_margin"] = margin
        floors_path.write_text(json.dumps(floors, indent=1) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
