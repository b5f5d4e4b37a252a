"""The server store: PostgreSQL through psycopg 3, behind the same ``Store`` interface as SQLite.

Chosen by a ``postgresql://`` URL (``Store("postgresql://user:pw@host/db")``). What differs
from the embedded store, and why:

* **Many writers.** Cluster workers ingest concurrently. A document is inserted with
  ``ON CONFLICT DO NOTHING`` on its unique text hash, so when two workers race on the same
  text one inserts it and the other records a sighting — never two documents. Corpus entities
  are upserted in a fixed (key) order so concurrent transactions cannot deadlock on them; a
  transaction that still loses a deadlock or serialisation race is retried.
* **Full text.** Stored ``tsvector`` columns (documents: title weighted A, text B; quotes)
  with GIN indexes; queries are built from the same user syntax as the SQLite store (words
  ANDed, ``"phrases"``, ``prefix*``, ``OR``). The ``simple`` configuration (lower-casing, no
  stemming, no stop words) is used so that both backends find the same documents.
* **Reads.** The queries are those of ``sqlite_read.SQLiteReads`` (one definition of what each
  page shows), run through a small dialect translation; full-text methods are PostgreSQL's own.
  The translation refuses SQLite-only syntax it does not know, so a new query that needs a
  PostgreSQL twin fails loudly in the tests instead of silently.
"""
from __future__ import annotations

import json
import logging
import re
import threading
import time
from contextlib import contextmanager
from typing import Iterable, Iterator

from ..corpus import near_dup
from ..errors import StoreError
from ..record import Analysis, Failure
from .base import Filters, Page, Saved, Sighting, Store, alias_forms, day_of, month_of, text_hash
from .sqlite import _event_row, _extractors_json, _quote_row
from .sqlite_read import DOC_COLS, SQLiteReads, _TOKEN, _page, _snippet

log = logging.getLogger(__name__)

TS_CONFIG = "simple"
TSV_LIMIT = 500_000  # characters indexed per document: a tsvector must stay under 1 MB
SNIPPET_SCAN = 100_000  # characters searched for the snippet's first hit

INITIAL = f"""
CREATE TABLE documents (
  id BIGSERIAL PRIMARY KEY,
  doc_id TEXT NOT NULL UNIQUE,
  text_hash TEXT NOT NULL UNIQUE,
  title TEXT, url TEXT, source TEXT, published TEXT, day TEXT, month TEXT,
  language TEXT, text TEXT NOT NULL,
  record TEXT NOT NULL,
  extractors TEXT NOT NULL,
  story BIGINT,
  ingested_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS+00:00'),
  tsv TSVECTOR GENERATED ALWAYS AS (
    setweight(to_tsvector('{TS_CONFIG}', coalesce(title, '')), 'A') ||
    setweight(to_tsvector('{TS_CONFIG}', left(text, {TSV_LIMIT})), 'B')) STORED
);
CREATE INDEX documents_tsv ON documents USING GIN (tsv);
CREATE INDEX documents_day ON documents(day, id);
CREATE INDEX documents_source_day ON documents(source, day);
CREATE INDEX documents_story ON documents(story);
CREATE INDEX documents_extractors ON documents(extractors);

CREATE TABLE sightings (
  id BIGSERIAL PRIMARY KEY,
  document BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  input_id TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '', url TEXT NOT NULL DEFAULT '',
  where_ TEXT NOT NULL DEFAULT '', published TEXT, seen_at TEXT NOT NULL,
  UNIQUE (document, input_id, source, url, where_)
);

CREATE TABLE entities (
  id BIGSERIAL PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL, type TEXT NOT NULL,
  doc_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX entities_name ON entities(lower(name) text_pattern_ops, doc_count);
CREATE INDEX entities_type_count ON entities(type, doc_count);
CREATE INDEX entities_count ON entities(doc_count);

CREATE TABLE doc_entities (
  document BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  local_id TEXT NOT NULL, entity BIGINT NOT NULL REFERENCES entities(id),
  mentions INTEGER NOT NULL, description TEXT, code TEXT,
  PRIMARY KEY (document, local_id)
);
CREATE INDEX doc_entities_entity ON doc_entities(entity, document);

CREATE TABLE doc_aliases (
  entity BIGINT NOT NULL, alias TEXT NOT NULL, document BIGINT NOT NULL,
  PRIMARY KEY (entity, alias, document)
);
CREATE INDEX doc_aliases_alias ON doc_aliases(lower(alias), entity);
CREATE INDEX doc_aliases_document ON doc_aliases(document);

CREATE TABLE quotes (
  id BIGSERIAL PRIMARY KEY,
  document BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  local_id TEXT, type TEXT, speaker BIGINT, speaker_local TEXT, speaker_name TEXT,
  start INTEGER NOT NULL, "end" INTEGER NOT NULL, cue_start INTEGER, cue_end INTEGER,
  speaker_start INTEGER, speaker_end INTEGER, sent_start INTEGER, sent_end INTEGER,
  text TEXT NOT NULL, day TEXT, month TEXT, score DOUBLE PRECISION,
  tsv TSVECTOR GENERATED ALWAYS AS (to_tsvector('{TS_CONFIG}', left(text, {TSV_LIMIT}))) STORED
);
CREATE INDEX quotes_tsv ON quotes USING GIN (tsv);
CREATE INDEX quotes_speaker_day ON quotes(speaker, day, id);
CREATE INDEX quotes_document ON quotes(document);

CREATE TABLE events (
  id BIGSERIAL PRIMARY KEY,
  document BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  local_id TEXT, type TEXT NOT NULL, mode TEXT,
  source BIGINT, target BIGINT, source_local TEXT, target_local TEXT,
  trigger_start INTEGER NOT NULL, trigger_end INTEGER NOT NULL,
  sent_start INTEGER NOT NULL, sent_end INTEGER NOT NULL,
  date TEXT, day TEXT, month TEXT, location TEXT, country TEXT, lat DOUBLE PRECISION, lon DOUBLE PRECISION,
  killed INTEGER, wounded INTEGER, cameo TEXT, negated INTEGER NOT NULL, hypothetical INTEGER NOT NULL,
  factual INTEGER NOT NULL,
  score DOUBLE PRECISION, story BIGINT, extra TEXT
);
CREATE INDEX events_type_month ON events(type, month, factual, story);
CREATE INDEX events_month_type ON events(month, type, factual, story);
CREATE INDEX events_source ON events(source, target, factual, type, month);
CREATE INDEX events_target ON events(target, month);
CREATE INDEX events_document ON events(document);

CREATE TABLE techniques (
  id BIGSERIAL PRIMARY KEY,
  document BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  technique TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, score DOUBLE PRECISION,
  speaker BIGINT, speaker_local TEXT, day TEXT, month TEXT
);
CREATE INDEX techniques_technique ON techniques(technique, document);
CREATE INDEX techniques_speaker ON techniques(speaker, month);
CREATE INDEX techniques_document ON techniques(document, start);

CREATE TABLE failures (
  id BIGSERIAL PRIMARY KEY,
  where_ TEXT NOT NULL UNIQUE, input_id TEXT, error TEXT NOT NULL, message TEXT NOT NULL,
  at TEXT NOT NULL
);

CREATE TABLE doc_minhash (
  document BIGINT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  signature BYTEA NOT NULL
);
CREATE TABLE doc_bands (
  band INTEGER NOT NULL, hash BIGINT NOT NULL, document BIGINT NOT NULL,
  PRIMARY KEY (band, hash, document)
);
CREATE INDEX doc_bands_document ON doc_bands(document);
"""

MIGRATIONS: list[tuple[str, str]] = [
    ("0001_initial", INITIAL),
]

# SQLite spellings in the shared queries -> PostgreSQL. Anything SQLite-only that is not listed
# here makes _sql() raise, so a new query cannot silently misbehave on PostgreSQL.
_DIALECT = [
    (re.compile(r"\bname = \? COLLATE NOCASE"), "lower(name) = lower(?)"),
    (re.compile(r"\balias = \? COLLATE NOCASE"), "lower(alias) = lower(?)"),
    (re.compile(r"\bname LIKE \? ESCAPE"), "lower(name) LIKE lower(?) ESCAPE"),
    (re.compile(r"group_concat\(DISTINCT ([\w.]+)\)"), r"string_agg(DISTINCT \1, ',')"),
    (re.compile(r"\bWHERE 1(?=\s|$)"), "WHERE TRUE"),
    # PostgreSQL allows an output alias alone in ORDER BY, not inside an expression
    (re.compile(r"ORDER BY first_seen IS NULL, first_seen"), "ORDER BY min(d.day) IS NULL, min(d.day)"),
]
_SQLITE_ONLY = re.compile(r"COLLATE NOCASE|\bMATCH\b|_fts\b|group_concat|\bINSERT OR\b|\bsnippet\(")


def _sql(sql: str) -> str:
    """A shared (SQLite-dialect) query in PostgreSQL's dialect, placeholders ``?`` -> ``%s``."""
    for pattern, repl in _DIALECT:
        sql = pattern.sub(repl, sql)
    bad = _SQLITE_ONLY.search(sql)
    if bad:
        raise StoreError(f"the PostgreSQL store has no translation for '{bad.group(0)}' in a query; "
                         "add a PostgreSQL twin of that query to store/postgres.py")
    return sql.replace("%", "%%").replace("?", "%s")


def ts_query(text: str) -> tuple[str, list]:
    """User words to a tsquery expression and its parameters, with the SQLite store's syntax:
    words ANDed, "quoted phrases", prefix*, an upper-case OR between terms."""
    parts: list[str] = []
    params: list = []
    for tok in _TOKEN.findall(text or ""):
        if tok == "OR":
            if parts and parts[-1] not in ("||", "&&"):
                parts.append("||")
            continue
        if parts and parts[-1] not in ("||", "&&"):
            parts.append("&&")
        if tok.startswith('"'):
            parts.append(f"phraseto_tsquery('{TS_CONFIG}', %s)")
            params.append(tok.strip('"'))
        elif tok.endswith("*"):
            parts.append(f"to_tsquery('{TS_CONFIG}', %s || ':*')")
            params.append(tok[:-1])
        else:
            parts.append(f"plainto_tsquery('{TS_CONFIG}', %s)")
            params.append(tok)
    while parts and parts[-1] in ("||", "&&"):
        parts.pop()
    return ("(" + " ".join(parts) + ")" if parts else ""), params


class PostgresStore(SQLiteReads, Store):
    """``PostgresStore("postgresql://user:password@host:5432/db")``: connects, migrates as needed.

    ``schema=`` puts the tables in another schema (created if missing): one database can hold
    several corpora, and the tests use a fresh schema each."""

    QUERY_TABLES = False  # no summary tables here: timelines and trends group the rows themselves

    def __init__(self, target: str, schema: str | None = None, connect_timeout: int = 10):
        try:
            import psycopg
            from psycopg.rows import dict_row
        except ImportError as exc:
            raise StoreError("the PostgreSQL store needs psycopg 3; install newsgraph[cluster] "
                             "(pip install 'psycopg[binary]')") from exc
        self.url = target.replace("postgresql+psycopg://", "postgresql://", 1)
        self.schema = schema
        try:
            self.conn = psycopg.connect(self.url, autocommit=True, row_factory=dict_row,
                                        connect_timeout=connect_timeout)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL at {_redact(self.url)} ({exc}); check the "
                             "host, port, user, password and database in the URL") from None
        self.lock = threading.RLock()
        if schema:
            if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", schema):
                raise StoreError(f"schema name '{schema}' must be lower-case letters, digits and _")
            self.conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            self.conn.execute(f"SET search_path TO {schema}")
        self._migrate()

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    @contextmanager
    def _tx(self):
        import psycopg

        with self.lock:
            try:
                with self.conn.transaction():
                    yield self.conn
            except psycopg.OperationalError as exc:
                raise StoreError(f"PostgreSQL refused the write ({exc}); check that the server is up "
                                 "and the user may write to the database") from None

    def _migrate(self) -> None:
        with self._tx() as c:
            c.execute("SELECT pg_advisory_xact_lock(hashtext('newsgraph-migrations'))")
            c.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, "
                      "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
            done = {r["name"] for r in c.execute("SELECT name FROM migrations")}
            for name, sql in MIGRATIONS:
                if name not in done:
                    log.info("applying migration %s to %s", name, _redact(self.url))
                    c.execute(sql)
                    c.execute("INSERT INTO migrations(name) VALUES (%s)", (name,))

    def migrations(self) -> list[dict]:
        rows = self._rows("SELECT name, applied_at FROM migrations ORDER BY name")
        return [{"name": r["name"], "applied_at": r["applied_at"].isoformat(timespec="seconds")} for r in rows]

    # -- writing ---------------------------------------------------------------------------
    def save(self, record: Analysis, sighting: Sighting | None = None, replace: bool = False) -> Saved:
        sighting = sighting or Sighting(input_id=record.id, source=record.source, url=record.url,
                                        published=record.published)
        return self._retrying(lambda: self._save(record, sighting, replace))

    def _retrying(self, fn, attempts: int = 5):
        """Run a write transaction again when PostgreSQL chose it as a deadlock/serialisation victim."""
        import psycopg

        for attempt in range(attempts):
            try:
                return fn()
            except (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure) as exc:
                if attempt == attempts - 1:
                    raise StoreError(f"a concurrent write kept conflicting ({exc}); retry the ingest") from None
                time.sleep(0.05 * (attempt + 1))

    def _save(self, record: Analysis, sighting: Sighting, replace: bool) -> Saved:
        h = text_hash(record.text)
        with self._tx() as c:
            if sighting.where:
                c.execute("DELETE FROM failures WHERE where_ = %s", (sighting.where,))
            doc = self._insert_document(c, record, h)
            if doc is None:  # stored already, maybe by another worker a moment ago
                row = c.execute("SELECT id, doc_id, story FROM documents WHERE text_hash = %s", (h,)).fetchone()
                self._sighting(c, row["id"], sighting)
                if replace:
                    self._replace(c, row["id"], record)
                return Saved(row["doc_id"], False, self._doc_id_of(c, row["story"]))
            self._sighting(c, doc, sighting)
            self._insert_analysis(c, doc, record)
            story = self._assign_story(c, doc, record.text)
            doc_id = c.execute("SELECT doc_id FROM documents WHERE id = %s", (doc,)).fetchone()["doc_id"]
            return Saved(doc_id, True, self._doc_id_of(c, story))

    def _insert_document(self, c, record: Analysis, h: str) -> int | None:
        """Insert the document; None when its text is stored. A record id taken by another text
        gets ``-`` and 8 hex digits of the hash, as in the SQLite store."""
        body = record.to_dict()
        body.pop("text")
        for doc_id in (record.id or h[:16], f"{record.id or h[:16]}-{h[:8]}"):
            body["id"] = doc_id
            row = c.execute(
                """INSERT INTO documents(doc_id, text_hash, title, url, source, published, day, month,
                   language, text, record, extractors) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)
                   ON CONFLICT DO NOTHING RETURNING id""",
                (doc_id, h, record.title, record.url, record.source, record.published,
                 day_of(record.published), month_of(record.published), record.language, record.text,
                 json.dumps(body, ensure_ascii=False), _extractors_json(record.extractors))).fetchone()
            if row is not None:
                return row["id"]
            if c.execute("SELECT 1 FROM documents WHERE text_hash = %s", (h,)).fetchone():
                return None
        raise StoreError(f"document ids {record.id!r} and its hashed variant are both taken by other "
                         "texts; give the input a unique id")

    def add_sighting(self, hash_: str, sighting: Sighting) -> bool:
        with self._tx() as c:
            row = c.execute("SELECT id FROM documents WHERE text_hash = %s", (hash_,)).fetchone()
            if row is None:
                raise StoreError(f"no stored document has the text hash {hash_}; save the record first")
            return self._sighting(c, row["id"], sighting)

    def lookup(self, hashes: Iterable[str]) -> dict[str, dict]:
        rows = self._rows("SELECT text_hash, doc_id, extractors FROM documents WHERE text_hash = ANY(?)",
                          (list(hashes),))
        return {r["text_hash"]: {"id": r["doc_id"], "extractors": json.loads(r["extractors"])} for r in rows}

    def save_failure(self, failure: Failure) -> None:
        with self._tx() as c:
            c.execute("""INSERT INTO failures(where_, input_id, error, message, at) VALUES (%s,%s,%s,%s,%s)
                         ON CONFLICT (where_) DO UPDATE SET input_id = excluded.input_id,
                         error = excluded.error, message = excluded.message, at = excluded.at""",
                      (failure.where or failure.id, failure.id, failure.error, failure.message, _now()))

    def clear_failure(self, where: str) -> None:
        with self._tx() as c:
            c.execute("DELETE FROM failures WHERE where_ = %s", (where,))

    def stale(self, extractors: dict[str, str]) -> Iterator[str]:
        rows = self._rows("SELECT doc_id FROM documents WHERE extractors != ? ORDER BY id",
                          (_extractors_json(extractors),))
        yield from (r["doc_id"] for r in rows)

    # -- helpers of save -------------------------------------------------------------------
    def _doc_id_of(self, c, internal: int | None) -> str | None:
        if internal is None:
            return None
        row = c.execute("SELECT doc_id FROM documents WHERE id = %s", (internal,)).fetchone()
        return row["doc_id"] if row else None

    def _sighting(self, c, doc: int, s: Sighting) -> bool:
        cur = c.execute(
            """INSERT INTO sightings(document, input_id, source, url, where_, published, seen_at)
               VALUES (%s,%s,%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING""",
            (doc, s.input_id or "", s.source or "", s.url or "", s.where or "", s.published, _now()))
        return cur.rowcount > 0

    def _replace(self, c, doc: int, record: Analysis) -> None:
        c.execute("""UPDATE entities SET doc_count = doc_count - 1 WHERE id IN
                     (SELECT DISTINCT entity FROM doc_entities WHERE document = %s)""", (doc,))
        for table in ("doc_entities", "doc_aliases", "quotes", "events", "techniques"):
            c.execute(f"DELETE FROM {table} WHERE document = %s", (doc,))
        row = c.execute("SELECT doc_id FROM documents WHERE id = %s", (doc,)).fetchone()
        body = record.to_dict()
        body.pop("text")
        body["id"] = row["doc_id"]
        c.execute("UPDATE documents SET record = %s, extractors = %s, title = %s WHERE id = %s",
                  (json.dumps(body, ensure_ascii=False), _extractors_json(record.extractors), record.title, doc))
        self._insert_analysis(c, doc, record)

    def _insert_analysis(self, c, doc: int, record: Analysis) -> None:
        day, month = day_of(record.published), month_of(record.published)
        story = c.execute("SELECT story FROM documents WHERE id = %s", (doc,)).fetchone()["story"]
        links = self._insert_entities(c, doc, record)
        cur = c.cursor()
        cur.executemany(
            """INSERT INTO quotes(document, local_id, type, speaker, speaker_local, speaker_name, start,
               "end", cue_start, cue_end, speaker_start, speaker_end, sent_start, sent_end, text, day,
               month, score) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)""",
            [_quote_row(doc, record, q, links, day, month) for q in record.quotes])
        cur.executemany(
            """INSERT INTO events(document, local_id, type, mode, source, target, source_local,
               target_local, trigger_start, trigger_end, sent_start, sent_end, date, day, month,
               location, country, lat, lon, killed, wounded, cameo, negated, hypothetical, factual,
               score, story, extra) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,
               %s,%s,%s,%s,%s,%s,%s,%s,%s,%s)""",
            [_event_row(doc, ev, links, day, story) for ev in record.events])
        cur.executemany(
            """INSERT INTO techniques(document, technique, start, "end", score, speaker, speaker_local,
               day, month) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)""",
            [(doc, t.technique, t.span[0], t.span[1], t.score, links.get(t.speaker), t.speaker, day, month)
             for t in record.techniques])

    def _insert_entities(self, c, doc: int, record: Analysis) -> dict[str, int]:
        """Corpus entities by canonical name + type, upserted in key order (so concurrent
        transactions lock entity rows in the same order and cannot deadlock on them)."""
        keyed = {e.id: (f"{' '.join(e.name.split()).casefold()}|{e.type}", " ".join(e.name.split()), e.type)
                 for e in record.entities}
        ids: dict[str, int] = {}
        for key, name, type_ in sorted(set(keyed.values())):
            ids[key] = c.execute("""INSERT INTO entities(key, name, type, doc_count) VALUES (%s,%s,%s,1)
                                    ON CONFLICT (key) DO UPDATE SET doc_count = entities.doc_count + 1
                                    RETURNING id""", (key, name, type_)).fetchone()["id"]
        links = {local: ids[k[0]] for local, k in keyed.items()}
        cur = c.cursor()
        cur.executemany("""INSERT INTO doc_entities(document, local_id, entity, mentions, description, code)
                           VALUES (%s,%s,%s,%s,%s,%s)""",
                        [(doc, e.id, links[e.id], len(e.mentions), e.description, e.code) for e in record.entities])
        cur.executemany("INSERT INTO doc_aliases(entity, alias, document) VALUES (%s,%s,%s) ON CONFLICT DO NOTHING",
                        [(links[e.id], a, doc) for e in record.entities for a in sorted(alias_forms(record, e))])
        return links

    def _assign_story(self, c, doc: int, text: str) -> int:
        """Join the story of the most similar stored near-duplicate, or start a new one (as the
        SQLite store does; two copies committed at the same instant may start two stories)."""
        sig = near_dup.signature(text)
        bands = near_dup.bands(sig)
        candidates = c.execute(
            """SELECT m.document, m.signature, d.story FROM doc_minhash m JOIN documents d ON d.id = m.document
               WHERE m.document IN (SELECT document FROM doc_bands b
                                    JOIN unnest(%s::int[], %s::bigint[]) AS q(band, hash)
                                    ON b.band = q.band AND b.hash = q.hash)""",
            ([b for b, _ in bands], [hv for _, hv in bands])).fetchall()
        best, story = near_dup.THRESHOLD, doc
        for cand in candidates:
            sim = near_dup.similarity(sig, near_dup.from_blob(bytes(cand["signature"])))
            if sim >= best:
                best, story = sim, cand["story"] or cand["document"]
        c.execute("INSERT INTO doc_minhash(document, signature) VALUES (%s, %s)", (doc, near_dup.to_blob(sig)))
        c.cursor().executemany("INSERT INTO doc_bands(band, hash, document) VALUES (%s,%s,%s) ON CONFLICT DO NOTHING",
                               [(b, hv, doc) for b, hv in bands])
        c.execute("UPDATE documents SET story = %s WHERE id = %s", (story, doc))
        c.execute("UPDATE events SET story = %s WHERE document = %s", (story, doc))
        return story

    # -- reading: the shared queries, translated; full text in PostgreSQL's own terms ------------
    def _rows(self, sql: str, params=()) -> list[dict]:
        import psycopg

        with self.lock:
            try:
                return list(self.conn.execute(_sql(sql), list(params)).fetchall())
            except psycopg.errors.DataError as exc:
                raise StoreError(f"the query failed ({exc}); check the search words and filters") from None

    def _pg_rows(self, sql: str, params=()) -> list[dict]:
        """A query already written for PostgreSQL (``%s`` placeholders)."""
        with self.lock:
            return list(self.conn.execute(sql, list(params)).fetchall())

    def search(self, f: Filters) -> Page:
        query, qparams = ts_query(f.q) if f.q else ("", [])
        if not query:
            return super().search(f.with_(q=None))
        where, params = self._doc_filters(f)
        cond = "".join(f" AND {_sql(w)}" for w in where)
        base = f"FROM documents d, (SELECT {query} AS query) AS tsq WHERE d.tsv @@ tsq.query"
        limit = f" LIMIT {int(f.limit)} OFFSET {int(f.offset)}" if f.limit is not None else ""
        # rank in a subquery, then fetch text and story only for the page's rows
        top = f"SELECT d.id, ts_rank(d.tsv, tsq.query) AS rank {base}{cond} ORDER BY rank DESC, d.id{limit}"
        items = self._pg_rows(f"SELECT {DOC_COLS}, left(d.text, {SNIPPET_SCAN}) AS snippet FROM ({top}) AS top "
                              "JOIN documents d ON d.id = top.id ORDER BY top.rank DESC, d.id", qparams + params)
        total = len(items) if f.limit is None else \
            self._pg_rows(f"SELECT count(*) AS n {base}{cond}", qparams + params)[0]["n"]
        for item in items:
            item["snippet"] = _snippet(headline(item.get("snippet") or "", f.q))
        return _page(total, f, items)

    def _quote_filters(self, f: Filters) -> tuple[str, list]:
        cond, params = super()._quote_filters(f.with_(about=None))
        if f.about:
            query, qparams = ts_query(f.about)
            if query:
                # inline the tsquery (its %s become ?) so the shared quote queries can use it
                cond += f" AND q.tsv @@ {query.replace('%s', '?')}"
                params = list(params) + qparams
        return cond, params


def headline(text: str, q: str, words: int = 16) -> str:
    """A window of about ``words`` words around the first hit of the query's terms, hits
    wrapped in \\x02/\\x03 as FTS5's ``snippet()`` does. Done here rather than with
    ``ts_headline``, which re-parses each whole document (~2 ms per result)."""
    terms = [t for t in _TOKEN.findall(q or "") if t != "OR"]
    alts = [re.escape(t[:-1]) + r"\w*" if t.endswith("*") else r"\s+".join(map(re.escape, t.strip('"').split()))
            for t in terms if t.strip('"*').strip()]
    if not alts:
        return text[:240]
    hit = re.compile(r"\b(?:" + "|".join(alts) + r")\b", re.IGNORECASE)
    first = hit.search(text)
    pos = first.start() if first else 0
    base = text.rfind(" ", 0, max(0, pos - 25 * words // 4)) + 1  # ~a quarter of the window before
    spans = [m.span() for m in re.finditer(r"\S+", text[base:pos + 25 * words])]
    at = next((i for i, (_, e) in enumerate(spans) if base + e > pos), 0)
    window = spans[max(0, at - words // 4):max(0, at - words // 4) + words]
    if not window:
        return ""
    start, end = base + window[0][0], base + window[-1][1]
    body = hit.sub(lambda m: f"\x02{m.group(0)}\x03", text[start:end])
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")


def _now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _redact(url: str) -> str:
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)
