"""Shared loaders for benchmarks: real articles from ../shared/data/corpus/allsides/."""
from __future__ import annotations

import gzip
import json
import os
import sys
from pathlib import Path

SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", Path(__file__).resolve().parents[2] / "shared"))


def allsides(n: int, years=("2015", "2016", "2014", "2017")) -> list[dict]:
    """The first ``n`` articles (id, text, title, published, source) from the given years."""
    folder = SHARED / "data" / "corpus" / "allsides"
    if not folder.is_dir():
        sys.exit(f"needs the AllSides corpus at {folder} (set NEWSGRAPH_SHARED)")
    out: list[dict] = []
    for year in years:
        with gzip.open(folder / f"articles-{year}.jsonl.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                art = json.loads(line)
                if art.get("text", "").strip():
                    out.append({"id": art["ID"], "text": art["text"], "title": art.get("title"),
                                "published": art.get("date") or None, "source": art.get("source"),
                                "url": art.get("url")})
                if len(out) >= n:
                    return out
    return out


def words(docs: list[dict]) -> int:
    return sum(len(d["text"].split()) for d in docs)


def usable_extractors() -> list[str]:
    """The default extractors whose module loads; one that fails to import is left out with a
    message rather than stopping a long benchmark."""
    import importlib

    from newsgraph.pipeline import STEP_MODULES
    from newsgraph.settings import Settings

    out = []
    for name in Settings().extractors:
        try:
            importlib.import_module(STEP_MODULES[name]).STEP
            out.append(name)
        except Exception as exc:  # a broken extractor must not stop the benchmark
            print(f"bench: leaving out extractor {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
    return out
