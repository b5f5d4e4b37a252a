"""The PostgreSQL store passes the same behavioural tests as the SQLite store, plus its own:
concurrent writers without duplicates, full-text search on tsvector/GIN, and indexes. (The
cluster engine writing into PostgreSQL is tested in test_cluster.py, on its shared cluster.)

Needs a real server: set NEWSGRAPH_TEST_PG to a postgresql:// URL (``.ci/services.sh`` starts
one and exports it). Each test gets a fresh schema, dropped afterwards.
"""
from __future__ import annotations

import os
import threading
import uuid

import pytest

PG = os.environ.get("NEWSGRAPH_TEST_PG")
pytestmark = pytest.mark.skipif(not PG, reason="needs a PostgreSQL server: set NEWSGRAPH_TEST_PG=postgresql://... "
                                "(source .ci/services.sh starts one on 127.0.0.1 and exports it)")
psycopg = pytest.importorskip("psycopg", reason="needs psycopg 3 (pip install newsgraph[cluster])")

import test_store as shared  # noqa: E402  (tests/ is on sys.path: pytest's rootdir-relative import)

from newsgraph.record import Analysis  # noqa: E402
from newsgraph.store import Filters, Sighting, Store, text_hash  # noqa: E402
from newsgraph.store.postgres import PostgresStore, _sql, ts_query  # noqa: E402

CORPUS, make = shared.CORPUS, shared.make

# Every behavioural test of the SQLite store runs here again against PostgreSQL; the ones about
# SQLite itself (file dispatch, migrations in a file, EXPLAIN QUERY PLAN) have twins below.
SQLITE_ONLY = {"test_store_factory_dispatch", "test_migrations_recorded_once", "test_queries_use_indexes"}
for _name in dir(shared):
    if _name.startswith("test_") and _name not in SQLITE_ONLY:
        globals()[_name] = getattr(shared, _name)


def _drop(schema: str) -> None:
    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture()
def schema():
    name = f"t_{uuid.uuid4().hex[:12]}"
    yield name
    _drop(name)


@pytest.fixture()
def store(schema):
    s = PostgresStore(PG, schema=schema)
    for rec in CORPUS:
        s.save(rec)
    yield s
    s.close()


def test_postgres_url_opens_postgres_store(schema):
    s = Store(PG)
    assert isinstance(s, PostgresStore) and isinstance(s, Store)
    s.close()


def test_bad_url_says_what_to_check():
    from newsgraph.errors import StoreError

    with pytest.raises(StoreError, match="check the host, port") as err:
        PostgresStore("postgresql://nobody:secret@127.0.0.1:1/none", connect_timeout=2)
    assert "secret" not in str(err.value)


def test_migrations_recorded_once_pg(schema):
    with PostgresStore(PG, schema=schema) as s:
        first = s.migrations()
    with PostgresStore(PG, schema=schema) as s:
        again = s.migrations()
    assert [m["name"] for m in first] == ["0001_initial"] and again == first


@pytest.mark.parametrize("text, sql, params", [
    ("harbor", "(plainto_tsquery('simple', %s))", ["harbor"]),
    ('"take the harbor"', "(phraseto_tsquery('simple', %s))", ["take the harbor"]),
    ("harb*", "(to_tsquery('simple', %s || ':*'))", ["harb"]),
    ("harbor OR change", "(plainto_tsquery('simple', %s) || plainto_tsquery('simple', %s))", ["harbor", "change"]),
    ("ana kis", "(plainto_tsquery('simple', %s) && plainto_tsquery('simple', %s))", ["ana", "kis"]),
    ("OR", "", []),
])
def test_ts_query_from_user_syntax(text, sql, params):
    assert ts_query(text) == (sql, params)


def test_prefix_search(store):
    assert {d["id"] for d in store.search(Filters(q="harb*"))["items"]} == {"d1", "d2", "d3"}


def test_dialect_refuses_untranslated_sqlite_syntax():
    from newsgraph.errors import StoreError

    assert _sql("SELECT * FROM t WHERE 1 AND a = ? AND b LIKE '%x'") == \
        "SELECT * FROM t WHERE TRUE AND a = %s AND b LIKE '%%x'"
    with pytest.raises(StoreError, match="PostgreSQL twin"):
        _sql("SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?")


@pytest.mark.parametrize("sql, index", [
    ("SELECT id FROM documents d WHERE d.tsv @@ plainto_tsquery('simple', 'harbor')", "documents_tsv"),
    ("SELECT id FROM quotes q WHERE q.tsv @@ plainto_tsquery('simple', 'harbor')", "quotes_tsv"),
    ("SELECT * FROM quotes q WHERE q.speaker IN (1) ORDER BY q.day", "quotes_speaker_day"),
    ("SELECT * FROM doc_aliases WHERE lower(alias) = lower('NLF')", "doc_aliases_alias"),
    ("SELECT id FROM entities WHERE lower(name) LIKE lower('nor%')", "entities_name"),
    ("SELECT * FROM documents d WHERE d.source = 'x' AND d.day >= '2016'", "documents_source_day"),
])
def test_queries_use_indexes_pg(store, sql, index):
    with store.conn.transaction():
        store.conn.execute("SET LOCAL enable_seqscan = off")  # a 4-row table is cheaper to scan
        plan = " ".join(r["QUERY PLAN"] for r in store.conn.execute("EXPLAIN " + sql))
    assert index in plan, plan


def test_concurrent_writers_store_each_text_once(schema):
    """Four connections save overlapping batches at once: each text is one document, every
    extra copy a sighting, entity document counts exact (no lost updates, no deadlocks)."""
    texts = [f"Northern Front attacked the Port Authority at pier {i}. “We hold pier {i},” said Ana Kis."
             for i in range(12)]
    records = [make(f"c{i}", t, said=f"We hold pier {i}") for i, t in enumerate(texts)]
    PostgresStore(PG, schema=schema).close()  # migrate once, before the race
    errors = []

    def writer(k: int):
        try:
            with PostgresStore(PG, schema=schema) as s:
                order = records[k % 3:] + records[:k % 3]
                for rec in order:
                    s.save(rec, Sighting(source=f"worker-{k}"))
        except Exception as exc:  # collected and asserted below, in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    with PostgresStore(PG, schema=schema) as s:
        stats = s.stats()
        assert (stats["documents"], stats["sightings"], stats["quotes"]) == (12, 48, 12)
        assert s.entity("Ana Kis")["documents"] == 12 and s.entity("Northern Front")["documents"] == 12
        assert set(s.lookup([text_hash(t) for t in texts])) == {text_hash(t) for t in texts}


@pytest.mark.parametrize("path, must_contain", [
    ("/api/stats", '"documents":4'),
    ("/api/documents?q=harbor&source=Coast%20Radio", '"id":"d2"'),
    ("/api/documents/d1", "We will take the harbor"),
    ("/api/entities/Northern%20Front", '"alias":"NLF"'),
    ("/api/timeline?speaker=Ana%20Kis&about=harbor", "The harbor is ours"),
    ("/api/trends", '"series":{"ASSAULT":['),
    ("/api/network", '"count":2'),
    ("/api/export/quotes?format=jsonl", "Nothing will change"),
    ("/", "Title d4"),
    ("/articles/d2", "The harbor is ours"),
    ("/entities/Ana%20Kis", "We want talks about the harbor"),
    ("/timeline?speaker=Ana%20Kis&about=harbor", "The harbor is ours"),
])
def test_api_and_web_run_unchanged_on_postgres(store, path, must_contain):
    pytest.importorskip("httpx", reason="the API test client needs httpx")
    from fastapi.testclient import TestClient

    from newsgraph.api import create_app

    client = TestClient(create_app(store))
    resp = client.get(path)
    assert resp.status_code == 200, resp.text[:300]
    assert must_contain in resp.text.replace(": ", ":").replace(", ", ",")


@pytest.mark.parametrize("q, hits", [
    ("dawn", ["dawn"]), ("harb*", ["harbor"]), ('"take the harbor"', ["take the harbor"]),
    ("ana OR nothing", ["Ana"]),
])
def test_headline_marks_hits_in_a_window(q, hits):
    from newsgraph.store.postgres import headline
    from newsgraph.store.sqlite_read import _snippet

    text = CORPUS[0].text + " " + " ".join(f"filler{i}" for i in range(60))
    segments = _snippet(headline(text, q))
    assert [s["text"] for s in segments if s["hit"]] == hits
    assert len("".join(s["text"] for s in segments).split()) <= 17
