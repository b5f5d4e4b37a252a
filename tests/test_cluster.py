"""The Dask engine on a real LocalCluster (2 worker processes): partitioning, equivalence with
``analyze``, Parquet output, resume, retries, failed partitions, the bag and the Spark adapter.

Engine tests that are about scheduling (resume, retries) use a blank spaCy pipeline saved to a
temporary folder, so worker start-up stays in milliseconds; the equivalence test uses the real
model, since that is the claim: a record from the cluster equals the one from ``analyze``.
"""
from __future__ import annotations

import csv
import gzip
import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="needs dask[distributed] (pip install newsgraph[cluster])")
pa = pytest.importorskip("pyarrow", reason="needs pyarrow (pip install newsgraph[cluster])")
import pyarrow.parquet as pq  # noqa: E402

from newsgraph import cluster  # noqa: E402
from newsgraph.cluster import outputs as outputs_mod  # noqa: E402
from newsgraph.cluster.partitions import Partition, ReadOptions, plan, read  # noqa: E402
from newsgraph.cluster.spark import analyze_rows_fn  # noqa: E402
from newsgraph.pipeline import analyze  # noqa: E402
from newsgraph.record import Analysis, Failure, span_problems  # noqa: E402
from newsgraph.settings import Settings  # noqa: E402

SENTENCES = [
    "The harbour authority in Valdora said on Tuesday that the ferry strike had ended.",
    "Minister Elena Brask told reporters the new bridge would open in March.",
    "Fishermen from Port Quill protested outside the council building on Friday.",
    "The Northern Grain Cooperative agreed to sell wheat to the city of Ostrava.",
    "\"We will not raise the fares,\" said Tomas Velde, who runs the tram company.",
    "Police in Marren arrested two men after a fire at the customs warehouse.",
    "According to the weather office, the storm will reach the coast tonight.",
    "The mayor of Lindholm denied that the water supply had been contaminated.",
]


def doc(i: int) -> dict:
    """A small synthetic article; ids and texts are distinct per i."""
    a, b = SENTENCES[i % len(SENTENCES)], SENTENCES[(i * 3 + 1) % len(SENTENCES)]
    return {"ID": f"d{i:03d}", "date": f"2024-03-{i % 28 + 1:02d}", "source": "Valdora Times",
            "text": f"{a} {b} This is report number {i}."}


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


COLUMNS = {"ID": "id", "date": "published"}


@pytest.fixture(scope="module")
def blank_model(tmp_path_factory) -> str:
    """A blank English pipeline with a sentencizer, saved to disk: loads in milliseconds."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    path = tmp_path_factory.mktemp("blank_model") / "en_blank"
    nlp.to_disk(path)
    return str(path)


@pytest.fixture(scope="module")
def blank(blank_model) -> Settings:
    return Settings(model=blank_model, extractors=[])


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as lc:
        with Client(lc) as c:
            yield c


# -- partitions (no cluster) ------------------------------------------------------------------

@pytest.mark.parametrize("blocksize", [50, 137, 400, 10_000])
def test_byte_blocks_read_every_line_exactly_once(tmp_path, blocksize):
    rows = [doc(i) for i in range(13)]
    write_jsonl(tmp_path / "a.jsonl", rows)
    parts = plan(str(tmp_path), blocksize=blocksize)
    size = (tmp_path / "a.jsonl").stat().st_size
    assert len(parts) == -(-size // blocksize)
    got = [a.id for p in parts for a in read(p, ReadOptions(columns=COLUMNS))]
    assert got == [r["ID"] for r in rows]


def test_formats_compression_and_bad_rows(tmp_path):
    rows = [doc(i) for i in range(6)]
    with gzip.open(tmp_path / "b.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps(rows[0]) + "\n{not json\n" + json.dumps({"ID": "empty", "text": "  "}) + "\n")
    with open(tmp_path / "c.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["ID", "date", "source", "text"])
        w.writeheader()
        w.writerows(rows[1:3])
    table = pa.Table.from_pylist(rows[3:6])
    pq.write_table(table, tmp_path / "d.parquet", row_group_size=2)
    (tmp_path / "notes.txt").write_text("not an input")
    parts = plan(str(tmp_path), blocksize=10)
    assert [(Path(p.url).name, p.format, p.compression, p.start) for p in parts] == [
        ("b.jsonl.gz", "jsonl", "gzip", 0), ("c.csv", "csv", None, 0),
        ("d.parquet", "parquet", None, 0), ("d.parquet", "parquet", None, 1)]
    items = [x for p in parts for x in read(p, ReadOptions(columns=COLUMNS))]
    good = [x.id for x in items if not isinstance(x, Failure)]
    bad = [(x.error, x.where.rsplit("/", 1)[-1]) for x in items if isinstance(x, Failure)]
    assert good == ["d000", "d001", "d002", "d003", "d004", "d005"]
    assert bad == [("InputError", "b.jsonl.gz:2"), ("EmptyInput", "b.jsonl.gz:3")]
    assert items[0].published == "2024-03-01" and items[0].source == "Valdora Times"


def test_missing_input_says_how_to_fix(tmp_path):
    from newsgraph.errors import InputError

    with pytest.raises(InputError, match="does not exist"):
        plan(str(tmp_path / "nowhere"))
    with pytest.raises(InputError, match="no .jsonl, .csv or .parquet"):
        plan(str(tmp_path))


def test_partition_names_are_stable_and_distinct():
    a, b = Partition("file:///x/news 1.jsonl", "jsonl", 0, 10), Partition("file:///x/news 1.jsonl", "jsonl", 10, 20)
    assert a.name == Partition("file:///x/news 1.jsonl", "jsonl", 0, 10).name
    assert a.name != b.name and " " not in a.name and a.name.startswith("news_1-0-")


def test_largest_partitions_are_scheduled_first(tmp_path):
    from newsgraph.cluster.engine import _largest_first

    for name, n in [("a", 2), ("b", 9), ("c", 5), ("d", 9)]:
        (tmp_path / f"{name}.jsonl").write_text(
            "".join(json.dumps({"id": f"{name}{i}", "text": SENTENCES[i % 8]}) + "\n" for i in range(n)))
    parts = plan(str(tmp_path))
    assert [p.size for p in parts] == [(tmp_path / f"{x}.jsonl").stat().st_size for x in "abcd"]
    by_priority = [p.url.rsplit("/", 1)[1] for p, _ in sorted(_largest_first(parts), key=lambda x: -x[1])]
    sizes = {p.url.rsplit("/", 1)[1]: p.size for p in parts}
    assert [sizes[u] for u in by_priority] == sorted(sizes.values(), reverse=True)
    assert by_priority[-1] == "a.jsonl"
    # the size estimate is not part of a partition's identity (resume matches on url and slice)
    assert Partition(parts[0].url, "jsonl", size=1) == Partition(parts[0].url, "jsonl", size=2)


def test_engine_workers_run_without_malloc_trimming_and_stack_sampling():
    """The engine's own LocalCluster: both cost spaCy work measurable CPU (docs/cluster.md)."""
    import os

    import dask

    from newsgraph.cluster.engine import connect

    def probe():
        return os.environ.get("MALLOC_TRIM_THRESHOLD_"), dask.config.get("distributed.worker.profile.enabled")

    with connect(None, workers=1) as c:
        assert list(c.run(probe).values()) == [(None, False)]


# -- the engine on a real LocalCluster ----------------------------------------------------------

def test_cluster_records_equal_analyze(client, tmp_path, settings, nlp):
    """One partition, no warm-up: only one worker pays for loading the real model."""
    real = settings.merge(extractors=["entities"])
    rows = [doc(i) for i in range(4)]
    write_jsonl(tmp_path / "in" / "p1.jsonl", rows)
    report = cluster.run(str(tmp_path / "in"), out=str(tmp_path / "out"), settings=real, scheduler=client,
                         columns=COLUMNS, warm=False)
    assert (report.partitions, report.completed, report.analysed, report.failed) == (1, 1, 4, 0)
    assert report.workers == 2 and report.words == sum(len(r["text"].split()) for r in rows)
    got = {r.id: r for r in cluster.read_records(str(tmp_path / "out"))}
    assert sorted(got) == [r["ID"] for r in rows]
    for row in rows:
        local = analyze({**row, "id": row["ID"], "published": row["date"]}, real)
        assert got[row["ID"]].to_dict() == local.to_dict()
        assert not span_problems(got[row["ID"]])
    assert any(e.type in ("PERSON", "GPE", "ORG") for r in got.values() for e in r.entities)


def test_parquet_columns_and_failures(client, tmp_path, blank):
    write_jsonl(tmp_path / "in.jsonl", [doc(0), {"ID": "bad", "text": ""}, doc(1)])
    report = cluster.run(str(tmp_path / "in.jsonl"), out=str(tmp_path / "out"), settings=blank,
                         scheduler=client, columns=COLUMNS, warm=False)
    assert (report.documents, report.analysed, report.failed) == (3, 2, 1)
    files = list((tmp_path / "out").glob("*.parquet"))
    assert len(files) == 1 and not list((tmp_path / "out" / "_tmp").glob("*"))
    table = pq.read_table(files[0]).to_pylist()
    assert [(r["id"], r["failed"], r["error"]) for r in table] == [
        ("d000", False, None), ("bad", True, "EmptyInput"), ("d001", False, None)]
    assert Analysis.from_dict(json.loads(table[0]["record"])).text == doc(0)["text"]
    assert table[0]["words"] == len(doc(0)["text"].split())


def test_resume_skips_done_partitions_and_redoes_missing_ones(client, tmp_path, blank):
    for k in range(3):
        write_jsonl(tmp_path / "in" / f"p{k}.jsonl", [doc(k * 5 + i) for i in range(5)])
    args = dict(out=str(tmp_path / "out"), settings=blank, scheduler=client, columns=COLUMNS, warm=False)
    first = cluster.run(str(tmp_path / "in"), **args)
    assert (first.completed, first.resumed, first.analysed) == (3, 0, 15)
    again = cluster.run(str(tmp_path / "in"), **args)
    assert (again.completed, again.resumed, again.analysed) == (0, 3, 0)
    victim = sorted((tmp_path / "out").glob("*.parquet"))[1]
    victim.unlink()
    third = cluster.run(str(tmp_path / "in"), **args)
    assert (third.completed, third.resumed, third.analysed) == (1, 2, 5)
    assert victim.exists() and len(list(cluster.read_records(str(tmp_path / "out")))) == 15


def test_a_broken_partition_is_reported_and_the_rest_finish(client, tmp_path, blank):
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "good.jsonl", [doc(1), doc(2)])
    (tmp_path / "in" / "broken.jsonl.gz").write_bytes(b"this is not gzip data")
    args = dict(out=str(tmp_path / "out"), settings=blank, scheduler=client, columns=COLUMNS, warm=False,
                retries=1)
    report = cluster.run(str(tmp_path / "in"), **args)
    assert report.completed == 1 and report.analysed == 2
    assert len(report.failed_partitions) == 1 and report.failed_partitions[0][0].startswith("broken-")
    assert "gzip" in report.failed_partitions[0][1].lower() or "BadGzipFile" in report.failed_partitions[0][1]
    with gzip.open(tmp_path / "in" / "broken.jsonl.gz", "wt") as fh:  # the user repairs the file
        fh.write(json.dumps(doc(3)) + "\n")
    fixed = cluster.run(str(tmp_path / "in"), **args)
    assert (fixed.completed, fixed.resumed, fixed.analysed, fixed.failed_partitions) == (1, 1, 1, [])


class FlakyOutput(outputs_mod.ParquetOutput):
    """Fails the first write of each partition (a lost connection to the object store, say)."""

    def write(self, part, pairs):
        marker = Path(self.url).parent / f"attempted-{part.name}"
        if not marker.exists():
            marker.write_text("1")
            raise ConnectionError("simulated: storage went away")
        return outputs_mod.ParquetOutput.write(self, part, pairs)


def test_failed_partitions_are_retried(client, tmp_path, blank):
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import tests/
    write_jsonl(tmp_path / "in.jsonl", [doc(4), doc(5)])
    parts = plan(str(tmp_path / "in.jsonl"))
    flaky = FlakyOutput(str(tmp_path / "out"))
    future = client.submit(cluster.analyze_partition, parts[0], blank, flaky, ReadOptions(columns=COLUMNS),
                           retries=2, pure=False)
    report = future.result(timeout=60)
    assert report.analysed == 2 and (tmp_path / f"attempted-{parts[0].name}").exists()
    assert flaky.done(parts[0])


def test_records_bag_keeps_input_order(client, tmp_path, blank):
    write_jsonl(tmp_path / "a.jsonl", [doc(i) for i in range(4)])
    write_jsonl(tmp_path / "b.jsonl", [doc(i) for i in range(4, 7)] + [{"ID": "x", "text": " "}])
    bag = cluster.records_bag(str(tmp_path), settings=blank, columns=COLUMNS)
    assert bag.npartitions == 2
    out = bag.compute(scheduler=client.get)
    assert [r["id"] for r in out] == [f"d{i:03d}" for i in range(7)] + ["x"]
    assert out[-1]["failed"] is True and out[0]["published"] == "2024-03-01"


def test_spark_partition_function_on_plain_rows(blank):
    class Row(dict):  # what pyspark hands mapPartitions: objects with asDict()
        def asDict(self):
            return dict(self)

    fn = analyze_rows_fn(blank, columns=COLUMNS)
    out = list(fn(iter([Row(doc(0)), Row({"ID": "e", "text": ""}), Row(doc(1))])))
    assert [(r["id"], bool(r.get("failed"))) for r in out] == [("d000", False), ("e", True), ("d001", False)]
    assert out[0]["text"] == doc(0)["text"] and out[1]["error"] == "EmptyInput"


def test_cluster_ingest_into_postgres(client, tmp_path, blank):
    """Workers write straight into PostgreSQL: texts repeated across partitions become one
    document with several sightings, and a second run analyses nothing again."""
    import os
    import uuid

    pg = os.environ.get("NEWSGRAPH_TEST_PG")
    if not pg:
        pytest.skip("needs a PostgreSQL server: set NEWSGRAPH_TEST_PG (source .ci/services.sh)")
    psycopg = pytest.importorskip("psycopg", reason="needs psycopg 3 (pip install newsgraph[cluster])")
    from newsgraph.store import Filters
    from newsgraph.store.postgres import PostgresStore

    schema = f"t_{uuid.uuid4().hex[:12]}"
    url = f"{pg}{'&' if '?' in pg else '?'}options=-csearch_path%3D{schema}"
    texts = [f"{SENTENCES[i]} Report {i}." for i in range(5)]
    for k in range(2):  # both files hold the same five texts: ten inputs, five documents
        write_jsonl(tmp_path / "in" / f"f{k}.jsonl", [{"id": f"p{k}{i}", "text": t} for i, t in enumerate(texts)])
    PostgresStore(pg, schema=schema).close()
    try:
        first = cluster.ingest(str(tmp_path / "in"), db=url, settings=blank, scheduler=client, warm=False)
        assert (first.completed, first.analysed, first.failed_partitions) == (2, 10, [])
        with PostgresStore(pg, schema=schema) as s:
            assert (s.stats()["documents"], s.stats()["sightings"]) == (5, 10)
            hit = s.search(Filters(q="ferry strike"))["items"]
            assert [h["title"] for h in hit] == [None] and s.get(hit[0]["id"]).text == texts[0]
        again = cluster.ingest(str(tmp_path / "in"), db=url, settings=blank, scheduler=client, warm=False)
        assert (again.analysed, again.skipped) == (0, 10)
    finally:
        with psycopg.connect(pg, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def test_cli_flags_ingest_into_sqlite(client, tmp_path, blank):
    """The flags the corpus CLI adds with ``add_engine_arguments``, run against the test cluster;
    two worker processes write into one SQLite file (it serialises them)."""
    import argparse

    from newsgraph.cluster.cli import add_engine_arguments, ingest_from_args
    from newsgraph.store import Filters, Store

    for k in range(2):
        write_jsonl(tmp_path / "in" / f"f{k}.jsonl", [doc(k * 3 + i) for i in range(3)])
    parser = argparse.ArgumentParser()
    parser.add_argument("targets", nargs="*")
    add_engine_arguments(parser)
    args = parser.parse_args([str(tmp_path / "in"), "--engine", "dask", "--scheduler", client.scheduler.address,
                              "--column", "ID=id", "--column", "date=published", "--out", str(tmp_path / "pq")])
    db = str(tmp_path / "corpus.db")
    report = ingest_from_args(args, blank.merge(db=db), progress=False)
    assert (report.completed, report.analysed, report.failed_partitions) == (2, 6, [])
    with Store(db) as st:
        assert st.stats()["documents"] == 6
        assert {d["id"] for d in st.search(Filters(since="2024-03-04", until="2024-03-05"))["items"]} == {"d003", "d004"}
    assert len(list(cluster.read_records(str(tmp_path / "pq")))) == 6


def test_store_and_parquet_resume_together(tmp_path):
    """With both outputs, the Parquet file is written last and marks the partition done."""
    from newsgraph.cluster.outputs import Outputs, ParquetOutput, StoreOutput, combine

    out = combine([ParquetOutput(str(tmp_path / "pq")), StoreOutput(str(tmp_path / "x.db"))])
    assert isinstance(out, Outputs) and [type(o).__name__ for o in out.items] == ["StoreOutput", "ParquetOutput"]
    part = Partition("file:///in/a.jsonl", "jsonl")
    assert not out.done(part)
    (tmp_path / "pq").mkdir()
    (tmp_path / "pq" / f"{part.name}.parquet").write_bytes(b"")
    assert out.done(part) and out.known([]) == set()
