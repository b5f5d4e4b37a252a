"""The embedded store: one SQLite file in WAL mode, FTS5 for full text, one transaction per
document (so a process killed at any moment leaves every document either whole or absent).

Reads live in ``sqlite_read.py``; the schema and its named migrations in ``sqlite_schema.py``.
"""
from __future__ import annotations

import json
import logging
import sqlite3
import threading
import zlib
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from ..corpus import near_dup
from ..errors import StoreError
from ..record import Analysis, Failure
from .base import Saved, Sighting, Store, alias_forms, day_of, month_of, sentence_around, text_hash
from .sqlite_read import SQLiteReads
from .sqlite_schema import MIGRATIONS

log = logging.getLogger(__name__)


MMAP_BYTES = 1 << 32


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _path_of(target: str) -> str:
    if target.startswith("sqlite:///"):
        return target[len("sqlite:///"):]
    if target.startswith("sqlite://"):
        return target[len("sqlite://"):] or ":memory:"
    return target


class SQLiteStore(SQLiteReads, Store):
    """``SQLiteStore(path)``: opens (creating and migrating as needed) the database file."""

    def __init__(self, target: str | Path = "newsgraph.db", timeout: float = 30.0):
        self.path = _path_of(str(target))
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None,
                                        check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {self.path}: {exc}; check the path and "
                             "that its folder is writable") from None
        self.conn.row_factory = sqlite3.Row
        self.lock = threading.RLock()
        # mmap: reads of a large corpus (a search's matches looked up by rowid) map the file
        # instead of copying each page through read(); SQLite caps it at its compile-time maximum.
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON",
                       "temp_store=MEMORY", "cache_size=-65536", f"mmap_size={MMAP_BYTES}"):
            self.conn.execute(f"PRAGMA {pragma}")
        self._migrate()

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    @contextmanager
    def _tx(self):
        """One write transaction (BEGIN IMMEDIATE: writers queue instead of deadlocking)."""
        with self.lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreError(f"the database {self.path} is busy or read-only ({exc}); "
                                 "wait for the other writer to finish, or check permissions") from None
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def _migrate(self) -> None:
        with self._tx() as c:
            c.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        done = {r[0] for r in self.conn.execute("SELECT name FROM migrations")}
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            log.info("applying migration %s to %s", name, self.path)
            with self._tx() as c:
                for statement in _statements(sql):
                    c.execute(statement)
                c.execute("INSERT INTO migrations(name, applied_at) VALUES (?, ?)", (name, _now()))

    def migrations(self) -> list[dict]:
        with self.lock:
            rows = self.conn.execute("SELECT name, applied_at FROM migrations ORDER BY name").fetchall()
        return [dict(r) for r in rows]

    # -- writing ---------------------------------------------------------------------------
    def save(self, record: Analysis, sighting: Sighting | None = None, replace: bool = False) -> Saved:
        sighting = sighting or Sighting(input_id=record.id, source=record.source, url=record.url,
                                        published=record.published)
        h = text_hash(record.text)
        with self._tx() as c:
            if sighting.where:  # stored now: an earlier failure at the same place is resolved
                c.execute("DELETE FROM failures WHERE where_ = ?", (sighting.where,))
            row = c.execute("SELECT id, doc_id, story FROM documents WHERE text_hash = ?", (h,)).fetchone()
            if row is not None:
                self._sighting(c, row["id"], sighting)
                if replace:
                    self._replace(c, row["id"], record)
                return Saved(row["doc_id"], False, self._doc_id_of(c, row["story"]))
            doc = self._insert_document(c, record, h)
            self._sighting(c, doc, sighting)
            story = self._assign_story(c, doc, record.text)  # first: events are inserted with their story
            self._insert_analysis(c, doc, record)
            doc_id = c.execute("SELECT doc_id FROM documents WHERE id = ?", (doc,)).fetchone()[0]
            return Saved(doc_id, True, self._doc_id_of(c, story))

    def add_sighting(self, hash_: str, sighting: Sighting) -> bool:
        with self._tx() as c:
            row = c.execute("SELECT id FROM documents WHERE text_hash = ?", (hash_,)).fetchone()
            if row is None:
                raise StoreError(f"no stored document has the text hash {hash_}; save the record first")
            return self._sighting(c, row["id"], sighting)

    def lookup(self, hashes: Iterable[str]) -> dict[str, dict]:
        hashes, out = list(hashes), {}
        with self.lock:
            for i in range(0, len(hashes), 500):
                part = hashes[i:i + 500]
                sql = f"SELECT text_hash, doc_id, extractors FROM documents WHERE text_hash IN ({_marks(part)})"
                for r in self.conn.execute(sql, part):
                    out[r["text_hash"]] = {"id": r["doc_id"], "extractors": json.loads(r["extractors"])}
        return out

    def save_failure(self, failure: Failure) -> None:
        where = failure.where or failure.id
        with self._tx() as c:
            c.execute("""INSERT INTO failures(where_, input_id, error, message, at) VALUES (?,?,?,?,?)
                         ON CONFLICT(where_) DO UPDATE SET input_id=excluded.input_id,
                         error=excluded.error, message=excluded.message, at=excluded.at""",
                      (where, failure.id, failure.error, failure.message, _now()))

    def clear_failure(self, where: str) -> None:
        with self._tx() as c:
            c.execute("DELETE FROM failures WHERE where_ = ?", (where,))

    def stale(self, extractors: dict[str, str]) -> Iterator[str]:
        current = _extractors_json(extractors)
        with self.lock:
            ids = [r[0] for r in self.conn.execute(
                "SELECT doc_id FROM documents WHERE extractors != ? ORDER BY id", (current,))]
        yield from ids

    # -- helpers of save -------------------------------------------------------------------
    def _doc_id_of(self, c, internal: int | None) -> str | None:
        if internal is None:
            return None
        row = c.execute("SELECT doc_id FROM documents WHERE id = ?", (internal,)).fetchone()
        return row[0] if row else None

    def _insert_document(self, c, record: Analysis, h: str) -> int:
        doc_id = record.id or h[:16]
        if c.execute("SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone():
            doc_id = f"{doc_id}-{h[:8]}"
        body = record.to_dict()
        body.pop("text")
        body["id"] = doc_id
        cur = c.execute(
            """INSERT INTO documents(doc_id, text_hash, title, url, source, published, day, month,
               language, text, record, extractors, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (doc_id, h, record.title, record.url, record.source, record.published,
             day_of(record.published), month_of(record.published), record.language, record.text,
             pack_record(body), _extractors_json(record.extractors), _now()))
        return cur.lastrowid

    def _sighting(self, c, doc: int, s: Sighting) -> bool:
        cur = c.execute(
            """INSERT INTO sightings(document, input_id, source, url, where_, published, seen_at)
               VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING""",
            (doc, s.input_id or "", s.source or "", s.url or "", s.where or "", s.published, _now()))
        return cur.rowcount > 0

    def _replace(self, c, doc: int, record: Analysis) -> None:
        """Swap in a new analysis of the same text, keeping the document's id, sightings, story."""
        for (entity,) in c.execute("SELECT DISTINCT entity FROM doc_entities WHERE document = ?",
                                   (doc,)).fetchall():
            c.execute("UPDATE entities SET doc_count = doc_count - 1 WHERE id = ?", (entity,))
        for table in ("doc_entities", "doc_aliases", "quote_techniques", "quotes", "events", "techniques"):
            c.execute(f"DELETE FROM {table} WHERE document = ?", (doc,))
        row = c.execute("SELECT doc_id, record FROM documents WHERE id = ?", (doc,)).fetchone()
        body = record.to_dict()
        body.pop("text")
        body["id"] = row["doc_id"]
        c.execute("UPDATE documents SET record = ?, extractors = ?, title = ? WHERE id = ?",
                  (pack_record(body), _extractors_json(record.extractors),
                   record.title, doc))
        self._insert_analysis(c, doc, record)

    def _insert_analysis(self, c, doc: int, record: Analysis) -> None:
        day, month = day_of(record.published), month_of(record.published)
        story = c.execute("SELECT story FROM documents WHERE id = ?", (doc,)).fetchone()[0]
        links = self._insert_entities(c, doc, record)
        c.executemany(
            """INSERT INTO quotes(document, local_id, type, speaker, speaker_local, speaker_name, start,
               end, cue_start, cue_end, speaker_start, speaker_end, sent_start, sent_end, text, day,
               month, score) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            [_quote_row(doc, record, q, links, day, month) for q in record.quotes])
        c.executemany(
            """INSERT INTO events(document, local_id, type, mode, source, target, source_local,
               target_local, trigger_start, trigger_end, sent_start, sent_end, date, day, month,
               location, country, lat, lon, killed, wounded, cameo, negated, hypothetical, factual,
               score, story, extra) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            [_event_row(doc, ev, links, day, story) for ev in record.events])
        c.executemany(
            """INSERT INTO techniques(document, technique, start, end, score, speaker, speaker_local,
               day, month) VALUES (?,?,?,?,?,?,?,?,?)""",
            [(doc, t.technique, t.span[0], t.span[1], t.score, links.get(t.speaker), t.speaker, day,
              month) for t in record.techniques])
        c.execute(QUOTE_TECHNIQUES, (doc,))

    def _insert_entities(self, c, doc: int, record: Analysis) -> dict[str, int]:
        """Corpus entities by canonical name + type; returns record entity id -> corpus id."""
        links: dict[str, int] = {}
        for e in record.entities:
            key = f"{' '.join(e.name.split()).casefold()}|{e.type}"
            row = c.execute("""INSERT INTO entities(key, name, type) VALUES (?,?,?)
                               ON CONFLICT(key) DO UPDATE SET doc_count = doc_count RETURNING id""",
                            (key, " ".join(e.name.split()), e.type)).fetchone()
            links[e.id] = row[0]
        counted = set()
        for e in record.entities:
            ent = links[e.id]
            c.execute("""INSERT INTO doc_entities(document, local_id, entity, mentions, description, code)
                         VALUES (?,?,?,?,?,?)""", (doc, e.id, ent, len(e.mentions), e.description, e.code))
            c.executemany("INSERT OR IGNORE INTO doc_aliases(entity, alias, document) VALUES (?,?,?)",
                          [(ent, a, doc) for a in alias_forms(record, e)])
            if ent not in counted:
                counted.add(ent)
                c.execute("UPDATE entities SET doc_count = doc_count + 1 WHERE id = ?", (ent,))
        return links

    def _assign_story(self, c, doc: int, text: str) -> int:
        """Join the story of the most similar stored near-duplicate, or start a new one."""
        sig = near_dup.signature(text)
        bands = near_dup.bands(sig)
        where = " OR ".join("(band = ? AND hash = ?)" for _ in bands)
        params = [v for pair in bands for v in pair]
        candidates = c.execute(
            f"""SELECT m.document, m.signature, d.story FROM doc_minhash m JOIN documents d ON d.id = m.document
                WHERE m.document IN (SELECT document FROM doc_bands WHERE {where})""", params).fetchall()
        best, story = near_dup.THRESHOLD, doc
        for cand in candidates:
            sim = near_dup.similarity(sig, near_dup.from_blob(cand["signature"]))
            if sim >= best:
                best, story = sim, cand["story"] or cand["document"]
        c.execute("INSERT INTO doc_minhash(document, signature) VALUES (?, ?)", (doc, near_dup.to_blob(sig)))
        c.executemany("INSERT OR IGNORE INTO doc_bands(band, hash, document) VALUES (?,?,?)",
                      [(b, hv, doc) for b, hv in bands])
        c.execute("UPDATE documents SET story = ? WHERE id = ?", (story, doc))
        c.execute("UPDATE events SET story = ? WHERE document = ?", (story, doc))
        return story


QUOTE_TECHNIQUES = """INSERT INTO quote_techniques(document, id, technique, spans, speaker, day)
  SELECT q.document, q.id, t.technique, count(*), q.speaker, q.day FROM quotes q
  JOIN techniques t ON t.document = q.document AND t.start < q.end AND t.end > q.start
  WHERE q.document = ? AND q.speaker IS NOT NULL GROUP BY q.id, t.technique"""


def pack_record(body: dict) -> bytes:
    """The record (without its text) as zlib-compressed JSON: a fifth of the size of the JSON."""
    return zlib.compress(json.dumps(body, ensure_ascii=False).encode("utf-8"), 6)


def _marks(values) -> str:
    return ",".join("?" * len(values))


def _extractors_json(extractors: dict) -> str:
    return json.dumps(dict(sorted((extractors or {}).items())), separators=(",", ":"))


def _statements(sql: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies (BEGIN ... END;) whole."""
    out, buf = [], []
    for line in sql.splitlines():
        buf.append(line)
        joined = "\n".join(buf).strip()
        if joined and sqlite3.complete_statement(joined):
            out.append(joined)
            buf = []
    return out


def _quote_row(doc, record: Analysis, q, links, day, month) -> tuple:
    sent = sentence_around(record, q.span)
    cue = q.cue or (None, None)
    sp = q.speaker_span or (None, None)
    return (doc, q.id, q.type, links.get(q.speaker), q.speaker,
            q.speaker_name or _name_of(record, q.speaker), q.span[0], q.span[1], cue[0], cue[1],
            sp[0], sp[1], sent[0], sent[1], record.text[q.span[0]:q.span[1]], day, month, q.score)


def _name_of(record: Analysis, entity_id: str | None) -> str | None:
    entity = record.entity(entity_id)
    return entity.name if entity else None


def _counted(ev) -> bool:
    """An event counted in trends and networks: it happened (neither negated nor hypothetical)
    and is not another report of an incident the document already told (``Event.same_as``)."""
    return not ev.negated and not ev.hypothetical and ev.same_as is None


def _event_row(doc, ev, links, doc_day, story) -> tuple:
    day = day_of(ev.date) or doc_day
    loc = ev.location
    extra = {k: v for k, v in (("date_precision", ev.date_precision), ("killed_hedge", ev.killed_hedge),
                               ("wounded_hedge", ev.wounded_hedge), ("main", ev.main or None),
                               ("background", ev.background or None), ("same_as", ev.same_as),
                               ("basis", loc.basis if loc else None)) if v is not None}
    return (doc, ev.id, ev.type, ev.mode, links.get(ev.source), links.get(ev.target), ev.source,
            ev.target, ev.trigger[0], ev.trigger[1], ev.sentence[0], ev.sentence[1], ev.date, day,
            day[:7] if day else None, loc.name if loc else None, loc.country if loc else None,
            loc.lat if loc else None, loc.lon if loc else None, ev.killed, ev.wounded, ev.cameo,
            int(ev.negated), int(ev.hypothetical), int(_counted(ev)),
            ev.score, story, json.dumps(extra) if extra else None)
