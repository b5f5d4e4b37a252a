"""The Dask engine: one task per input partition, records written by the workers themselves.

Why tasks over partitions rather than a bag of documents: a document never travels through the
scheduler or back to the client — a worker reads its partition from shared storage (a folder, NFS,
S3...), analyses it and writes its records; only a small ``PartitionReport`` comes back. That
keeps the scheduler's load per partition, not per document, and makes each partition the unit of
progress, retry (``retries=`` on the task; a worker that dies has its task rescheduled by the
scheduler) and resumption (a partition whose output exists, or whose documents are stored, is
skipped). ``records_bag`` gives the same work as a lazy ``dask.bag`` for users who compose it.
"""
from __future__ import annotations

import contextlib
import logging
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable

from ..errors import NewsgraphError
from ..settings import Settings
from .outputs import ParquetOutput, StoreOutput, combine
from .partitions import DEFAULT_BLOCKSIZE, Partition, ReadOptions, plan
from .worker import PartitionReport, analyze_partition, dask_plugin, records

log = logging.getLogger(__name__)


class ClusterError(NewsgraphError):
    """The cluster could not be reached or a job could not be run."""


@dataclass(slots=True)
class JobReport:
    """The whole job. ``failed_partitions``: [(partition name, error)] after all retries;
    running the same job again redoes exactly those (and nothing that is done)."""
    partitions: int = 0
    resumed: int = 0
    completed: int = 0
    failed_partitions: list = field(default_factory=list)
    documents: int = 0
    analysed: int = 0
    failed: int = 0
    skipped: int = 0
    words: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # summed over the workers' partitions
    workers: int = 0
    reports: list = field(default_factory=list)

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    def add(self, r: PartitionReport) -> None:
        self.reports.append(r)
        if r.resumed:
            self.resumed += 1
            return
        self.completed += 1
        self.documents += r.documents
        self.analysed += r.analysed
        self.failed += r.failed
        self.skipped += r.skipped
        self.words += r.words
        self.cpu_seconds += r.cpu_seconds

    def to_dict(self) -> dict:
        return {"partitions": self.partitions, "resumed": self.resumed, "completed": self.completed,
                "failed_partitions": [list(x) for x in self.failed_partitions],
                "documents": self.documents, "analysed": self.analysed, "failed": self.failed,
                "skipped": self.skipped, "words": self.words, "seconds": round(self.seconds, 3),
                "cpu_seconds": round(self.cpu_seconds, 3),
                "words_per_s": round(self.words_per_s, 1), "workers": self.workers}


@contextlib.contextmanager
def connect(scheduler=None, workers: int = 2, settings: Settings | None = None):
    """A ``distributed.Client``: ``scheduler`` may be a Client (used as is), an address
    (``tcp://host:8786``), or None for a LocalCluster of ``workers`` single-threaded processes
    (spaCy holds the GIL, so one thread per process is what scales)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ClusterError("the Dask engine needs dask[distributed]; install newsgraph[cluster]") from exc
    if scheduler is not None and not isinstance(scheduler, str):
        yield scheduler
        return
    with contextlib.ExitStack() as stack:
        if scheduler is None:
            import dask

            # Dask's nanny sets MALLOC_TRIM_THRESHOLD_=65536 in its workers, which makes spaCy's
            # many small allocations return memory to the OS constantly: measured +28% CPU for the
            # same analysis (bench/scale.py). Unset it. And each worker samples its task thread's
            # stack every 10 ms for the dashboard's profile (there is no dashboard here): each
            # sample takes the GIL from the analysis. Remote workers: see docs/cluster.md.
            with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                                  "distributed.worker.profile.enabled": False}):
                cluster = stack.enter_context(LocalCluster(n_workers=workers, threads_per_worker=1,
                                                           processes=True, dashboard_address=None))
            address = cluster.scheduler_address
        else:
            address = scheduler
        try:
            client = stack.enter_context(Client(address, timeout="30s"))
        except OSError as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {address} ({exc}); start it with "
                               "`dask scheduler` and pass its tcp:// address, or omit --scheduler "
                               "for a local cluster") from exc
        yield client


def run(inputs: str | list[str] | list[Partition], *, out: str | None = None, db: str | None = None,
        settings: Settings | None = None, scheduler=None, workers: int = 2, retries: int = 2,
        blocksize: int = DEFAULT_BLOCKSIZE, columns: dict | None = None, storage_options: dict | None = None,
        resume: bool = True, warm: bool = True,
        progress: Callable[[JobReport, PartitionReport], None] | None = None) -> JobReport:
    """Analyse every document under ``inputs`` on a Dask cluster.

    Records go to Parquet files under ``out`` and/or into the store ``db``. Each partition is one
    task, retried ``retries`` times; with ``resume`` a partition whose Parquet file exists is not
    redone, and documents already in ``db`` are not analysed again. ``progress`` is called on the
    client after each partition with the running totals.
    """
    settings = settings or Settings()
    options = ReadOptions(columns=dict(columns or {}), storage_options=dict(storage_options or {}))
    output = combine(([ParquetOutput(out, dict(storage_options or {}))] if out else [])
                     + ([StoreOutput(db)] if db else []))
    parts = inputs if _is_plan(inputs) else plan(inputs, blocksize, storage_options)
    report = JobReport(partitions=len(parts))
    t0 = time.perf_counter()
    with connect(scheduler, workers, settings) as client:
        report.workers = len(client.scheduler_info(n_workers=-1).get("workers", {}))
        if warm:
            client.register_plugin(dask_plugin(settings), name="newsgraph-warm-up")
        todo = _todo(parts, output, resume, report, progress)
        _gather(client, todo, settings, output, options, retries, report, progress)
    report.seconds = time.perf_counter() - t0
    log.info("job done: %s", report.to_dict())
    return report


def _is_plan(inputs) -> bool:
    return isinstance(inputs, (list, tuple)) and bool(inputs) and all(isinstance(p, Partition) for p in inputs)


def _todo(parts, output, resume, report, progress) -> list[Partition]:
    todo = []
    for part in parts:
        if resume and output.done(part):
            r = PartitionReport(name=part.name, resumed=True)
            report.add(r)
            if progress:
                progress(report, r)
        else:
            todo.append(part)
    return todo


def _gather(client, todo, settings, output, options, retries, report, progress) -> None:
    from distributed import as_completed

    token = uuid.uuid4().hex[:8]
    futures = {client.submit(analyze_partition, part, settings, output, options, retries=retries,
                             key=f"newsgraph-{part.name}-{token}", pure=False, priority=rank): part
               for part, rank in _largest_first(todo)}
    for future in as_completed(futures):
        part = futures[future]
        try:
            r = future.result()
        except Exception as exc:  # after all retries: report it, keep the rest of the job going
            log.error("partition %s failed after %d retries: %s: %s", part.name, retries, type(exc).__name__, exc)
            report.failed_partitions.append((part.name, f"{type(exc).__name__}: {exc}"))
            r = PartitionReport(name=part.name)
        else:
            report.add(r)
        finally:
            future.release()
        if progress:
            progress(report, r)


def _largest_first(todo: list[Partition]) -> list[tuple[Partition, int]]:
    """Each partition with a Dask priority that runs the largest ones first (higher runs first).

    Longest-processing-time-first (Graham 1969, "Bounds on multiprocessing timing anomalies"):
    when the big partitions start early, the job's tail is a small partition on one worker while
    the others idle, not a big one; with uneven input files that tail decides the wall time."""
    order = sorted(range(len(todo)), key=lambda i: (todo[i].size, -i))  # smallest: lowest; ties in input order
    rank = {i: r for r, i in enumerate(order)}
    return [(part, rank[i]) for i, part in enumerate(todo)]


def records_bag(inputs: str | list[str] | list[Partition], settings: Settings | None = None,
                blocksize: int = DEFAULT_BLOCKSIZE, columns: dict | None = None,
                storage_options: dict | None = None):
    """A lazy ``dask.bag.Bag`` of record dicts, one bag partition per input partition, to compose
    with other Dask work (``.filter``, ``.to_dataframe``, ``.to_textfiles``)."""
    import dask.bag as db

    settings = settings or Settings()
    options = ReadOptions(columns=dict(columns or {}), storage_options=dict(storage_options or {}))
    parts = inputs if _is_plan(inputs) else plan(inputs, blocksize, storage_options)
    return db.from_sequence(parts, npartitions=len(parts)).map_partitions(
        lambda ps: list(records(ps, settings, options)))


def ingest(inputs: str | list[str], db: str, *, out: str | None = None, scheduler=None,
           workers: int = 2, settings: Settings | None = None, **kw) -> JobReport:
    """``newsgraph ingest --engine dask``: analyse ``inputs`` on a cluster into the store ``db``
    (a ``postgresql://`` URL for many workers). Same arguments as ``run``."""
    return run(inputs, out=out, db=db, settings=settings, scheduler=scheduler, workers=workers, **kw)


def write_parquet(inputs: str | list[str], out: str, **kw) -> JobReport:
    """Analyse ``inputs`` on a cluster into Parquet files of records under ``out``."""
    return run(inputs, out=out, **kw)


__all__ = ["ClusterError", "JobReport", "connect", "run", "ingest", "write_parquet", "records_bag",
           "StoreOutput", "ParquetOutput"]
