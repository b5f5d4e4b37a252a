"""Flags and a runner for ``newsgraph ingest --engine dask``, for the corpus CLI to call.

The CLI stays a translator: ``add_engine_arguments(parser)`` adds the flags, and when
``args.engine == "dask"`` the ingest command calls ``ingest_from_args(args, settings)`` and
prints the report. The progress bar writes to stderr (tqdm), as the local ingest's does.
"""
from __future__ import annotations

import argparse

from ..settings import Settings
from .engine import JobReport, ingest
from .partitions import DEFAULT_BLOCKSIZE


def add_engine_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("cluster (--engine dask)")
    g.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local: this process (default); dask: a Dask cluster (see docs/cluster.md)")
    g.add_argument("--scheduler", default=None,
                   help="Dask scheduler address, e.g. tcp://scheduler:8786 (default: start a local "
                        "cluster of --cluster-workers processes)")
    g.add_argument("--cluster-workers", type=int, default=2,
                   help="worker processes of the local cluster when no --scheduler is given (default 2)")
    g.add_argument("--out", default=None,
                   help="also write records as Parquet files under this folder or fsspec URL")
    g.add_argument("--blocksize", type=int, default=DEFAULT_BLOCKSIZE,
                   help=f"bytes per partition of uncompressed JSONL (default {DEFAULT_BLOCKSIZE})")
    g.add_argument("--retries", type=int, default=2, help="retries of a failed partition (default 2)")
    g.add_argument("--column", action="append", default=[], metavar="FROM=TO",
                   help="rename an input column to a record field, e.g. --column date=published")


def ingest_from_args(args: argparse.Namespace, settings: Settings, progress: bool = True) -> JobReport:
    """Run the cluster ingest the flags describe, into ``settings.db`` (and ``--out``)."""
    columns = dict(c.split("=", 1) for c in args.column if "=" in c)
    bar = _bar() if progress else None
    try:
        return ingest(args.targets, db=settings.db, out=args.out, scheduler=args.scheduler,
                      workers=args.cluster_workers, settings=settings, retries=args.retries,
                      blocksize=args.blocksize, columns=columns, progress=bar)
    finally:
        if bar:
            bar.close()


class _bar:
    """A tqdm bar over partitions, with documents and words/s in its postfix."""

    def __init__(self):
        from tqdm import tqdm

        self.tqdm = tqdm(unit="part", desc="partitions", dynamic_ncols=True)

    def __call__(self, report: JobReport, _part) -> None:
        self.tqdm.total = report.partitions
        self.tqdm.update(1)
        self.tqdm.set_postfix(docs=report.documents, failed=report.failed,
                              parts_failed=len(report.failed_partitions))

    def close(self) -> None:
        self.tqdm.close()
