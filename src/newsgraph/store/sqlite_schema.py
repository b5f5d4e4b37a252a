"""Named migrations of the SQLite store, applied in order and recorded in ``migrations``.

A schema change is a new ``(name, sql)`` pair appended to ``MIGRATIONS``; a database opened
by a newer newsgraph runs the ones it has not recorded, each in its own transaction.
"""
from __future__ import annotations

INITIAL = """
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  doc_id TEXT NOT NULL UNIQUE,
  text_hash TEXT NOT NULL UNIQUE,
  title TEXT, url TEXT, source TEXT, published TEXT, day TEXT, month TEXT,
  language TEXT, text TEXT NOT NULL,
  record BLOB NOT NULL,          -- the record without its text: zlib-compressed JSON (older rows: JSON text)
  extractors TEXT NOT NULL,      -- JSON with sorted keys: which extractor versions made it
  story INTEGER,                 -- documents.id of the first copy of a near-duplicate group
  ingested_at TEXT NOT NULL
);
CREATE INDEX documents_day ON documents(day, id);
CREATE INDEX documents_source_day ON documents(source, day);
CREATE INDEX documents_story ON documents(story);
CREATE INDEX documents_extractors ON documents(extractors);

CREATE VIRTUAL TABLE documents_fts USING fts5(
  title, text, content='documents', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
  INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
  INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER documents_au AFTER UPDATE OF title, text ON documents BEGIN
  INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
  INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;

CREATE TABLE sightings (
  id INTEGER PRIMARY KEY,
  document INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  input_id TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '', url TEXT NOT NULL DEFAULT '',
  where_ TEXT NOT NULL DEFAULT '', published TEXT, seen_at TEXT NOT NULL,
  UNIQUE (document, input_id, source, url, where_)
);

CREATE TABLE entities (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,      -- casefolded name | type
  name TEXT NOT NULL, type TEXT NOT NULL,
  doc_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX entities_name ON entities(name COLLATE NOCASE, doc_count);
CREATE INDEX entities_type_count ON entities(type, doc_count);
CREATE INDEX entities_count ON entities(doc_count);

CREATE TABLE doc_entities (
  document INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  local_id TEXT NOT NULL, entity INTEGER NOT NULL REFERENCES entities(id),
  mentions INTEGER NOT NULL, description TEXT, code TEXT,
  PRIMARY KEY (document, local_id)
) WITHOUT ROWID;
CREATE INDEX doc_entities_entity ON doc_entities(entity, document);

CREATE TABLE doc_aliases (
  entity INTEGER NOT NULL, alias TEXT NOT NULL, document INTEGER NOT NULL,
  PRIMARY KEY (entity, alias, document)
) WITHOUT ROWID;
CREATE INDEX doc_aliases_alias ON doc_aliases(alias COLLATE NOCASE, entity);
CREATE INDEX doc_aliases_document ON doc_aliases(document);

CREATE TABLE quotes (
  id INTEGER PRIMARY KEY,
  document INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  local_id TEXT, type TEXT, speaker INTEGER, speaker_local TEXT, speaker_name TEXT,
  start INTEGER NOT NULL, end INTEGER NOT NULL, cue_start INTEGER, cue_end INTEGER,
  speaker_start INTEGER, speaker_end INTEGER, sent_start INTEGER, sent_end INTEGER,
  text TEXT NOT NULL, day TEXT, month TEXT, score REAL
);
CREATE INDEX quotes_speaker_day ON quotes(speaker, day, id);
CREATE INDEX quotes_document ON quotes(document);
CREATE VIRTUAL TABLE quotes_fts USING fts5(text, content='quotes', content_rowid='id',
  tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER quotes_ai AFTER INSERT ON quotes BEGIN
  INSERT INTO quotes_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER quotes_ad AFTER DELETE ON quotes BEGIN
  INSERT INTO quotes_fts(quotes_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  document INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  local_id TEXT, type TEXT NOT NULL, mode TEXT,
  source INTEGER, target INTEGER, source_local TEXT, target_local TEXT,
  trigger_start INTEGER NOT NULL, trigger_end INTEGER NOT NULL,
  sent_start INTEGER NOT NULL, sent_end INTEGER NOT NULL,
  date TEXT, day TEXT, month TEXT, location TEXT, country TEXT, lat REAL, lon REAL,
  killed INTEGER, wounded INTEGER, cameo TEXT, negated INTEGER NOT NULL, hypothetical INTEGER NOT NULL,
  factual INTEGER NOT NULL,      -- neither negated nor hypothetical nor a re-report (same_as): counted in trends and networks
  score REAL, story INTEGER, extra TEXT
);
CREATE INDEX events_type_month ON events(type, month, factual, story);
CREATE INDEX events_month_type ON events(month, type, factual, story);
CREATE INDEX events_source ON events(source, target, factual, type, month);
CREATE INDEX events_target ON events(target, month);
CREATE INDEX events_document ON events(document);

CREATE TABLE techniques (
  id INTEGER PRIMARY KEY,
  document INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  technique TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, score REAL,
  speaker INTEGER, speaker_local TEXT, day TEXT, month TEXT
);
CREATE INDEX techniques_technique ON techniques(technique, document);
CREATE INDEX techniques_speaker ON techniques(speaker, month);
CREATE INDEX techniques_document ON techniques(document, start);

CREATE TABLE failures (
  id INTEGER PRIMARY KEY,
  where_ TEXT NOT NULL UNIQUE, input_id TEXT, error TEXT NOT NULL, message TEXT NOT NULL,
  at TEXT NOT NULL
);

CREATE TABLE doc_minhash (
  document INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  signature BLOB NOT NULL
);
CREATE TABLE doc_bands (
  band INTEGER NOT NULL, hash INTEGER NOT NULL, document INTEGER NOT NULL,
  PRIMARY KEY (band, hash, document)
) WITHOUT ROWID;
CREATE INDEX doc_bands_document ON doc_bands(document);
"""

# Tables that answer the heaviest queries of a large corpus without scanning it, kept in step with
# the tables they summarise (by ``SQLiteStore.save`` and by triggers) and filled from them here.
# * quote_techniques: each (quote, technique label) whose spans overlap, with the quote's speaker,
#   day and document, so a speaker timeline counts techniques per month from one index range instead
#   of joining every quote of the speaker with every technique span of its document.
# * event_months / event_story_months: factual events per (type, month) and per (type, month, story),
#   so event trends read a few hundred summary rows instead of grouping every event.
# * events_source_day / events_target_day: what an entity did and had done to it, in date order.
QUERY_TABLES = """
CREATE TABLE quote_techniques (
  document INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  id INTEGER NOT NULL,           -- quotes.id
  technique TEXT NOT NULL,
  spans INTEGER NOT NULL,        -- technique spans of that label overlapping the quote
  speaker INTEGER, day TEXT,
  PRIMARY KEY (document, id, technique)
) WITHOUT ROWID;
CREATE INDEX quote_techniques_speaker ON quote_techniques(speaker, day, technique);
INSERT INTO quote_techniques(document, id, technique, spans, speaker, day)
  SELECT q.document, q.id, t.technique, count(*), q.speaker, q.day FROM quotes q
  JOIN techniques t ON t.document = q.document AND t.start < q.end AND t.end > q.start
  WHERE q.speaker IS NOT NULL GROUP BY q.document, q.id, t.technique;

CREATE TABLE event_story_months (
  type TEXT NOT NULL, month TEXT NOT NULL,
  story INTEGER NOT NULL,        -- events.story, 0 while it is not assigned yet
  events INTEGER NOT NULL,
  PRIMARY KEY (type, month, story)
) WITHOUT ROWID;
CREATE TABLE event_months (
  type TEXT NOT NULL, month TEXT NOT NULL, events INTEGER NOT NULL, stories INTEGER NOT NULL,
  PRIMARY KEY (type, month)
) WITHOUT ROWID;
CREATE INDEX event_months_month ON event_months(month, type);
INSERT INTO event_story_months(type, month, story, events)
  SELECT type, month, coalesce(story, 0), count(*) FROM events WHERE factual = 1 AND month IS NOT NULL
  GROUP BY type, month, coalesce(story, 0);
INSERT INTO event_months(type, month, events, stories)
  SELECT type, month, sum(events), sum(story != 0) FROM event_story_months GROUP BY type, month;
""" + "".join(f"""
CREATE TRIGGER events_months_{name} AFTER {when} ON events BEGIN
{body}END;""" for name, when, body in (
    ("ai", "INSERT", "{add}"), ("ad", "DELETE", "{remove}"),
    ("au", "UPDATE OF type, month, factual, story", "{remove}{add}"))).format(
    remove="""  UPDATE event_story_months SET events = events - 1
    WHERE old.factual = 1 AND type = old.type AND month = old.month AND story = coalesce(old.story, 0);
  UPDATE event_months SET events = events - 1, stories = stories - (old.story IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM event_story_months s WHERE s.type = old.type AND s.month = old.month AND s.story = old.story
    AND s.events > 0)) WHERE old.factual = 1 AND type = old.type AND month = old.month;
  DELETE FROM event_story_months WHERE type = old.type AND month = old.month AND story = coalesce(old.story, 0)
    AND events = 0;
  DELETE FROM event_months WHERE type = old.type AND month = old.month AND events = 0;
""", add="""  INSERT INTO event_months(type, month, events, stories)
    SELECT new.type, new.month, 1, new.story IS NOT NULL AND NOT EXISTS (SELECT 1 FROM event_story_months s
      WHERE s.type = new.type AND s.month = new.month AND s.story = new.story)
    WHERE new.factual = 1 AND new.month IS NOT NULL
    ON CONFLICT(type, month) DO UPDATE SET events = events + 1, stories = stories + excluded.stories;
  INSERT INTO event_story_months(type, month, story, events)
    SELECT new.type, new.month, coalesce(new.story, 0), 1 WHERE new.factual = 1 AND new.month IS NOT NULL
    ON CONFLICT(type, month, story) DO UPDATE SET events = events + 1;
""") + """

CREATE INDEX events_source_day ON events(source, day, id);
CREATE INDEX events_target_day ON events(target, day, id);
"""

# A search with filters counts its matches by looking each one up: in this narrow index (a few
# MB) rather than in the documents table, whose rows carry the texts (see sqlite_read.search).
SEARCH_META = """
CREATE INDEX documents_meta ON documents(id, source, day);
"""

# An events page (by type, or all types) in date order, read from an index instead of sorted.
EVENTS_BY_DAY = """
CREATE INDEX events_type_day ON events(type, day, id);
CREATE INDEX events_day ON events(day, id);
"""

MIGRATIONS: list[tuple[str, str]] = [
    ("0001_initial", INITIAL),
    ("0002_query_tables", QUERY_TABLES),
    ("0003_documents_meta", SEARCH_META),
    ("0004_events_by_day", EVENTS_BY_DAY),
]
