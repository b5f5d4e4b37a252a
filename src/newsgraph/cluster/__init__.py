"""Scale-out: analyse a partitioned corpus on a Dask cluster (or Spark) into Parquet or a store.

    from newsgraph import cluster
    report = cluster.run("s3://bucket/news/", out="s3://bucket/records/", scheduler="tcp://sched:8786")
    report = cluster.ingest("/nfs/news/", db="postgresql://...", scheduler="tcp://sched:8786")

Every engine runs the same partition function (``worker.analyze_partition``), which calls the same
``analyze_many`` as one laptop does, so a record from the cluster equals the one from ``analyze``.
See docs/cluster.md for deployment and sizing.
"""
from .engine import ClusterError, JobReport, connect, ingest, records_bag, run, write_parquet
from .outputs import ParquetOutput, StoreOutput, read_records
from .partitions import Partition, ReadOptions, plan, read
from .worker import PartitionReport, analyze_partition, records, warm_up

__all__ = ["ClusterError", "JobReport", "PartitionReport", "Partition", "ReadOptions", "ParquetOutput",
           "StoreOutput", "connect", "run", "ingest", "write_parquet", "records_bag", "read_records",
           "plan", "read", "analyze_partition", "records", "warm_up"]
