"""The queries of the SQLite store, each answered from an index (see ``sqlite_schema.py``).

Every method returns JSON-ready dicts; lists come back as a ``Page``.
"""
from __future__ import annotations

import json
import re
import sqlite3
import zlib

from ..errors import StoreError
from ..record import Analysis
from .base import Filters, Page, day_of

_TOKEN = re.compile(r'"[^"]+"|\w+\*?', re.UNICODE)

DOC_COLS = ("d.doc_id AS id, d.title, d.url, d.source, d.published, "
            "(SELECT s.doc_id FROM documents s WHERE s.id = d.story) AS story")
QUOTE_COLS = """q.id AS quote, q.local_id, q.type, q.text, q.start, q.end, q.sent_start, q.sent_end, q.speaker,
  q.speaker_name, q.day, q.score, d.doc_id AS document, d.title, d.url, d.source, d.published,
  substr(d.text, q.sent_start + 1, q.sent_end - q.sent_start) AS sentence"""
def _unpack_extra(items: list[dict]) -> list[dict]:
    """An event row's optional fields (date precision, hedges, main, background, same_as, place
    basis), kept as JSON in ``extra``, as fields of the row; ``same_as`` and ``main`` are always there."""
    for item in items:
        extra = item.pop("extra", None)
        item.update({"main": False, "background": False, "same_as": None}, **(json.loads(extra) if extra else {}))
    return items


EVENT_COLS = """e.id AS event, e.local_id, e.type, e.mode, e.source, e.target, e.trigger_start, e.trigger_end,
  e.sent_start, e.sent_end, e.date, e.day, e.location, e.country, e.lat, e.lon, e.killed, e.wounded,
  e.cameo, e.negated, e.hypothetical, e.score, e.extra, d.doc_id AS document, d.title, d.url, d.source AS publication,
  substr(d.text, e.sent_start + 1, e.sent_end - e.sent_start) AS sentence,
  substr(d.text, e.trigger_start + 1, e.trigger_end - e.trigger_start) AS trigger_text,
  (SELECT name FROM entities WHERE id = e.source) AS source_name,
  (SELECT name FROM entities WHERE id = e.target) AS target_name"""


def unpack_record(raw) -> dict:
    """A stored record: zlib-compressed JSON (SQLite store) or JSON text (other backends)."""
    if isinstance(raw, (bytes, memoryview)):
        raw = zlib.decompress(raw)
    return json.loads(raw)


def fts_query(text: str) -> str:
    """User words to an FTS5 query: each word (or "quoted phrase", or prefix*) a term, ANDed;
    an upper-case OR between terms is kept. Nothing else of FTS syntax reaches SQLite."""
    terms = []
    for tok in _TOKEN.findall(text or ""):
        if tok == "OR" and terms:
            terms.append("OR")
        elif tok.startswith('"'):
            terms.append('"' + tok.strip('"').replace('"', "") + '"')
        elif tok.endswith("*"):
            terms.append(f'"{tok[:-1]}"*')
        else:
            terms.append(f'"{tok}"')
    while terms and terms[-1] == "OR":
        terms.pop()
    return " ".join(terms)


def _page(total: int, f: Filters, items: list[dict]) -> Page:
    return {"total": total, "limit": f.limit, "offset": f.offset, "items": items}


def _limit(f: Filters) -> str:
    return f" LIMIT {int(f.limit)} OFFSET {int(f.offset)}" if f.limit is not None else ""


def _date_bounds(f: Filters) -> tuple[str | None, str | None]:
    since = day_of(f.since) if f.since else None
    until = day_of(f.until) if f.until else None
    if until and f.until and len(f.until.strip()) == 7:  # "2016-03" means the whole month
        until = f.until.strip() + "-31"
    if f.until and not until and len(f.until.strip()) == 4:  # "2016" means the whole year
        until = f.until.strip() + "-12-31"
    if f.since and not since and len(f.since.strip()) == 4:
        since = f.since.strip() + "-01-01"
    return since, until


class SQLiteReads:
    conn: sqlite3.Connection
    # The summary tables of migration 0002 (quote_techniques, event_months) exist: the PostgreSQL
    # store, which shares these queries, has none and sets this False to group the rows themselves.
    QUERY_TABLES = True

    def _rows(self, sql: str, params=()) -> list[dict]:
        with self.lock:
            try:
                return [dict(r) for r in self.conn.execute(sql, params).fetchall()]
            except sqlite3.OperationalError as exc:
                raise StoreError(f"the query failed ({exc}); check the search words and filters") from None

    def _one(self, sql: str, params=()):
        rows = self._rows(sql, params)
        return next(iter(rows[0].values())) if rows else None

    def _entity_ids(self, ref: str | None) -> list[int]:
        """Corpus entity ids for an id, a canonical name, or else an alias (case-insensitive)."""
        if ref is None:
            return []
        ref = str(ref).strip()
        if ref.isdigit():
            return [int(ref)]
        ids = [r["id"] for r in self._rows("SELECT id FROM entities WHERE name = ? COLLATE NOCASE", (ref,))]
        if not ids:
            ids = [r["entity"] for r in self._rows(
                "SELECT DISTINCT entity FROM doc_aliases WHERE alias = ? COLLATE NOCASE", (ref,))]
        return ids or [-1]

    # -- documents ---------------------------------------------------------------------------
    def _doc_filters(self, f: Filters) -> tuple[list[str], list]:
        where, params = [], []
        since, until = _date_bounds(f)
        if f.source:
            where.append("d.source = ?"); params.append(f.source)
        if since:
            where.append("d.day >= ?"); params.append(since)
        if until:
            where.append("d.day <= ?"); params.append(until)
        if f.entity:
            ids = self._entity_ids(f.entity)
            where.append(f"d.id IN (SELECT document FROM doc_entities WHERE entity IN ({_marks(ids)}))")
            params += ids
        if f.speaker:
            ids = self._entity_ids(f.speaker)
            where.append(f"d.id IN (SELECT document FROM quotes WHERE speaker IN ({_marks(ids)}))")
            params += ids
        if f.event_type:
            where.append("d.id IN (SELECT document FROM events WHERE type = ?)"); params.append(f.event_type)
        if f.technique:
            where.append("d.id IN (SELECT document FROM techniques WHERE technique = ?)")
            params.append(f.technique)
        return where, params

    def search(self, f: Filters) -> Page:
        where, params = self._doc_filters(f)
        q = fts_query(f.q) if f.q else ""
        if q:
            # the full-text index outside, in rank order; each match's filters read from the narrow
            # documents_meta index, the document's row only for the page (see _search_count)
            base = ("FROM documents_fts CROSS JOIN documents d INDEXED BY documents_meta ON d.id = documents_fts.rowid "
                    "WHERE documents_fts MATCH ?")
            params = [q] + params
            select = (f"SELECT {DOC_COLS}, snippet(documents_fts, 1, '\x02', '\x03', '…', 16) AS snippet "
                      f"{base}")
            order = " ORDER BY documents_fts.rank"
        else:
            base = "FROM documents d WHERE 1"
            select = f"SELECT {DOC_COLS}, substr(d.text, 1, 240) AS snippet {base}"
            order = " ORDER BY d.day DESC, d.id DESC"
        cond = "".join(f" AND {w}" for w in where)
        items = self._rows(select + cond + order + _limit(f), params)
        total = len(items) if f.limit is None else self._one(_search_count(q, bool(where)) + cond, params)
        for item in items:
            item["snippet"] = _snippet(item.get("snippet"))
        return _page(total, f, items)

    def get(self, doc_id: str) -> Analysis | None:
        rows = self._rows("SELECT doc_id, text, record FROM documents WHERE doc_id = ?", (doc_id,))
        if not rows:
            return None
        body = unpack_record(rows[0]["record"])
        body["text"], body["id"] = rows[0]["text"], rows[0]["doc_id"]
        return Analysis.from_dict(body)

    def document(self, doc_id: str) -> dict | None:
        rec = self.get(doc_id)
        if rec is None:
            return None
        doc = self._rows("SELECT id, story FROM documents WHERE doc_id = ?", (doc_id,))[0]
        out = rec.to_dict()
        out["sightings"] = self._rows(
            """SELECT nullif(input_id,'') AS input_id, nullif(source,'') AS source, nullif(url,'') AS url,
               nullif(where_, '') AS "where", published, seen_at FROM sightings WHERE document = ? ORDER BY id""", (doc["id"],))
        out["story"] = self._rows(
            f"SELECT {DOC_COLS} FROM documents d WHERE d.story = ? AND d.id != ? ORDER BY d.day, d.id LIMIT 50",
            (doc["story"], doc["id"]))
        out["entity_links"] = {r["local_id"]: r["entity"] for r in self._rows(
            "SELECT local_id, entity FROM doc_entities WHERE document = ?", (doc["id"],))}
        return out

    # -- quotes and timelines ----------------------------------------------------------------
    def _quote_filters(self, f: Filters) -> tuple[str, list]:
        where, params = ["1"], []
        if f.speaker:
            ids = self._entity_ids(f.speaker)
            where.append(f"q.speaker IN ({_marks(ids)})"); params += ids
        if f.about:
            where.append("q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)")
            params.append(fts_query(f.about))
        since, until = _date_bounds(f)
        if since:
            where.append("q.day >= ?"); params.append(since)
        if until:
            where.append("q.day <= ?"); params.append(until)
        if f.source:
            where.append("q.document IN (SELECT id FROM documents WHERE source = ?)"); params.append(f.source)
        return " AND ".join(where), params

    def quotes(self, f: Filters) -> Page:
        cond, params = self._quote_filters(f)
        order = " ORDER BY q.day IS NULL, q.day, q.id"
        sql = f"SELECT {QUOTE_COLS} FROM quotes q JOIN documents d ON d.id = q.document WHERE "
        if f.limit is None:
            items = self._rows(sql + cond + order, params)
        else:  # the page's ids from the index first: columns (and sentences) for those rows only
            items = self._rows(f"{sql}q.id IN (SELECT q.id FROM quotes q WHERE {cond}{order}{_limit(f)}){order}",
                               params)
        total = len(items) if f.limit is None else self._one(f"SELECT count(*) FROM quotes q WHERE {cond}", params)
        return _page(total, f, items)

    def timeline(self, speaker: str, f: Filters) -> dict:
        if self._is_publication(speaker):
            return self._publication_timeline(speaker, f)
        f = f.with_(speaker=speaker)
        cond, params = self._quote_filters(f)
        page = self.quotes(f)
        # a quote's month is its day's first 7 characters: read from the (speaker, day) index alone
        months = self._rows(f"SELECT substr(q.day, 1, 7) AS month, count(*) AS quotes FROM quotes q WHERE {cond} "
                            "AND q.day IS NOT NULL GROUP BY 1 ORDER BY 1", params)
        techniques = self._rows(self._timeline_techniques_sql(cond), params)
        ids = [i for i in self._entity_ids(speaker) if i > 0]
        speakers = self._rows(f"SELECT id, name, type FROM entities WHERE id IN ({_marks(ids)})", ids) if ids else []
        return {"speaker": speaker, "about": f.about, "mode": "speaker", "entities": speakers, "quotes": page,
                "months": months, "techniques": techniques}

    def _timeline_techniques_sql(self, cond: str) -> str:
        """Techniques per month in the quotes matching ``cond``: from quote_techniques, the
        (quote, label) pairs whose spans overlap, or else by joining quotes and technique spans."""
        if self.QUERY_TABLES:
            return f"""SELECT q.technique, substr(q.day, 1, 7) AS month, sum(q.spans) AS count
                FROM quote_techniques q WHERE {cond} GROUP BY q.technique, 2 ORDER BY 2, q.technique"""
        return f"""SELECT t.technique, q.month, count(*) AS count FROM quotes q
                JOIN techniques t ON t.document = q.document AND t.start < q.end AND t.end > q.start
                WHERE {cond} GROUP BY t.technique, q.month ORDER BY q.month, t.technique"""

    def _is_publication(self, name: str) -> bool:
        """A name that is a document source and no quoted speaker: the publication's own voice."""
        if not self._rows("SELECT 1 FROM documents WHERE source = ? LIMIT 1", (name,)):
            return False
        ids = self._entity_ids(name)
        return not self._rows(f"SELECT 1 FROM quotes WHERE speaker IN ({_marks(ids)}) LIMIT 1", ids)

    def _publication_timeline(self, source: str, f: Filters) -> dict:
        """What a publication said about a topic in its own voice: its documents matching
        ``about`` (found by ``search``, so every backend's full text serves) in date order, each
        cited by the first sentence that holds the words."""
        found = self.search(Filters(q=f.about, source=source, since=f.since, until=f.until, limit=None))
        ids = [d["id"] for d in found["items"]] or [""]
        cond = f"d.doc_id IN ({_marks(ids)})"
        docs = self._rows(f"SELECT d.doc_id, d.title, d.url, d.source, d.published, d.day, d.text "
                          f"FROM documents d WHERE {cond} ORDER BY d.day IS NULL, d.day, d.id" + _limit(f), ids)
        months = self._rows(f"SELECT d.month, count(*) AS quotes FROM documents d WHERE {cond} AND d.month "
                            "IS NOT NULL GROUP BY d.month ORDER BY d.month", ids)
        techniques = self._rows(
            f"""SELECT t.technique, t.month, count(*) AS count FROM techniques t WHERE t.speaker_local IS NULL
                AND t.document IN (SELECT d.id FROM documents d WHERE {cond})
                GROUP BY t.technique, t.month ORDER BY t.month, t.technique""", ids)
        items = [_cite_words(doc, f.about) for doc in docs]
        return {"speaker": source, "about": f.about, "mode": "publication", "entities": [],
                "quotes": _page(found["total"], f, items), "months": months, "techniques": techniques}

    # -- events ------------------------------------------------------------------------------
    def _event_filters(self, f: Filters) -> tuple[str, list]:
        where, params = ["1"], []
        if f.event_type:
            where.append("e.type = ?"); params.append(f.event_type)
        since, until = _date_bounds(f)
        if since:
            where.append("e.month >= ?"); params.append(since[:7])
        if until:
            where.append("e.month <= ?"); params.append(until[:7])
        if f.entity:
            ids = self._entity_ids(f.entity)
            where.append(f"(e.source IN ({_marks(ids)}) OR e.target IN ({_marks(ids)}))"); params += ids + ids
        if f.source:
            where.append("e.document IN (SELECT id FROM documents WHERE source = ?)"); params.append(f.source)
        return " AND ".join(where), params

    def events(self, f: Filters) -> Page:
        cond, params = self._event_filters(f)
        order = " ORDER BY e.day, e.id"
        sql = f"SELECT {EVENT_COLS} FROM events e JOIN documents d ON d.id = e.document WHERE "
        if f.limit is None:
            items = self._rows(sql + cond + order, params)
        else:  # the page's ids first, in (type,) day order from an index; then their columns
            days, more = _month_bounds_as_days(f)
            items = self._rows(f"{sql}e.id IN (SELECT e.id FROM events e WHERE {cond}{days}{order}{_limit(f)}){order}",
                               params + more)
        total = len(items) if f.limit is None else self._one(f"SELECT count(*) FROM events e WHERE {cond}", params)
        return _page(total, f, _unpack_extra(items))

    def event_trends(self, f: Filters) -> dict:
        cond, params = self._event_filters(f)
        if f.entity or f.source or not self.QUERY_TABLES:
            rows = self._rows(f"""SELECT e.month, e.type, count(*) AS events, count(DISTINCT e.story) AS stories
                                  FROM events e WHERE {cond} AND e.factual = 1 AND e.month IS NOT NULL
                                  GROUP BY e.month, e.type ORDER BY e.month, e.type""", params)
        else:  # type and dates only: the per-month counts kept by the events_months triggers
            rows = self._rows(f"""SELECT e.month, e.type, e.events, e.stories FROM event_months e WHERE {cond}
                                  ORDER BY e.month, e.type""", params)
        present = sorted({r["month"] for r in rows})
        months = (month_range(present[0], present[-1]) or present) if present else []
        index = {m: i for i, m in enumerate(months)}
        series: dict[str, list[int]] = {}
        stories: dict[str, list[int]] = {}
        for r in rows:
            series.setdefault(r["type"], [0] * len(months))[index[r["month"]]] = r["events"]
            stories.setdefault(r["type"], [0] * len(months))[index[r["month"]]] = r["stories"]
        return {"months": months, "series": series, "stories": stories}

    def network(self, f: Filters) -> dict:
        cond, params = self._event_filters(f)
        limit = int(f.limit or 100)
        edges = self._rows(f"""SELECT e.source, e.target, count(*) AS count, group_concat(DISTINCT e.type) AS types
                               FROM events e WHERE {cond} AND e.factual = 1 AND e.source IS NOT NULL
                               AND e.target IS NOT NULL AND e.source != e.target
                               GROUP BY e.source, e.target ORDER BY count DESC LIMIT {limit}""", params)
        ids = sorted({e["source"] for e in edges} | {e["target"] for e in edges})
        nodes = self._rows(f"SELECT id, name, type FROM entities WHERE id IN ({_marks(ids)})", ids) if ids else []
        for e in edges:
            e["types"] = sorted((e["types"] or "").split(","))
        return {"nodes": nodes, "edges": edges}

    # -- entities ----------------------------------------------------------------------------
    def entities(self, f: Filters) -> Page:
        where, params = ["doc_count > 0"], []
        if f.q:
            where.append("name LIKE ? ESCAPE '\\'")
            params.append(f.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        if f.type:
            where.append("type = ?"); params.append(f.type)
        cond = " AND ".join(where)
        items = self._rows(f"SELECT id, name, type, doc_count AS documents FROM entities WHERE {cond} "
                           "ORDER BY doc_count DESC, id" + _limit(f), params)
        total = len(items) if f.limit is None else self._one(f"SELECT count(*) FROM entities WHERE {cond}", params)
        return _page(total, f, items)

    def entity(self, ref: str) -> dict | None:
        ids = [i for i in self._entity_ids(ref) if i > 0]
        if not ids:
            return None
        ent = self._rows("SELECT id, name, type, doc_count AS documents FROM entities WHERE id = ?", (ids[0],))
        if not ent:
            return None
        out, eid = ent[0], ids[0]
        out["aliases"] = self._rows(
            """SELECT a.alias, nullif(d.source, '') AS source, min(d.day) AS first_seen, max(d.day) AS last_seen,
               count(*) AS documents FROM doc_aliases a JOIN documents d ON d.id = a.document
               WHERE a.entity = ? GROUP BY a.alias, d.source ORDER BY first_seen IS NULL, first_seen, a.alias""",
            (eid,))
        some = Filters(limit=50)
        out["said"] = self.quotes(some.with_(speaker=str(eid)))
        out["did"] = self._entity_events(eid, "source", some)
        out["done_to"] = self._entity_events(eid, "target", some)
        out["recent_documents"] = self._rows(
            f"""SELECT {DOC_COLS} FROM documents d WHERE d.id IN (SELECT x.id FROM doc_entities de
                JOIN documents x ON x.id = de.document WHERE de.entity = ? ORDER BY x.day DESC, x.id DESC LIMIT 50)
                ORDER BY d.day DESC, d.id DESC""", (eid,))
        return out

    def _entity_events(self, eid: int, role: str, f: Filters) -> Page:
        sql = (f"SELECT {EVENT_COLS} FROM events e JOIN documents d ON d.id = e.document WHERE e.id IN "
               f"(SELECT id FROM events WHERE {role} = ? ORDER BY day, id{_limit(f)}) ORDER BY e.day, e.id")
        items = self._rows(sql, (eid,))
        return _page(self._one(f"SELECT count(*) FROM events WHERE {role} = ?", (eid,)), f, _unpack_extra(items))

    # -- techniques, failures, stats -----------------------------------------------------------
    def techniques(self, f: Filters) -> Page:
        where, params = ["1"], []
        if f.technique:
            where.append("t.technique = ?"); params.append(f.technique)
        if f.speaker:
            ids = self._entity_ids(f.speaker)
            where.append(f"t.speaker IN ({_marks(ids)})"); params += ids
        cond = " AND ".join(where)
        items = self._rows(
            f"""SELECT t.technique, t.start, t.end, t.score, t.speaker, t.day, d.doc_id AS document, d.title,
                d.source, substr(d.text, t.start + 1, t.end - t.start) AS text
                FROM techniques t JOIN documents d ON d.id = t.document WHERE {cond} ORDER BY t.id""" + _limit(f),
            params)
        total = len(items) if f.limit is None else self._one(f"SELECT count(*) FROM techniques t WHERE {cond}", params)
        return _page(total, f, items)

    def failures(self, f: Filters) -> Page:
        items = self._rows('SELECT where_ AS "where", input_id AS id, error, message, at FROM failures '
                           "ORDER BY id" + _limit(f))
        return _page(self._one("SELECT count(*) FROM failures"), f, items)

    def stats(self) -> dict:
        tables = ("documents", "sightings", "entities", "quotes", "events", "techniques", "failures")
        out = {t: self._one(f"SELECT count(*) FROM {t}") for t in tables}
        out["stories"] = self._one("SELECT count(DISTINCT story) FROM documents")
        out["sources"] = self._rows("SELECT source, count(*) AS documents FROM documents "
                                    "WHERE source IS NOT NULL GROUP BY source ORDER BY documents DESC LIMIT 50")
        out["event_types"] = [r["type"] for r in self._rows("SELECT DISTINCT type FROM events ORDER BY type")]
        out["techniques_used"] = [r["technique"] for r in self._rows(
            "SELECT DISTINCT technique FROM techniques ORDER BY technique")]
        return out


MAX_MONTHS = 600


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (``YYYY-MM``), so a trend shows its empty months;
    an empty list when that is over ``MAX_MONTHS`` (an event dated "in 1945" among 2016 news)."""
    y, m = int(first[:4]), int(first[5:7])
    if (int(last[:4]) - y) * 12 + int(last[5:7]) - m >= MAX_MONTHS:
        return []
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _cite_words(doc: dict, about: str | None) -> dict:
    """A document of a publication timeline, cited by the first sentence holding ``about``'s
    first word (the title's first sentence when no topic is given)."""
    text = doc.pop("text")
    words = [w.strip('"*').lower() for w in _TOKEN.findall(about or "") if w != "OR"]
    lowered = text.lower()
    hit = next((i for i in (lowered.find(w) for w in words) if i >= 0), -1)
    start, end = (hit, hit + len(words[0])) if hit >= 0 else (0, 0)
    left = max(text.rfind(sep, 0, start) for sep in (". ", "? ", "! ", "\n")) + 1 if hit >= 0 else 0
    rights = [i for i in (text.find(sep, end) for sep in (". ", "? ", "! ", "\n")) if i >= 0]
    right = min(rights) + 1 if rights else len(text)
    while left < right and text[left].isspace():
        left += 1
    start, end = (start, end) if hit >= 0 else (left, right)
    return {"quote": None, "local_id": None, "type": "publication", "text": text[start:end], "start": start,
            "end": end, "sent_start": left, "sent_end": right, "speaker": None, "speaker_name": doc["source"],
            "day": doc["day"], "score": None, "document": doc["doc_id"], "title": doc["title"], "url": doc["url"],
            "source": doc["source"], "published": doc["published"], "sentence": text[left:right]}


def _month_bounds_as_days(f: Filters) -> tuple[str, list]:
    """``_event_filters``' month bounds restated on ``e.day`` (an event's month is its day's first
    seven characters): the same rows, and a range an index on day can seek to. Digits alone
    decide both comparisons, so they hold under any collation."""
    since, until = _date_bounds(f)
    where, params = "", []
    if since:
        where += " AND e.day >= ?"; params.append(since[:7])
    if until:
        y, m = int(until[:4]), int(until[5:7])
        where += " AND e.day < ?"; params.append(f"{y + m // 12:04d}-{m % 12 + 1:02d}")  # the next month
    return where, params


def _search_count(q: str, filtered: bool) -> str:
    """The count behind a search page. Words alone: the full-text index counts its matches without
    reading a document. Words and filters: each match looked up (CROSS JOIN keeps the index
    outside: it costs the matches, where a filter-first plan probes the index once per document
    of a large source or year) in ``documents_meta`` (id, source, day), which holds every column
    the document filters read, instead of in the documents table with its texts."""
    if not q:
        return "SELECT count(*) FROM documents d WHERE 1"
    if not filtered:
        return "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?"
    return ("SELECT count(*) FROM documents_fts CROSS JOIN documents d INDEXED BY documents_meta "
            "ON d.id = documents_fts.rowid WHERE documents_fts MATCH ?")


def _marks(values) -> str:
    return ",".join("?" * len(values))


def _snippet(raw: str | None) -> list[dict]:
    """FTS5 snippet with \\x02/\\x03 around hits, as segments [{text, hit}] the page escapes."""
    out = []
    for i, part in enumerate(re.split(r"[\x02\x03]", raw or "")):
        if part:
            out.append({"text": part, "hit": i % 2 == 1})
    return out
