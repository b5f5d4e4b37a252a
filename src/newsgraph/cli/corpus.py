"""Corpus commands: ``ingest``, ``serve``, ``search``, ``quotes``, ``events``, ``entities``,
``export`` and ``failures``. Each parses its flags, calls one store or corpus function, and
prints a table for people or JSON Lines with ``--json``."""
from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys

from . import add_settings_flags, settings_from


def register(sub) -> None:
    _ingest(sub)
    _serve(sub)
    _queries(sub)
    _export(sub)


def _db(p: argparse.ArgumentParser) -> None:
    add_settings_flags(p, ["db"])


def _filters(p: argparse.ArgumentParser, *names: str) -> None:
    helps = {"source": "publication, exact", "since": "from this date (YYYY, YYYY-MM or YYYY-MM-DD)",
             "until": "up to this date, inclusive", "entity": "entity id or name mentioned",
             "speaker": "entity id or name of who is quoted", "event_type": "PLOVER event type, e.g. ASSAULT",
             "technique": "technique label", "about": "words the quote must contain",
             "type": "entity type: PERSON, ORG, GPE, ..."}
    for name in names:
        p.add_argument("--" + name.replace("_", "-"), dest=name, help=helps[name])
    p.add_argument("--limit", type=int, default=20, help="rows to show (default 20)")
    p.add_argument("--offset", type=int, default=0, help="rows to skip (for paging)")
    p.add_argument("--json", action="store_true", help="JSON Lines on stdout instead of a table")


def _ingest(sub) -> None:
    p = sub.add_parser("ingest", help="analyse and store folders, files, feeds and URLs in a corpus database",
                       description="Read folders (recursive), .txt/.html/.jsonl/.csv files, .gz files, "
                                   "RSS/Atom feeds, lists of URLs and URLs; analyse each text not stored "
                                   "yet and store it. Safe to interrupt and run again.")
    p.add_argument("targets", nargs="*", metavar="TARGET", help="folder, file, feed, URL, or - for stdin")
    p.add_argument("--reanalyze", action="store_true",
                   help="analyse again documents made by older extractor versions (with no TARGET: "
                        "every such document in the database)")
    p.add_argument("--no-progress", action="store_true",
                   help="no progress bar on stderr (there is none when stderr is not a terminal)")
    _db(p)
    add_settings_flags(p, ["workers", "batch_size", "max_chars", "language_policy", "extractors",
                           "fetch_timeout", "technique_threshold", "model"])
    from ..cluster.cli import add_engine_arguments  # flags only; Dask is imported when used
    add_engine_arguments(p)
    p.set_defaults(func=run_ingest)


def run_ingest(args) -> int:
    from ..corpus.ingest import ingest, progress_bar, reanalyze_stored
    from ..errors import InputError
    from ..store import Store

    settings = settings_from(args)
    if getattr(args, "engine", "local") == "dask":
        import logging

        from ..cluster.cli import ingest_from_args
        if not getattr(args, "verbose", False):  # Dask logs every worker start and stop at INFO
            import distributed  # noqa: F401  (it configures its loggers on import; override after)
            for name in list(logging.root.manager.loggerDict):
                if name.startswith(("distributed", "dask")):
                    logging.getLogger(name).setLevel(logging.WARNING)
        report = ingest_from_args(args, settings, progress=not args.no_progress)
        print(" ".join(f"{k}={v}" for k, v in report.to_dict().items()), file=sys.stderr)
        return 3 if report.failed or report.failed_partitions else 0
    if not args.targets and not args.reanalyze:
        raise InputError("nothing to ingest: name a folder, file, feed or URL (or pass --reanalyze "
                         "to redo stored documents made by older extractors)")
    quiet = args.no_progress or not sys.stderr.isatty()
    tick, close = (None, lambda: None) if quiet else progress_bar()
    with Store(settings.db) as store:
        try:
            if args.targets:
                report = ingest(args.targets, store, settings, reanalyze=args.reanalyze, progress=tick)
            else:
                report = reanalyze_stored(store, settings, progress=tick)
        finally:
            close()
    print(" ".join(f"{k}={v}" for k, v in report.to_dict().items()), file=sys.stderr)
    if report.failed:
        print(f"newsgraph: {report.failed} documents failed; list them with "
              f"'newsgraph failures --db {settings.db}'", file=sys.stderr)
        return 3
    return 0


def _serve(sub) -> None:
    p = sub.add_parser("serve", help="browse and query a corpus in the browser and over HTTP",
                       description="Serve the web pages and the JSON API (OpenAPI at /docs).")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--token", default=None,
                   help="enable POST /api/documents for clients sending 'Authorization: Bearer TOKEN' "
                        "(default: read-only; also NEWSGRAPH_TOKEN)")
    _db(p)
    p.set_defaults(func=run_serve)


def run_serve(args) -> int:
    import os

    import uvicorn

    from ..api import create_app

    settings = settings_from(args)
    app = create_app(settings.db, token=args.token or os.environ.get("NEWSGRAPH_TOKEN"), settings=settings)
    print(f"newsgraph: serving {settings.db} on http://{args.host}:{args.port}", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _queries(sub) -> None:
    specs = [
        ("search", "full-text search of the corpus", ("source", "since", "until", "entity", "speaker",
                                                      "event_type", "technique"), run_search),
        ("quotes", "what a speaker said (about a topic), oldest first, each cited",
         ("speaker", "about", "source", "since", "until"), run_quotes),
        ("events", "events by type, date and actor", ("event_type", "entity", "source", "since", "until"),
         run_events),
        ("entities", "entities of the corpus, most documents first", ("type",), run_entities),
        ("failures", "documents that could not be read or analysed, with the reason", (), run_failures),
    ]
    for name, help, filters, func in specs:
        p = sub.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".")
        if name in ("search", "entities"):
            p.add_argument("q", nargs="?", default=None,
                           help="words to search for" if name == "search" else "name prefix")
        _filters(p, *filters)
        _db(p)
        p.set_defaults(func=func)


def _query(args, method: str):
    from ..store import Filters, Store

    settings = settings_from(args)
    names = ("q", "source", "since", "until", "entity", "speaker", "event_type", "technique", "about", "type")
    filters = Filters(**{n: getattr(args, n, None) for n in names}, limit=args.limit, offset=args.offset)
    with Store(settings.db) as store:
        return getattr(store, method)(filters)


def _print(args, page: dict, headers: list[str], row) -> int:
    if args.json:
        for item in page["items"]:
            print(json.dumps(item, ensure_ascii=False))
        return 0
    rows = [[("" if v is None else str(v)) for v in row(item)] for item in page["items"]]
    print(table(headers, rows))
    shown = len(rows)
    print(f"({args.offset + 1 if shown else 0}-{args.offset + shown} of {page['total']})", file=sys.stderr)
    return 0


def table(headers: list[str], rows: list[list[str]]) -> str:
    """Columns sized to their content, the last one clipped to the terminal width."""
    width = shutil.get_terminal_size((140, 20)).columns
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    widths = [min(w, 40) for w in widths[:-1]] + [max(20, width - sum(min(w, 40) + 2 for w in widths[:-1]))]

    def fmt(cells):
        out = []
        for c, w in zip(cells, widths):
            c = " ".join(c.split())
            out.append((c if len(c) <= w else c[: w - 1] + "…").ljust(w))
        return "  ".join(out).rstrip()

    return "\n".join([fmt(headers), "  ".join("-" * w for w in widths)] + [fmt(r) for r in rows])


def run_search(args) -> int:
    page = _query(args, "search")
    return _print(args, page, ["id", "published", "source", "title", "snippet"],
                  lambda d: [d["id"], (d["published"] or "")[:10], d["source"], d["title"],
                             "".join(s["text"] for s in d["snippet"])])


def run_quotes(args) -> int:
    page = _query(args, "quotes")
    return _print(args, page, ["date", "speaker", "source", "document", "quote"],
                  lambda q: [q["day"], q["speaker_name"], q["source"], f"{q['document']}@{q['start']}",
                             q["text"]])


def run_events(args) -> int:
    page = _query(args, "events")
    return _print(args, page, ["date", "type", "source", "target", "document", "sentence"],
                  lambda e: [e["day"], e["type"] + (" (not)" if e["negated"] else ""), e["source_name"],
                             e["target_name"], e["document"], e["sentence"]])


def run_entities(args) -> int:
    page = _query(args, "entities")
    return _print(args, page, ["id", "type", "documents", "name"],
                  lambda e: [e["id"], e["type"], e["documents"], e["name"]])


def run_failures(args) -> int:
    page = _query(args, "failures")
    return _print(args, page, ["where", "error", "at", "message"],
                  lambda f: [f["where"], f["error"], f["at"], f["message"]])


def _export(sub) -> None:
    from ..store import EXPORT_KINDS

    p = sub.add_parser("export", help="write documents, quotes, events, entities, techniques or failures "
                                      "as JSON Lines or CSV",
                       description="Export every row of a query (the filters narrow it).")
    p.add_argument("kind", choices=EXPORT_KINDS, help="what to export")
    p.add_argument("--format", choices=["jsonl", "csv"], default="jsonl", help="jsonl (default) or csv")
    p.add_argument("-o", "--output", help="file to write (default stdout)")
    p.add_argument("--q", dest="q", help="full-text query (documents) or name prefix (entities)")
    for name in ("source", "since", "until", "entity", "speaker", "event_type", "technique", "about", "type"):
        p.add_argument("--" + name.replace("_", "-"), dest=name, help=f"filter: {name.replace('_', ' ')}")
    _db(p)
    p.set_defaults(func=run_export)


def run_export(args) -> int:
    from ..store import Filters, Store

    settings = settings_from(args)
    names = ("q", "source", "since", "until", "entity", "speaker", "event_type", "technique", "about", "type")
    filters = Filters(**{n: getattr(args, n, None) for n in names}, limit=None)
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        with Store(settings.db) as store:
            write_rows(store.export(args.kind, filters), args.format, out)
    finally:
        if args.output:
            out.close()
    return 0


def write_rows(rows, fmt: str, out) -> None:
    """JSON Lines, or CSV whose nested values (lists, dicts) are JSON in their cell."""
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    writer = None
    for row in rows:
        flat = {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
                for k, v in row.items()}
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(flat), extrasaction="ignore")
            writer.writeheader()
        writer.writerow(flat)
