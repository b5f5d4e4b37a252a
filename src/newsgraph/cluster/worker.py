"""The partition function every engine runs (Dask task, Dask bag partition, Spark mapPartitions),
and the worker plugin that loads the models once per worker process.

Models are loaded once per process by construction: ``newsgraph.nlp.load`` and the extractors'
loaders are ``functools.lru_cache``'d, so the first partition on a worker pays the load and the
rest reuse it. ``WarmUp`` only moves that cost to worker start, so the first partition's timing
(and a failing model install) shows up before any work is scheduled.
"""
from __future__ import annotations

import logging
import os
import time
from dataclasses import asdict, dataclass, field
from typing import Iterable, Iterator

from ..pipeline import analyze, analyze_many
from ..record import Analysis, Failure
from ..settings import Settings
from .outputs import words
from .partitions import Partition, ReadOptions, read

log = logging.getLogger(__name__)

WARM_TEXT = ("The mayor of Harbor City said on Monday that the council would vote on the budget. "
             "\"We will not close the library,\" she told reporters.")


@dataclass(slots=True)
class PartitionReport:
    """What one partition did. ``skipped`` = already stored documents, not analysed again."""
    name: str
    documents: int = 0
    analysed: int = 0
    failed: int = 0
    skipped: int = 0
    words: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # CPU time of the worker process on this partition
    output: str | None = None
    resumed: bool = False     # the whole partition was already done
    worker: str | None = None
    failures: list = field(default_factory=list)  # [(id, error)] of this partition's failed documents

    def to_dict(self) -> dict:
        return asdict(self)


def warm_up(settings: Settings) -> float:
    """Load the spaCy pipeline and every extractor's model in this process; return seconds."""
    t0 = time.perf_counter()
    analyze(WARM_TEXT, settings)
    return time.perf_counter() - t0


def analyze_partition(part: Partition, settings: Settings, output, options: ReadOptions | None = None,
                      ) -> PartitionReport:
    """Read one partition, skip what the output already has, analyse the rest in this process
    with ``analyze_many``, and write the records. Raises on I/O errors so the engine retries."""
    t0, c0 = time.perf_counter(), time.process_time()
    report = PartitionReport(name=part.name, worker=f"{os.uname().nodename}:{os.getpid()}")
    if output.done(part):
        report.resumed = True
        return report
    items = list(read(part, options))
    articles = [(i, a) for i, a in enumerate(items) if not isinstance(a, Failure)]
    known = output.known([a for _, a in articles])
    skip = {articles[k][0] for k in known}
    todo = [a for i, a in enumerate(items) if i not in skip]
    results = list(analyze_many(todo, workers=1, settings=settings))
    report.documents, report.skipped = len(items), len(skip)
    report.output = output.write(part, list(zip(todo, results)))
    _count(report, results)
    report.seconds, report.cpu_seconds = time.perf_counter() - t0, time.process_time() - c0
    log.info("partition %s: %d documents, %d analysed, %d failed, %d skipped in %.1f s", part.name,
             report.documents, report.analysed, report.failed, report.skipped, report.seconds)
    return report


def _count(report: PartitionReport, results: list[Analysis | Failure]) -> None:
    for r in results:
        if isinstance(r, Failure):
            report.failed += 1
            report.failures.append((r.id, r.error))
        else:
            report.analysed += 1
            report.words += words(r.text)


def records(parts: Iterable[Partition], settings: Settings, options: ReadOptions | None = None
            ) -> Iterator[dict]:
    """The record dicts (``Failure`` ones carry ``"failed": true``) of some partitions, in order:
    the body of a Dask bag partition or a Spark ``mapPartitions`` call."""
    for part in parts:
        for result in analyze_many(read(part, options), workers=1, settings=settings):
            yield result.to_dict()


def dask_plugin(settings: Settings):
    """A ``distributed.WorkerPlugin`` that warms the models when each worker process starts."""
    from distributed import WorkerPlugin

    class WarmUp(WorkerPlugin):
        name = "newsgraph-warm-up"

        def __init__(self, settings: Settings):
            self.settings = settings

        def setup(self, worker):
            seconds = warm_up(self.settings)
            log.info("newsgraph models loaded on %s in %.1f s", worker.address, seconds)

    return WarmUp(settings)
