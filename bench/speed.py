"""Speed of newsgraph beside the bare spaCy pipeline, on the same real articles, in one run.

    python bench/speed.py --n 200 [--workers 2] [--chunk 16] [--extractors entities,quotes]

Prints words/s of (a) bare ``nlp.pipe`` (b) ``analyze_many`` with every extractor, their ratio,
(c) an interleaved run timing the parse and each extractor document by document (so both see the
same machine load: each extractor's share of the parse time, and techniques sentences/s), and
(d) analyze_many with --workers N. Absolute times on shared 2-core machines are noise; read the
ratios.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import allsides, words  # noqa: E402

from newsgraph import analyze_many  # noqa: E402
from newsgraph.nlp import load  # noqa: E402
from newsgraph.pipeline import _new_record, check, steps_for, to_article  # noqa: E402
from newsgraph.settings import Settings  # noqa: E402


def bare(docs, settings) -> float:
    nlp = load(settings)
    t = time.perf_counter()
    for _ in nlp.pipe((d["text"] for d in docs), batch_size=settings.batch_size):
        pass
    return time.perf_counter() - t


def full(docs, settings, workers=1) -> float:
    t = time.perf_counter()
    n = sum(1 for _ in analyze_many(docs, workers=workers, settings=settings))
    assert n == len(docs)
    return time.perf_counter() - t


def per_step(docs, settings) -> tuple[dict, float, int]:
    """Seconds spent in each extractor, seconds spent parsing in the same loop (so both see the
    same machine load), and the number of sentences."""
    nlp, steps, spent, sents = load(settings), steps_for(settings), defaultdict(float), 0
    arts = [to_article(d) for d in docs]
    parsed = iter(nlp.pipe((a.text for a in arts), batch_size=settings.batch_size))
    parse_time = 0.0
    for art in arts:
        t = time.perf_counter()
        doc = next(parsed)
        parse_time += time.perf_counter() - t
        rec = _new_record(art, check(art, settings))
        sents += sum(1 for _ in doc.sents)
        for step in steps:
            t = time.perf_counter()
            step.run(doc, rec, settings)
            spent[step.name] += time.perf_counter() - t
    return spent, parse_time, sents


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="articles (default 200)")
    ap.add_argument("--workers", type=int, default=2, help="workers for the parallel run (default 2)")
    ap.add_argument("--extractors", default=None, help="comma-separated extractors (default: all)")
    ap.add_argument("--chunk", type=int, default=None,
                    help="articles per alternation of bare spaCy and analyze_many (default: the "
                         "batch_size setting, so both parse in the batches analyze_many uses)")
    a = ap.parse_args()
    settings = Settings.load(language_policy="warn", extractors=a.extractors)
    docs = allsides(a.n)
    a.chunk = a.chunk or settings.batch_size
    n_words = words(docs)
    load(settings)
    full(docs[:5], settings)  # warm up every model
    print(f"{len(docs)} AllSides articles, {n_words:,} words; extractors: {', '.join(settings.extractors)}")
    # bare and analyze_many alternate every few articles, so a change in machine load (other jobs,
    # a shared host) hits both sides alike; each side's time is the sum over its chunks
    # a chunk's first parse also adds its new words to the vocabulary, so the side that goes first
    # alternates too
    t_bare = t_full = 0.0
    for i, k in enumerate(range(0, len(docs), a.chunk)):
        chunk = docs[k:k + a.chunk]
        if i % 2:
            t_full += full(chunk, settings)
            t_bare += bare(chunk, settings)
        else:
            t_bare += bare(chunk, settings)
            t_full += full(chunk, settings)
    print(f"bare spaCy nlp.pipe          {n_words / t_bare:9,.0f} words/s")
    print(f"analyze_many, 1 process      {n_words / t_full:9,.0f} words/s   ratio {t_bare / t_full:.2f}x of bare"
          f" (alternating every {a.chunk} articles)")
    spent, t_parse, sents = per_step(docs, settings)
    print(f"interleaved run: parse {n_words / t_parse:,.0f} words/s; parse + extractors "
          f"{n_words / (t_parse + sum(spent.values())):,.0f} words/s, ratio "
          f"{t_parse / (t_parse + sum(spent.values())):.2f}x (extractors only, no pipeline overhead)")
    for name, sec in spent.items():
        extra = f", {sents / sec:,.0f} sentences/s" if name == "techniques" and sec else ""
        print(f"  {name:<12} {100 * sec / t_parse:5.1f}% of the parse time{extra}")
    if "events" in spent:
        rest = t_full - spent["events"]
        print(f"  events on vs off: +{100 * spent['events'] / rest:.1f}% time")
    if a.workers > 1:
        t_par = full(docs, settings, workers=a.workers)
        print(f"analyze_many, {a.workers} workers     {n_words / t_par:9,.0f} words/s   "
              f"speed-up {t_full / t_par:.2f}x over 1 process")


if __name__ == "__main__":
    main()
