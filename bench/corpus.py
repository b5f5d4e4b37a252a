"""Corpus benchmark: ingest real articles, measure what the store costs, time the queries.

    python bench/corpus.py                      # N=2000 articles into /tmp/newsgraph-bench.db
    python bench/corpus.py --n 5000 --db big.db # more; an existing db is resumed, not redone
    python bench/corpus.py --queries-only --db big.db

Reports (stdout, and --json FILE):
  * analysis alone (analyze_many) vs the same records saved by the store: the store's share;
  * ingest throughput end to end (read + analyse + store), docs/s and words/s;
  * database size per 1,000 articles;
  * p50/p95 latency of 200 varied queries of each kind: search, speaker timeline, entity page,
    event trends (target: p95 < 100 ms).
Articles come from ../shared/data/corpus/allsides/ (37,554 articles, 2012-2020), taken round-robin
across the year files so the corpus spans the years.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import usable_extractors  # noqa: E402


def articles(n: int, skip: int = 0):
    """n allsides articles, round-robin over the year files (dated ones first)."""
    from newsgraph.corpus.sources import read_jsonl_lines

    folder = SHARED / "data" / "corpus" / "allsides"
    files = sorted(folder.glob("articles-2*.jsonl.gz"))
    if not files:
        sys.exit(f"bench: no articles under {folder}; set NEWSGRAPH_SHARED")
    readers = [read_jsonl_lines(gzip.open(f, "rt", encoding="utf-8"), f.name) for f in files]
    out, i = [], 0
    while len(out) < n + skip and readers:
        reader = readers[i % len(readers)]
        item = next(reader, None)
        if item is None:
            readers.remove(reader)
            continue
        out.append(item)
        i += 1
    return out[skip:]


def timed(fn, *args):
    t = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - t


def store_overhead(sample, settings) -> dict:
    """analyze_many alone on the sample, then the store's own time to save those records."""
    from newsgraph.pipeline import analyze_many
    from newsgraph.record import Analysis
    from newsgraph.store import Sighting, Store, text_hash

    records, t_analyze = timed(lambda: list(analyze_many(sample, settings=settings)))
    path = Path("/tmp/newsgraph-bench-overhead.db")
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)
    with Store(str(path)) as store:
        from newsgraph.corpus import near_dup
        _, cold = timed(near_dup.signature, "warm up: imports datasketch once per process")
        t = time.perf_counter()
        for art, rec in zip(sample, records):
            if isinstance(rec, Analysis):
                h = text_hash(rec.text)
                if not store.lookup([h]):
                    store.save(rec, Sighting(input_id=art.id, source=art.source, url=art.url, where=art.where))
        t_store = time.perf_counter() - t
    return {"docs": len(sample), "analyze_s": round(t_analyze, 2), "store_s": round(t_store, 3),
            "store_ms_per_doc": round(1000 * t_store / len(sample), 1), "one_time_import_s": round(cold, 2),
            "store_share_pct": round(100 * t_store / t_analyze, 2)}


def fill(db: str, n: int, settings) -> dict:
    from newsgraph.corpus.ingest import _run
    from newsgraph.store import Store

    items = articles(n)
    words = sum(len(a.text.split()) for a in items if hasattr(a, "text"))
    with Store(db) as store:
        before = store.stats()["documents"]
        report, secs = timed(lambda: _run(items, store, settings, False, None))
        after = store.stats()
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = Path(db).stat().st_size
    return {"articles_read": len(items), "new": report.new, "seen": report.seen, "failed": report.failed,
            "stored_before": before, "documents": after["documents"], "ingest_s": round(secs, 1),
            "docs_per_s": round(report.new / secs, 2) if report.new else None,
            "words_per_s": round(words / secs) if report.new == len(items) else None,
            "db_mb": round(size / 1e6, 1), "db_mb_per_1000": round(size / 1e6 / after["documents"] * 1000, 1),
            "quotes": after["quotes"], "events": after["events"], "entities": after["entities"],
            "stories": after["stories"]}


def query_sets(store, k: int, rng: random.Random) -> dict:
    """k varied queries of each kind, drawn from what the corpus holds."""
    from newsgraph.store import Filters

    conn = store.conn
    words = [r[0] for r in conn.execute(
        "SELECT title FROM documents WHERE title IS NOT NULL ORDER BY random() LIMIT 400")]
    vocab = [w.strip(".,:;!?'\"()").lower() for t in words for w in t.split() if len(w) > 4]
    vocab = [w for w in vocab if w.isalpha()] or ["government"]
    sources = [r[0] for r in conn.execute("SELECT source FROM documents WHERE source IS NOT NULL GROUP BY source "
                                          "ORDER BY count(*) DESC LIMIT 20")] or [None]
    speakers = [r[0] for r in conn.execute("SELECT speaker FROM quotes WHERE speaker IS NOT NULL GROUP BY speaker "
                                           "ORDER BY count(*) DESC LIMIT 300")] or [1]
    entities = [r[0] for r in conn.execute("SELECT id FROM entities ORDER BY doc_count DESC LIMIT 1000")] or [1]
    types = [r[0] for r in conn.execute("SELECT DISTINCT type FROM events")] + [None]
    years = [str(y) for y in range(2012, 2021)]
    search, timeline, entity, trends = [], [], [], []
    for i in range(k):
        f = Filters(q=" ".join(rng.sample(vocab, 1 + i % 2)))
        if i % 3 == 1:
            f = f.with_(source=rng.choice(sources))
        if i % 4 == 2:
            y = rng.choice(years)
            f = f.with_(since=y, until=y)
        if i % 10 == 9:
            f = f.with_(q=None, entity=str(rng.choice(entities)))
        search.append(f)
        about = rng.choice(vocab) if i % 2 else None
        timeline.append((str(rng.choice(speakers)), Filters(about=about, limit=50)))
        entity.append(str(rng.choice(entities)))
        y = rng.choice(years)
        trends.append(Filters(event_type=rng.choice(types), since=y if i % 2 else None, until=None))
    return {"search": [lambda f=f: store.search(f) for f in search],
            "speaker_timeline": [lambda s=s, f=f: store.timeline(s, f) for s, f in timeline],
            "entity_page": [lambda e=e: store.entity(e) for e in entity],
            "event_trends": [lambda f=f: store.event_trends(f) for f in trends]}


def latencies(db: str, k: int, seed: int = 7) -> dict:
    from newsgraph.store import Store

    out = {}
    with Store(db) as store:
        sets = query_sets(store, k, random.Random(seed))
        for kind, queries in sets.items():
            times = []
            for q in queries:
                t = time.perf_counter()
                q()
                times.append(1000 * (time.perf_counter() - t))
            times.sort()
            out[kind] = {"queries": len(times), "p50_ms": round(statistics.median(times), 2),
                         "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2),
                         "max_ms": round(times[-1], 2)}
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=2000, help="articles to ingest (default 2000)")
    p.add_argument("--overhead-n", type=int, default=150, help="articles for the store-share measurement")
    p.add_argument("--queries", type=int, default=200, help="queries of each kind (default 200)")
    p.add_argument("--db", default="/tmp/newsgraph-bench.db", help="database to fill (resumed when it exists)")
    p.add_argument("--queries-only", action="store_true", help="skip ingest; time queries on --db")
    p.add_argument("--json", help="also write the results here")
    args = p.parse_args(argv)
    from newsgraph.settings import Settings

    settings = Settings(extractors=usable_extractors())
    results = {"extractors": settings.extractors, "cpu_count": os.cpu_count()}
    if not args.queries_only:
        if args.overhead_n:
            results["store_overhead"] = store_overhead(articles(args.overhead_n, skip=args.n), settings)
            print(json.dumps({"store_overhead": results["store_overhead"]}), flush=True)
        results["ingest"] = fill(args.db, args.n, settings)
        print(json.dumps({"ingest": results["ingest"]}), flush=True)
    results["latency"] = latencies(args.db, args.queries)
    print(json.dumps(results, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    slow = [k for k, v in results["latency"].items() if v["p95_ms"] >= 100]
    if slow:
        print(f"bench: p95 over 100 ms for {', '.join(slow)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
