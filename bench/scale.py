"""Scale-out benchmark: the Dask engine with 1 and 2 workers beside analyze_many in one process,
and the PostgreSQL store beside SQLite on the same records.

    python bench/scale.py                          # N=2000 allsides articles, workers 1 and 2
    python bench/scale.py --n 200 --per-partition 10 --json /tmp/scale.json
    NEWSGRAPH_TEST_PG=postgresql://... python bench/scale.py --queries 200

Reports:
  * words/s of analyze_many in this process (models loaded before timing);
  * words/s of the Dask path (LocalCluster, one single-threaded process per worker, models
    warmed by the worker plugin before timing, Parquet records written by the workers) with
    1 and 2 workers; the ratio 2w/1w (target >= 1.8) and the overhead of the Dask path at one
    worker against analyze_many (target <= 10%);
  * CPU-normalised figures (words per CPU-second of the workers), which stay meaningful when
    other programs share the cores: equal words/CPU-s at 1 and 2 workers means the engine
    adds no serial cost, so wall-clock scaling is bounded only by free cores;
  * p50/p95 latency of the same queries (search, speaker timeline, entity page, event trends)
    on SQLite and on PostgreSQL, after saving the same records into both.
Articles come from ../shared/data/corpus/allsides/, round-robin over the year files.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import usable_extractors  # noqa: E402


def sample_rows(n: int) -> list[dict]:
    """n allsides rows with text, round-robin over the dated year files."""
    files = sorted((SHARED / "data" / "corpus" / "allsides").glob("articles-2*.jsonl.gz"))
    if not files:
        sys.exit(f"scale: no articles under {SHARED}/data/corpus/allsides; set NEWSGRAPH_SHARED")
    readers = [gzip.open(f, "rt", encoding="utf-8") for f in files]
    rows: list[dict] = []
    while len(rows) < n and readers:
        for fh in list(readers):
            line = fh.readline()
            if not line:
                readers.remove(fh)
                continue
            r = json.loads(line)
            if (r.get("text") or "").strip() and len(rows) < n:
                rows.append({"id": r.get("ID"), "title": r.get("title"), "url": r.get("url"),
                             "source": r.get("source"), "published": r.get("date"), "text": r["text"]})
    return rows


def write_partitions(rows: list[dict], folder: Path, per: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(0, len(rows), per):
        with open(folder / f"part-{k // per:05d}.jsonl", "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[k:k + per])


def baseline(rows: list[dict], settings) -> dict:
    """analyze_many in this process, models loaded first."""
    from newsgraph.cluster import warm_up
    from newsgraph.pipeline import analyze_many
    from newsgraph.record import Analysis

    warm_up(settings)
    t, c = time.perf_counter(), time.process_time()
    results = list(analyze_many(rows, workers=1, settings=settings))
    secs, cpu = time.perf_counter() - t, time.process_time() - c
    words = sum(len(r.text.split()) for r in results if isinstance(r, Analysis))
    return {"docs": len(rows), "words": words, "seconds": round(secs, 2), "cpu_seconds": round(cpu, 2),
            "words_per_s": round(words / secs, 1), "words_per_cpu_s": round(words / cpu, 1)}


def dask_run(inputs: Path, out: Path, workers: int, settings) -> dict:
    """The Dask path on a fresh LocalCluster of ``workers`` processes, models warmed first."""
    from newsgraph import cluster
    from newsgraph.cluster.engine import connect
    from newsgraph.cluster.worker import dask_plugin

    with connect(None, workers=workers, settings=settings) as client:  # the engine's own LocalCluster
        client.register_plugin(dask_plugin(settings), name="newsgraph-warm-up")
        parts = cluster.plan(str(inputs))
        c = time.process_time()
        report = cluster.run(parts, out=str(out), settings=settings, scheduler=client, warm=False)
        client_cpu = time.process_time() - c
    r = report.to_dict()
    r["client_and_scheduler_cpu_s"] = round(client_cpu, 2)
    r["words_per_cpu_s"] = round(report.words / max(report.cpu_seconds, 1e-9), 1)
    return r


def fill_stores(records, sqlite_path: str, pg_url: str | None) -> dict:
    from newsgraph.record import Analysis
    from newsgraph.store import Store

    out = {}
    targets = [("sqlite", sqlite_path)] + ([("postgres", pg_url)] if pg_url else [])
    for name, target in targets:
        with Store(target) as store:
            t = time.perf_counter()
            for rec in records:
                if isinstance(rec, Analysis):
                    store.save(rec)
            out[name] = {"save_s": round(time.perf_counter() - t, 2), "documents": store.stats()["documents"]}
    return out


def query_params(sqlite_path: str, k: int, rng: random.Random) -> dict:
    """k varied queries of each kind, drawn from the corpus (by names, valid in both stores)."""
    import sqlite3

    conn = sqlite3.connect(sqlite_path)
    titles = [r[0] for r in conn.execute("SELECT title FROM documents WHERE title IS NOT NULL")]
    vocab = [w.strip(".,:;!?'\"()").lower() for t in titles for w in t.split() if len(w) > 4]
    vocab = sorted({w for w in vocab if w.isalpha()}) or ["government"]
    sources = [r[0] for r in conn.execute("SELECT source FROM documents GROUP BY source ORDER BY count(*) DESC LIMIT 20")]
    speakers = [r[0] for r in conn.execute("SELECT e.name FROM quotes q JOIN entities e ON e.id = q.speaker "
                                           "GROUP BY e.name ORDER BY count(*) DESC LIMIT 300")] or ["Trump"]
    entities = [r[0] for r in conn.execute("SELECT name FROM entities ORDER BY doc_count DESC LIMIT 1000")] or ["Trump"]
    types = [r[0] for r in conn.execute("SELECT DISTINCT type FROM events")] + [None]
    conn.close()
    years = [str(y) for y in range(2012, 2021)]
    plan = {"search": [], "speaker_timeline": [], "entity_page": [], "event_trends": []}
    for i in range(k):
        f = {"q": " ".join(rng.sample(vocab, min(len(vocab), 1 + i % 2)))}
        if i % 3 == 1 and sources:
            f["source"] = rng.choice(sources)
        if i % 4 == 2:
            f["since"] = f["until"] = rng.choice(years)
        plan["search"].append(f)
        plan["speaker_timeline"].append((rng.choice(speakers), {"about": rng.choice(vocab) if i % 2 else None,
                                                                "limit": 50}))
        plan["entity_page"].append(rng.choice(entities))
        plan["event_trends"].append({"event_type": rng.choice(types), "since": rng.choice(years) if i % 2 else None})
    return plan


def latencies(target: str, plan: dict) -> dict:
    from newsgraph.store import Filters, Store

    calls = {"search": lambda s, p: s.search(Filters(**p)),
             "speaker_timeline": lambda s, p: s.timeline(p[0], Filters(**p[1])),
             "entity_page": lambda s, p: s.entity(p),
             "event_trends": lambda s, p: s.event_trends(Filters(**p))}
    out = {}
    with Store(target) as store:
        for kind, params in plan.items():
            times, errors = [], []
            for p in params:
                t = time.perf_counter()
                try:
                    calls[kind](store, p)
                except Exception as exc:  # a store bug must not hide the other figures: counted
                    errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                times.append(1000 * (time.perf_counter() - t))
            times.sort()
            out[kind] = {"queries": len(times), "p50_ms": round(statistics.median(times), 2) if times else None,
                         "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2) if times else None}
            if errors:
                out[kind].update(errors=len(errors), first_error=errors[0][:200])
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="articles (default 2000)")
    ap.add_argument("--per-partition", type=int, default=25, help="articles per input partition (default 25)")
    ap.add_argument("--workers", default="1,2", help="worker counts to run (default 1,2)")
    ap.add_argument("--extractors", default=None, help="comma list (default: every extractor that loads)")
    ap.add_argument("--queries", type=int, default=100, help="queries of each kind (default 100)")
    ap.add_argument("--pg", default=os.environ.get("NEWSGRAPH_TEST_PG"),
                    help="postgresql:// URL for the store comparison (default $NEWSGRAPH_TEST_PG)")
    ap.add_argument("--skip-baseline", action="store_true", help="only the Dask runs")
    ap.add_argument("--records", help="skip the analysis: compare the stores on this Parquet output folder")
    ap.add_argument("--replicate", type=int, default=1,
                    help="store each analysed record K times (distinct texts: a suffix after the last "
                         "offset) to time queries on a larger corpus without analysing more (default 1)")
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args(argv)

    from newsgraph import cluster

    tmp = Path(tempfile.mkdtemp(prefix="newsgraph-scale-"))
    res: dict = {"cores": os.cpu_count(), "load_before": [round(x, 2) for x in os.getloadavg()]}
    if args.records:
        records = list(cluster.read_records(args.records))
        res["n"] = len(records)
    else:
        records = analysis_runs(args, tmp, res)
    records = replicate(records, args.replicate)
    res["stored_documents"] = len(records)
    pg = None
    if args.pg:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        pg = f"{args.pg}{'&' if '?' in args.pg else '?'}options=-csearch_path%3D{schema}"
        import psycopg
        with psycopg.connect(args.pg, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
    res["store_fill"] = fill_stores(records, str(tmp / "corpus.db"), pg)
    plan = query_params(str(tmp / "corpus.db"), args.queries, random.Random(7))
    res["queries_sqlite"] = latencies(str(tmp / "corpus.db"), plan)
    if pg:
        res["queries_postgres"] = latencies(pg, plan)
    res["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(res, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2))
    return 0


def analysis_runs(args, tmp: Path, res: dict) -> list:
    """analyze_many in this process, then the Dask engine at each worker count; the records."""
    from newsgraph import cluster
    from newsgraph.settings import Settings

    settings = Settings(extractors=args.extractors.split(",") if args.extractors else usable_extractors())
    rows = sample_rows(args.n)
    write_partitions(rows, tmp / "in", args.per_partition)
    res.update(n=len(rows), per_partition=args.per_partition, extractors=settings.extractors)
    if not args.skip_baseline:
        res["analyze_many_1_process"] = baseline(rows, settings)
        print("analyze_many:", res["analyze_many_1_process"], flush=True)
    for w in [int(x) for x in args.workers.split(",")]:
        res[f"dask_{w}w"] = dask_run(tmp / "in", tmp / f"out-{w}", w, settings)
        print(f"dask {w} worker(s):", res[f"dask_{w}w"], flush=True)
    _ratios(res)
    return list(cluster.read_records(str(tmp / f"out-{args.workers.split(',')[0]}")))


def replicate(records: list, k: int) -> list:
    """Each record k times with distinct texts (`` [copy i]`` appended: every span stays valid)
    and ids, dates spread over the years, so stores and indexes grow as with real articles."""
    from dataclasses import replace

    from newsgraph.record import Analysis

    if k <= 1:
        return records
    out = []
    for i in range(k):
        for r in records:
            if isinstance(r, Analysis):
                published = f"{2012 + (i % 9)}{r.published[4:]}" if r.published else None
                out.append(replace(r, id=f"{r.id}-{i}", text=f"{r.text} [copy {i}]", published=published))
    return out


def _ratios(res: dict) -> None:
    one, two, base = res.get("dask_1w"), res.get("dask_2w"), res.get("analyze_many_1_process")
    if one and two:
        res["ratio_2w_1w_wall"] = round(two["words_per_s"] / one["words_per_s"], 3)
        res["ratio_2w_1w_cpu_normalised"] = round(two["words_per_cpu_s"] / one["words_per_cpu_s"], 3)
    if one and base:
        res["dask_overhead_1w_wall_pct"] = round(100 * (1 - one["words_per_s"] / base["words_per_s"]), 1)
        total_cpu = one["cpu_seconds"] + one["client_and_scheduler_cpu_s"]  # workers + client + scheduler
        res["dask_overhead_1w_cpu_pct"] = round(100 * (1 - one["words"] / total_cpu / base["words_per_cpu_s"]), 1)


if __name__ == "__main__":
    sys.exit(main())
