"""For users already on Spark: the same partition function under ``mapPartitions``.

Nothing here imports pyspark; the functions take and return plain Python iterators, which is
what ``RDD.mapPartitions`` hands a Python worker. Models load once per Python worker process
through the same ``lru_cache``'d loaders (set ``spark.python.worker.reuse=true``, Spark's default,
so a worker process outlives one task).

Two ways in::

    # 1. Spark reads the articles; newsgraph analyses each partition of rows
    df = spark.read.json("s3://bucket/news/*.jsonl")
    records = df.rdd.mapPartitions(analyze_rows_fn(settings))         # RDD of record dicts
    spark.createDataFrame(records.map(to_row)).write.parquet(...)    # or records.map(json.dumps)

    # 2. newsgraph plans the input partitions, Spark only schedules them (records written by
    #    the workers to Parquet/PostgreSQL exactly as the Dask engine does)
    report = run_on_spark(spark, "s3://bucket/news/", out="s3://bucket/records/")
"""
from __future__ import annotations

import json
from typing import Callable, Iterable, Iterator

from ..pipeline import analyze_many
from ..settings import Settings
from .outputs import ParquetOutput, StoreOutput, combine
from .partitions import DEFAULT_BLOCKSIZE, ReadOptions, plan
from .worker import PartitionReport, analyze_partition


def analyze_rows_fn(settings: Settings | None = None, columns: dict | None = None
                    ) -> Callable[[Iterable], Iterator[dict]]:
    """A ``mapPartitions`` function: rows (pyspark ``Row`` or dicts with ``text``/``html`` and
    metadata) in, record dicts out (``{"failed": true, ...}`` for documents that could not be
    analysed), in order."""
    settings = settings or Settings()
    columns = dict(columns or {})

    def fn(rows: Iterable) -> Iterator[dict]:
        dicts = (_as_dict(r, columns) for r in rows)
        for result in analyze_many(dicts, workers=1, settings=settings):
            yield result.to_dict()

    return fn


def _as_dict(row, columns: dict) -> dict:
    d = row.asDict() if hasattr(row, "asDict") else dict(row)
    return {columns.get(k, k): v for k, v in d.items()}


def to_row(record: dict) -> dict:
    """A flat row for ``spark.createDataFrame``: metadata columns and the record as JSON."""
    return {"id": record["id"], "failed": bool(record.get("failed")), "source": record.get("source"),
            "published": record.get("published"), "title": record.get("title"),
            "record": json.dumps(record, ensure_ascii=False)}


def run_on_spark(spark, inputs, *, out: str | None = None, db: str | None = None,
                 settings: Settings | None = None, blocksize: int = DEFAULT_BLOCKSIZE,
                 columns: dict | None = None, storage_options: dict | None = None) -> list[PartitionReport]:
    """Plan ``inputs`` into partitions and run ``analyze_partition`` on each under Spark; returns
    the per-partition reports (Spark retries failed tasks itself: ``spark.task.maxFailures``)."""
    settings = settings or Settings()
    options = ReadOptions(columns=dict(columns or {}), storage_options=dict(storage_options or {}))
    output = combine(([ParquetOutput(out, dict(storage_options or {}))] if out else [])
                     + ([StoreOutput(db)] if db else []))
    parts = plan(inputs, blocksize, storage_options)
    rdd = spark.sparkContext.parallelize(parts, len(parts))
    return rdd.mapPartitions(
        lambda ps: [analyze_partition(p, settings, output, options) for p in ps]).collect()
