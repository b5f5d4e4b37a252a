"""Corpus benchmark: ingest real articles, measure what the store costs, time the queries.

    python bench/corpus.py                      # N=2000 articles into /tmp/newsgraph-bench.db
    python bench/corpus.py --n 5000 --db big.db # more; an existing db is resumed, not redone
    python bench/corpus.py --queries-only --db big.db
    python bench/corpus.py --full-from /tmp/newsgraph-bench.db --db /tmp/newsgraph-full.db --runs 2 --pages 200

Reports (stdout, and --json FILE):
  * analysis alone (analyze_many) vs the same records saved by the store: the store's share;
  * ingest throughput end to end (read + analyse + store), docs/s and words/s;
  * database size per 1,000 articles;
  * p50/p95 latency of 200 varied queries of each kind: search, speaker timeline, entity page,
    event trends (target: p95 < 100 ms), --runs times, each with the load average before it and
    p50/p95 of the process's CPU time per query (what a query costs on a core of its own);
  * with --pages K: p50/p95 of K GETs of each web page and API answer (FastAPI TestClient).
Articles come from ../shared/data/corpus/allsides/ (37,554 articles, 2012-2020), taken round-robin
across the year files so the corpus spans the years.

Full size without the NLP (--full-from SRC): analysing all 37,554 articles takes about 12 hours on
two cores, so this mode builds a database of the corpus's size from the N records analysed already
(SRC: a database made by this bench, or a JSON Lines file of records, .gz or not, such as
``newsgraph export documents`` writes). Every AllSides article (all ten files, undated ones too,
round-robin) becomes one document with its own id, title, source, url, authors and date; an article
that was analysed keeps its own record, and each other one takes the text and annotations
(entities, quotes, events, techniques) of the analysed records in turn, with a newline and
``[<its id>]`` appended so that every text is distinct (all spans stay valid). Only records made by
every step of --full-steps are used (default: all four, so technique spans are as dense as in a
fully analysed corpus). The annotations are therefore REPLICATED from N analysed articles (37,554 / N
copies each): dates, sources, titles, authors and their spread are the real corpus's, while the
texts, speakers and entities repeat. Records are written
through ``Store.save`` (every index, FTS row, alias and MinHash band as a real ingest writes them);
each document is then made its own story, since the copies are near-duplicates by construction and
the real articles are not (the 2,588 analysed ones form 2,588 stories).
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sqlite3
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


STEPS = ("entities", "quotes", "events", "techniques")  # a full-size build replicates records made by all


def every_article(limit: int | None = None):
    """Every allsides row (all ten files, undated ones too), round-robin over the files, as the
    ingest reader yields them (Article, or Failure for a row it cannot read)."""
    from newsgraph.corpus.sources import read_jsonl_lines

    files = sorted((SHARED / "data" / "corpus" / "allsides").glob("articles-*.jsonl.gz"))
    if not files:
        sys.exit(f"bench: no articles under {SHARED}/data/corpus/allsides; set NEWSGRAPH_SHARED")
    readers = [read_jsonl_lines(gzip.open(f, "rt", encoding="utf-8"), f.name) for f in files]
    i, n = 0, 0
    while readers and (limit is None or n < limit):
        item = next(readers[i % len(readers)], None)
        if item is None:
            readers.pop(i % len(readers))
            continue
        yield item
        i, n = i + 1, n + 1


def analysed_records(src: str) -> list:
    """The analysed records of a database (in storage order) or of a JSON Lines file of records."""
    from newsgraph.record import Analysis
    from newsgraph.store.sqlite_read import unpack_record

    if src.endswith((".jsonl", ".jsonl.gz", ".ndjson")):
        opener = gzip.open if src.endswith(".gz") else open
        with opener(src, "rt", encoding="utf-8") as fh:
            return [Analysis.from_dict(json.loads(line)) for line in fh if line.strip()]
    if not Path(src).is_file():
        sys.exit(f"bench: no database or records file at {src}; build one with --n first")
    conn = sqlite3.connect(f"file:{src}?mode=ro", uri=True)  # read only: the source is not migrated
    try:
        rows = conn.execute("SELECT doc_id, text, record FROM documents ORDER BY id").fetchall()
    finally:
        conn.close()
    return [Analysis.from_dict({**unpack_record(record), "id": doc_id, "text": text}) for doc_id, text, record in rows]


def replica(record, art):
    """``record``'s text and annotations as the document ``art`` (its id and metadata); the
    text gets a newline and ``[id]`` appended so that it is distinct, which leaves every span valid."""
    from dataclasses import replace

    return replace(record, id=art.id, title=art.title, url=art.url, source=art.source,
                   published=art.published, authors=list(art.authors), text=f"{record.text}\n[{art.id}]")


def build_full(src: str, db: str, limit: int | None = None, steps: tuple[str, ...] = STEPS) -> dict:
    """A database with one document per AllSides article, annotated from the records of ``src``
    made by every one of ``steps`` (see the module docstring). Resumable: documents stored
    already are skipped."""
    from newsgraph.record import Failure
    from newsgraph.store import Sighting, Store

    every = analysed_records(src)
    records = [r for r in every if set(steps) <= set(r.extractors)]
    if not records:
        sys.exit(f"bench: no record of {src} was made by all of {', '.join(steps)}")
    own = {r.id: r for r in records}
    t0, k, counts = time.perf_counter(), 0, {"analysed": 0, "replicated": 0, "skipped": 0, "unreadable": 0}
    with Store(db) as store:
        done = {r[0] for r in store.conn.execute("SELECT doc_id FROM documents")}
        for art in every_article(limit):
            if isinstance(art, Failure):
                counts["unreadable"] += 1
                continue
            rec = own.get(art.id)
            if rec is None:
                rec, k = replica(records[k % len(records)], art), k + 1
            if art.id in done:
                counts["skipped"] += 1
                continue
            saved = store.save(rec, Sighting(input_id=art.id, source=art.source, url=art.url, where=art.where,
                                             published=art.published))
            counts["analysed" if art.id in own else "replicated"] += 1
            own_story(store, saved.doc_id)
            if sum(counts.values()) % 2000 == 0:
                print(json.dumps({"building": counts, "s": round(time.perf_counter() - t0)}), flush=True)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        stats = store.stats()
    size = Path(db).stat().st_size
    return {"source_records": len(every), "used_records": len(records), "steps": list(steps), **counts,
            "build_s": round(time.perf_counter() - t0, 1),
            "documents": stats["documents"], "stories": stats["stories"], "quotes": stats["quotes"],
            "events": stats["events"], "techniques": stats["techniques"], "entities": stats["entities"],
            "db_mb": round(size / 1e6, 1), "db_mb_per_1000": round(size / 1e6 / stats["documents"] * 1000, 1),
            "annotations": f"replicated from {len(records)} analysed articles"}


def own_story(store, doc_id: str) -> None:
    """Make a document its own story (and its events'): copies of one text are near-duplicates by
    construction (an analysed article too, when a copy of its text was stored first), which the
    real articles they stand for are not."""
    with store._tx() as c:
        doc = c.execute("SELECT id FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()[0]
        c.execute("UPDATE documents SET story = ? WHERE id = ?", (doc, doc))
        c.execute("UPDATE events SET story = ? WHERE document = ?", (doc, doc))


def query_sets(store, k: int, rng: random.Random) -> dict:
    """k varied queries of each kind, drawn from what the corpus holds: kind -> [(args)]."""
    from newsgraph.store import Filters

    conn = store.conn
    titles = [r[0] for r in conn.execute("SELECT title FROM documents WHERE title IS NOT NULL ORDER BY id")]
    words = rng.sample(titles, min(400, len(titles)))
    vocab = [w.strip(".,:;!?'\"()").lower() for t in words for w in t.split() if len(w) > 4]
    vocab = [w for w in vocab if w.isalpha()] or ["government"]
    sources = [r[0] for r in conn.execute("SELECT source FROM documents WHERE source IS NOT NULL GROUP BY source "
                                          "ORDER BY count(*) DESC LIMIT 20")] or [None]
    speakers = [r[0] for r in conn.execute("SELECT speaker FROM quotes WHERE speaker IS NOT NULL GROUP BY speaker "
                                           "ORDER BY count(*) DESC LIMIT 300")] or [1]
    entities = [r[0] for r in conn.execute("SELECT id FROM entities ORDER BY doc_count DESC LIMIT 1000")] or [1]
    types = [r[0] for r in conn.execute("SELECT DISTINCT type FROM events ORDER BY type")] + [None]
    years = [str(y) for y in range(2012, 2021)]
    plan: dict[str, list] = {"search": [], "speaker_timeline": [], "entity_page": [], "event_trends": []}
    for i in range(k):
        f = Filters(q=" ".join(rng.sample(vocab, 1 + i % 2)))
        if i % 3 == 1:
            f = f.with_(source=rng.choice(sources))
        if i % 4 == 2:
            y = rng.choice(years)
            f = f.with_(since=y, until=y)
        if i % 10 == 9:
            f = f.with_(q=None, entity=str(rng.choice(entities)))
        plan["search"].append(f)
        about = rng.choice(vocab) if i % 2 else None
        plan["speaker_timeline"].append((str(rng.choice(speakers)), Filters(about=about, limit=50)))
        plan["entity_page"].append(str(rng.choice(entities)))
        y = rng.choice(years)
        plan["event_trends"].append(Filters(event_type=rng.choice(types), since=y if i % 2 else None, until=None))
    return plan


CALLS = {"search": lambda s, f: s.search(f), "speaker_timeline": lambda s, a: s.timeline(*a),
         "entity_page": lambda s, e: s.entity(e), "event_trends": lambda s, f: s.event_trends(f)}


def summary(times: list[float], cpu: list[float] | None = None) -> dict:
    """p50/p95/max of wall-clock times (ms); with ``cpu``, p50/p95 of this process's CPU time per
    query too: what the query costs on a core of its own, whatever else shares the machine."""
    times = sorted(times)
    out = {"queries": len(times), "p50_ms": round(statistics.median(times), 2),
           "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2), "max_ms": round(times[-1], 2)}
    if cpu:
        cpu = sorted(cpu)
        out.update(cpu_p50_ms=round(statistics.median(cpu), 2), cpu_p95_ms=round(cpu[int(0.95 * (len(cpu) - 1))], 2))
    return out


def latencies(db: str, k: int, seed: int = 7) -> dict:
    from newsgraph.store import Store

    out = {"load_before": [round(x, 2) for x in os.getloadavg()]}
    with Store(db) as store:
        for kind, params in query_sets(store, k, random.Random(seed)).items():
            times, cpu = [], []
            for args in params:
                t, c = time.perf_counter(), time.process_time()
                CALLS[kind](store, args)
                times.append(1000 * (time.perf_counter() - t))
                cpu.append(1000 * (time.process_time() - c))
            out[kind] = summary(times, cpu)
    return out


def page_urls(store, k: int, rng: random.Random) -> dict:
    """The same varied queries as web pages and API answers: kind -> [url]."""
    from urllib.parse import quote, urlencode

    def qs(f, **extra) -> str:
        return urlencode({**{k: v for k, v in f.to_dict().items() if k not in ("limit", "offset")}, **extra})

    plan = query_sets(store, k, rng)
    docs = [r[0] for r in store.conn.execute("SELECT doc_id FROM documents ORDER BY id")]
    search = [qs(f) for f in plan["search"]]
    timeline = [urlencode({"speaker": s, **({"about": f.about} if f.about else {})})
                for s, f in plan["speaker_timeline"]]
    trends = [qs(f) for f in plan["event_trends"]]
    return {"page /": [f"/?{q}" for q in search],
            "page /articles/{id}": [f"/articles/{quote(d, safe='')}" for d in rng.sample(docs, min(k, len(docs)))],
            "page /entities/{id}": [f"/entities/{e}" for e in plan["entity_page"]],
            "page /timeline": [f"/timeline?{q}" for q in timeline],
            "page /events": [f"/events?{q}" for q in trends],
            "api /api/documents": [f"/api/documents?{q}" for q in search],
            "api /api/entities/{id}": [f"/api/entities/{e}" for e in plan["entity_page"]],
            "api /api/timeline": [f"/api/timeline?{q}&limit=50" for q in timeline],
            "api /api/trends": [f"/api/trends?{q}" for q in trends]}


def page_latencies(db: str, k: int, seed: int = 11) -> dict:
    """GET each page and API answer through FastAPI's TestClient (in process, no network)."""
    from fastapi.testclient import TestClient

    from newsgraph.api import create_app

    out = {}
    with TestClient(create_app(db)) as client:
        urls = page_urls(client.app.state.store, k, random.Random(seed))
        client.get("/")  # the search page's corpus counts are cached for 30 s: fill the cache once
        for kind, paths in urls.items():
            times, cpu, bad = [], [], 0
            for path in paths:
                t, c = time.perf_counter(), time.process_time()
                r = client.get(path)
                times.append(1000 * (time.perf_counter() - t))
                cpu.append(1000 * (time.process_time() - c))
                bad += r.status_code != 200
            out[kind] = {**summary(times, cpu), **({"not_200": bad} if bad else {})}
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=2000, help="articles to ingest (default 2000)")
    p.add_argument("--overhead-n", type=int, default=150, help="articles for the store-share measurement")
    p.add_argument("--queries", type=int, default=200, help="queries of each kind (default 200)")
    p.add_argument("--db", default="/tmp/newsgraph-bench.db", help="database to fill (resumed when it exists)")
    p.add_argument("--queries-only", action="store_true", help="skip ingest; time queries on --db")
    p.add_argument("--full-from", metavar="SRC",
                   help="no analysis: build --db at the corpus's full size from the records analysed in SRC "
                        "(a database or a records .jsonl[.gz]); see the docstring")
    p.add_argument("--full-limit", type=int, help="with --full-from: stop after this many articles")
    p.add_argument("--full-steps", default=",".join(STEPS),
                   help="with --full-from: use only the records made by all these steps (default: %(default)s)")
    p.add_argument("--runs", type=int, default=1, help="time the queries this many times (default 1)")
    p.add_argument("--pages", type=int, default=0, help="also GET K of each web page and API answer")
    p.add_argument("--json", help="also write the results here")
    args = p.parse_args(argv)

    results: dict = {"cpu_count": os.cpu_count(), "load_before": [round(x, 2) for x in os.getloadavg()]}
    if args.full_from:
        results["full_size"] = build_full(args.full_from, args.db, args.full_limit,
                                           tuple(args.full_steps.split(",")))
        print(json.dumps({"full_size": results["full_size"]}), flush=True)
    elif not args.queries_only:
        ingest_run(args, results)
    results["latency"] = [latencies(args.db, args.queries) for _ in range(args.runs)]
    if args.pages:
        results["pages"] = page_latencies(args.db, args.pages)
    results["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(results, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    slow = sorted({k for run in results["latency"] for k, v in run.items() if k in CALLS and v["p95_ms"] >= 100})
    if slow:
        print(f"bench: p95 over 100 ms for {', '.join(slow)}", file=sys.stderr)
    return 0


def ingest_run(args, results: dict) -> None:
    from newsgraph.settings import Settings

    settings = Settings(extractors=usable_extractors())
    results["extractors"] = settings.extractors
    if args.overhead_n:
        results["store_overhead"] = store_overhead(articles(args.overhead_n, skip=args.n), settings)
        print(json.dumps({"store_overhead": results["store_overhead"]}), flush=True)
    results["ingest"] = fill(args.db, args.n, settings)
    print(json.dumps({"ingest": results["ingest"]}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
