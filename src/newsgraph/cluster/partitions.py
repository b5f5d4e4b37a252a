"""Partitioned input: find the files behind a path or URL, cut them into partitions, read one.

A ``Partition`` is a small, picklable description of a slice of input (a byte range of an
uncompressed JSONL file, one row group of a Parquet file, or a whole compressed/CSV file) that a
worker can open by itself through fsspec, so no document travels through the scheduler.

Byte-range splitting of line-delimited text follows the rule Hadoop's ``LineRecordReader`` and
``dask.bag.read_text(blocksize=...)`` use: a block owns every line that *starts* inside it, so
the line that straddles a boundary is read once, by the block where it begins. CSV is never
split by bytes (a quoted field may hold newlines) and compressed files cannot be, so each is one
partition; split such inputs into several files upstream.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import posixpath
import sys
from dataclasses import dataclass, field
from typing import Iterator

from ..errors import InputError, UnsupportedFormat
from ..ingest import Article, decode, row_to_article
from ..record import Failure

log = logging.getLogger(__name__)

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".parquet": "parquet",
           ".pq": "parquet"}
COMPRESSIONS = {".gz": "gzip", ".bz2": "bz2", ".xz": "xz", ".zst": "zstd"}
DEFAULT_BLOCKSIZE = 16 * 2**20  # ~3,000 news articles: minutes of work for one core


@dataclass(frozen=True, slots=True)
class Partition:
    """One slice of input. ``start``/``stop``: byte offsets (JSONL) or row-group indexes (Parquet);
    ``stop=None`` means to the end of the file. ``size``: bytes to read (stored, possibly
    compressed), an estimate of the work used to run the largest partitions first; not part of
    the partition's identity."""
    url: str
    format: str
    start: int = 0
    stop: int | None = None
    compression: str | None = None
    size: int = field(default=0, compare=False)

    @property
    def name(self) -> str:
        """A stable, file-name-safe name: the file's stem and a hash of the slice."""
        stem = posixpath.basename(self.url.rstrip("/")).split(".")[0] or "part"
        stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem)[:40]
        digest = hashlib.sha1(f"{self.url}|{self.format}|{self.start}|{self.stop}".encode()).hexdigest()[:10]
        return f"{stem}-{self.start}-{digest}"


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read rows: ``columns`` renames input columns to record fields (``{"ID": "id",
    "date": "published"}``); ``storage_options`` go to fsspec (credentials, endpoints)."""
    columns: dict = field(default_factory=dict)
    storage_options: dict = field(default_factory=dict)


def _kind(path: str) -> tuple[str | None, str | None]:
    """(format, compression) from the file name, or (None, None) for a file we do not read."""
    name = path.lower()
    compression = next((c for s, c in COMPRESSIONS.items() if name.endswith(s)), None)
    if compression:
        name = name[: name.rfind(".")]
    fmt = next((f for s, f in FORMATS.items() if name.endswith(s)), None)
    return fmt, compression


def _files(fs, path: str) -> list[str]:
    if any(c in path for c in "*?["):
        found = fs.glob(path)
    elif fs.isdir(path):
        found = fs.find(path)
    elif fs.exists(path):
        found = [path]
    else:
        raise InputError(f"{path} does not exist; pass a file, a folder, a glob or an fsspec URL "
                         "(s3://, gs://, ...) that the workers can read")
    return sorted(p for p in found if _kind(p)[0] and not posixpath.basename(p).startswith(("_", ".")))


def plan(inputs: str | list[str], blocksize: int = DEFAULT_BLOCKSIZE,
         storage_options: dict | None = None) -> list[Partition]:
    """The partitions of every JSONL/CSV/Parquet file (optionally compressed) under ``inputs``."""
    import fsspec

    parts: list[Partition] = []
    for path in [inputs] if isinstance(inputs, str) else list(inputs):
        fs, root = fsspec.core.url_to_fs(path, **(storage_options or {}))
        for file in _files(fs, root):
            url = fs.unstrip_protocol(file)
            parts.extend(_split(fs, file, url, blocksize))
    if not parts:
        raise InputError(f"no .jsonl, .csv or .parquet files (optionally .gz/.bz2/.xz/.zst) under {inputs}")
    log.info("planned %d partitions over %s", len(parts), inputs)
    return parts


def _split(fs, file: str, url: str, blocksize: int) -> list[Partition]:
    fmt, compression = _kind(file)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        with fs.open(file, "rb") as fh:
            meta = pq.ParquetFile(fh).metadata
        return ([Partition(url, fmt, g, g + 1, size=meta.row_group(g).total_byte_size)
                 for g in range(meta.num_row_groups)] or [Partition(url, fmt)])
    size = fs.size(file) or 0
    if fmt != "jsonl" or compression or size <= blocksize:
        return [Partition(url, fmt, compression=compression, size=size)]
    return [Partition(url, fmt, start, min(start + blocksize, size), size=min(start + blocksize, size) - start)
            for start in range(0, size, blocksize)]


def read(part: Partition, options: ReadOptions | None = None) -> Iterator[Article | Failure]:
    """The documents of one partition, in file order: an ``Article`` per good row, a ``Failure``
    (with file and line or byte offset) per row that is not valid JSON or has no text."""
    options = options or ReadOptions()
    rows = {"jsonl": _jsonl_rows, "csv": _csv_rows, "parquet": _parquet_rows}.get(part.format)
    if rows is None:
        raise UnsupportedFormat(f"partition format '{part.format}' of {part.url}")
    for where, row in rows(part, options.storage_options):
        if isinstance(row, Failure):
            yield row
            continue
        if options.columns:
            row = {options.columns.get(k, k): v for k, v in row.items()}
        try:
            yield row_to_article(row, where)
        except InputError as exc:
            ident = row.get("id") if isinstance(row, dict) else None
            yield Failure(id=str(ident or where), error=exc.code, message=str(exc), where=where)


def _open(part: Partition, storage_options: dict):
    import fsspec

    return fsspec.open(part.url, "rb", compression=part.compression, **storage_options)


def _jsonl_rows(part: Partition, storage_options: dict):
    with _open(part, storage_options) as fh:
        for where, line in _lines(fh, part):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield where, Failure(id=where, error="InputError", where=where,
                                     message=f"{where} is not valid JSON ({exc}); each line must be one object")
                continue
            yield where, row


def _lines(fh, part: Partition) -> Iterator[tuple[str, bytes]]:
    """Lines that start in [start, stop), each with 'url:line' (whole file) or 'url@byte'."""
    if part.stop is None:
        for n, line in enumerate(fh, 1):
            yield f"{part.url}:{n}", line
        return
    if part.start > 0:
        fh.seek(part.start - 1)
        fh.readline()  # the rest of a line that began in the previous block
    while (pos := fh.tell()) < part.stop:
        line = fh.readline()
        if not line:
            return
        yield f"{part.url}@{pos}", line


def _csv_rows(part: Partition, storage_options: dict):
    with _open(part, storage_options) as fh:
        text = decode(fh.read(), part.url)
    csv.field_size_limit(sys.maxsize)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for n, row in enumerate(reader, 2):
        yield f"{part.url}:{n}", row


def _parquet_rows(part: Partition, storage_options: dict):
    import pyarrow.parquet as pq

    with _open(part, storage_options) as fh:
        pf = pq.ParquetFile(fh)
        groups = range(part.start, part.stop) if part.stop is not None else range(pf.num_row_groups)
        for g in groups:
            for i, row in enumerate(pf.read_row_group(g).to_pylist()):
                yield f"{part.url}#rowgroup{g}:{i}", row
