"""Where a partition's records go: Parquet files, a store, or both.

An output is a small picklable description that each worker opens for itself. It answers two
questions that make a job resumable — is this partition already done (``done``), and which of
these documents are already stored (``known``) — and writes one partition's records (``write``, given ``(input item, result)`` pairs in input order).

Parquet output is written atomically: to ``_tmp/`` first, then renamed to its final name, so a
partition file that exists is complete and a killed job leaves at most a stray temporary file.
"""
from __future__ import annotations

import json
import logging
import posixpath
import uuid
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from ..ingest import Article
from ..record import Analysis, Failure
from .partitions import Partition

log = logging.getLogger(__name__)

PARQUET_COLUMNS = ("id", "failed", "title", "url", "source", "published", "language", "words",
                   "error", "message", "where", "record")


def words(text: str) -> int:
    """Whitespace-separated tokens: the unit of every words/s figure in newsgraph's benchmarks."""
    return len(text.split())


@dataclass(frozen=True, slots=True)
class ParquetOutput:
    """One Parquet file of records per partition under ``url`` (a folder or any fsspec URL).

    Columns: the record's metadata, ``words``, ``failed`` with ``error``/``message``/``where`` for
    documents that could not be analysed, and ``record``: the whole spec record as JSON."""
    url: str
    storage_options: dict = field(default_factory=dict)
    compression: str = "zstd"

    def _fs(self):
        import fsspec

        return fsspec.core.url_to_fs(self.url, **self.storage_options)

    def path(self, part: Partition) -> str:
        return posixpath.join(self._fs()[1], f"{part.name}.parquet")

    def done(self, part: Partition) -> bool:
        fs, _ = self._fs()
        return fs.exists(self.path(part))

    def known(self, articles: list[Article]) -> set[int]:
        return set()

    def write(self, part: Partition, pairs: list[tuple]) -> str:
        import pyarrow as pa
        import pyarrow.parquet as pq

        fs, root = self._fs()
        tmp = posixpath.join(root, "_tmp", f"{part.name}.{uuid.uuid4().hex}.parquet")
        fs.makedirs(posixpath.dirname(tmp), exist_ok=True)
        table = pa.Table.from_pylist([_row(r) for _, r in pairs], schema=_schema())
        with fs.open(tmp, "wb") as fh:
            pq.write_table(table, fh, compression=self.compression)
        final = self.path(part)
        fs.mv(tmp, final)
        return fs.unstrip_protocol(final)


def _schema():
    import pyarrow as pa

    s = pa.string()
    return pa.schema([("id", s), ("failed", pa.bool_()), ("title", s), ("url", s), ("source", s),
                      ("published", s), ("language", s), ("words", pa.int32()), ("error", s),
                      ("message", s), ("where", s), ("record", s)])


def _row(result: Analysis | Failure) -> dict:
    if isinstance(result, Failure):
        return {"id": result.id, "failed": True, "error": result.error, "message": result.message,
                "where": result.where}
    return {"id": result.id, "failed": False, "title": result.title, "url": result.url,
            "source": result.source, "published": result.published, "language": result.language,
            "words": words(result.text), "record": json.dumps(result.to_dict(), ensure_ascii=False)}


def read_records(url: str, storage_options: dict | None = None) -> Iterator[Analysis | Failure]:
    """Every record of a Parquet output folder, partition by partition (for loading a store later,
    or for notebooks: ``pandas.read_parquet(url)`` reads the same files)."""
    import fsspec
    import pyarrow.parquet as pq

    fs, root = fsspec.core.url_to_fs(url, **(storage_options or {}))
    for path in sorted(fs.glob(posixpath.join(root, "*.parquet"))):
        with fs.open(path, "rb") as fh:
            for row in pq.read_table(fh).to_pylist():
                if row["failed"]:
                    yield Failure(id=row["id"], error=row["error"], message=row["message"], where=row["where"])
                else:
                    yield Analysis.from_dict(json.loads(row["record"]))


@dataclass(frozen=True, slots=True)
class StoreOutput:
    """Records saved straight into a store (a SQLite path or a ``postgresql://`` URL).

    Concurrent workers may write to one PostgreSQL store: it keys documents by the hash of their
    text with ``ON CONFLICT``, so two workers never store the same document twice (the second
    becomes a sighting). SQLite allows one writer at a time: use it with a local cluster only."""
    db: str

    def _open(self):
        from ..store import Store

        return Store(self.db)

    def done(self, part: Partition) -> bool:
        return False  # resumed per document instead: see known()

    def known(self, articles: list[Article]) -> set[int]:
        """Indexes of the articles whose text is already stored (they are not analysed again)."""
        from ..store import text_hash

        hashes = [text_hash(a.text) for a in articles]
        with self._open() as st:
            stored = st.lookup(hashes)
        return {i for i, h in enumerate(hashes) if h in stored}

    def write(self, part: Partition, pairs: list[tuple]) -> str:
        from ..store import Sighting

        with self._open() as st:
            for item, result in pairs:
                if isinstance(result, Failure):
                    st.save_failure(result)
                    continue
                where = getattr(item, "where", None)
                st.save(result, Sighting(input_id=getattr(item, "id", None), source=result.source,
                                         url=result.url, where=where, published=result.published))
                if where:
                    st.clear_failure(where)
        return self.db


@dataclass(frozen=True, slots=True)
class Outputs:
    """A store and Parquet files at once. Stores are written first and the Parquet file last,
    so an existing Parquet file marks a partition whose records are in every output; documents
    are not skipped individually (the Parquet file must hold them all)."""
    items: tuple

    def done(self, part: Partition) -> bool:
        parquet = [o for o in self.items if isinstance(o, ParquetOutput)]
        return bool(parquet) and all(o.done(part) for o in parquet)

    def known(self, articles: list[Article]) -> set[int]:
        return set()

    def write(self, part: Partition, pairs: list[tuple]) -> str:
        return ", ".join(o.write(part, pairs) for o in self.items)


def combine(outputs: Iterable) -> ParquetOutput | StoreOutput | Outputs:
    """One output for a job; stores before Parquet (see ``Outputs``)."""
    items = tuple(sorted(outputs, key=lambda o: isinstance(o, ParquetOutput)))
    if not items:
        raise ValueError("a job needs at least one output: a Parquet folder (out=) or a store (db=)")
    return items[0] if len(items) == 1 else Outputs(items)
