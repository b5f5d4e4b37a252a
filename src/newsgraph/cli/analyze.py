"""``newsgraph analyze TARGET...``: files, URLs, batches or '-' to records on stdout."""
from __future__ import annotations

import argparse
import json
import sys

from ..ingest import is_batch, read
from ..pipeline import analyze_many
from ..record import Failure
from ..render import render_table
from . import add_settings_flags, settings_from


def register(sub) -> None:
    p = sub.add_parser("analyze", help="analyse articles into records (JSON, JSON Lines or a table)",
                       description="Analyse .txt/.html files, .jsonl/.csv batches, URLs or '-' (stdin).")
    p.add_argument("targets", nargs="+", metavar="TARGET", help="file, URL, or - for stdin")
    p.add_argument("--format", choices=["json", "jsonl", "table"], default=None,
                   help="json: one indented record (single document); jsonl: one record per line "
                        "(default for batches); table: who-said-what for people")
    p.add_argument("-o", "--output", help="write here instead of stdout")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    add_settings_flags(p, ["workers", "max_chars", "language_policy", "extractors", "fetch_timeout",
                           "technique_threshold", "batch_size", "model"])
    p.set_defaults(func=run)


def _documents(targets: list[str], timeout: float):
    from ..errors import InputError

    for target in targets:
        try:
            yield from read(target, timeout)
        except InputError as exc:
            if len(targets) == 1 and not is_batch(target):
                raise
            yield Failure(id=target, error=exc.code, message=str(exc), where=target)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    single = len(args.targets) == 1 and not is_batch(args.targets[0])
    fmt = args.format or ("json" if single else "jsonl")
    docs = _documents(args.targets, settings.fetch_timeout)
    if single:
        # A single document: its InputError is the command's error (one line, exit 2).
        docs = list(docs)
    results = analyze_many(docs, workers=settings.workers, settings=settings)
    if not single and not args.no_progress and sys.stderr.isatty():
        from tqdm import tqdm
        results = tqdm(results, unit="doc", desc="analyze", file=sys.stderr)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    failed = total = 0
    try:
        for rec in results:
            total += 1
            if isinstance(rec, Failure):
                failed += 1
                print(f"newsgraph: failed: {rec.id}: {rec.message}", file=sys.stderr)
                if single:
                    return 2
                if fmt != "table":
                    out.write(json.dumps(rec.to_dict(), ensure_ascii=False) + "\n")
                continue
            if fmt == "table":
                out.write(render_table(rec) + "\n")
            elif fmt == "json":
                out.write(json.dumps(rec.to_dict(), ensure_ascii=False, indent=2) + "\n")
            else:
                out.write(json.dumps(rec.to_dict(), ensure_ascii=False) + "\n")
    finally:
        if args.output:
            out.close()
    if failed:
        print(f"newsgraph: {failed} of {total} documents failed", file=sys.stderr)
        return 3
    return 0
