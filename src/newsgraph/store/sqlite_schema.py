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
  factual INTEGER NOT NULL,      -- neither negated nor hypothetical: counted in trends and networks
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

MIGRATIONS: list[tuple[str, str]] = [
    ("0001_initial", INITIAL),
]
