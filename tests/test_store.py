"""The SQLite store: keys, sightings, migrations, queries and their indexes, near-duplicates.

Records are built by hand from short sentences written for these tests (offsets found with
str.index, so every span is real and checked with span_problems); no model is loaded here.
"""
from __future__ import annotations

import pytest

from newsgraph.errors import StoreError
from newsgraph.record import Analysis, Entity, Event, Failure, Quote, Technique, span_problems
from newsgraph.store import Filters, Sighting, Store, day_of, month_of, text_hash
from newsgraph.store.sqlite import SQLiteStore
from newsgraph.store.sqlite_read import _search_count, fts_query


def span(text: str, part: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return start, start + len(part)


def make(doc_id, text, *, source="Harbor Post", published="2016-03-04", speaker="Ana Kis",
         said=None, target="Port Authority", event="ASSAULT", technique=None, negated=False,
         acronym=None, extractors=None) -> Analysis:
    ents = [Entity("e1", speaker, "PERSON", [span(text, speaker)])]
    org = acronym or "Northern Front"
    ents.append(Entity("e2", "Northern Front", "ORG", [span(text, org)]))
    quotes, events, techs = [], [], []
    if said:
        quotes.append(Quote("q1", span(text, said), "direct", "e1", span(text, speaker), None))
    if target in text:
        ents.append(Entity("e3", target, "ORG", [span(text, target)]))
        trig = next(w for w in ("attacked", "shelled", "struck") if w in text)
        events.append(Event("v1", event, span(text, trig), (0, text.index(".") + 1), source="e2",
                            target="e3", negated=negated))
    if technique and said:
        techs.append(Technique(technique, span(text, said), 0.8, "e1"))
    rec = Analysis(id=doc_id, text=text, source=source, published=published, title=f"Title {doc_id}",
                   entities=ents, quotes=quotes, events=events, techniques=techs,
                   extractors=extractors or {"entities": "entities.v1"})
    assert span_problems(rec) == []
    return rec


CORPUS = [
    make("d1", "Northern Front attacked the Port Authority at dawn. “We will take the harbor,” said Ana Kis.",
         said="We will take the harbor", technique="Loaded_Language", published="2016-01-10"),
    make("d2", "The NLF shelled the Port Authority again. “The harbor is ours,” said Ana Kis on Monday.",
         said="The harbor is ours", published="2016-03-02", source="Coast Radio", acronym="NLF"),
    make("d3", "Northern Front struck the Port Authority. “We want talks about the harbor,” Ana Kis said.",
         said="We want talks about the harbor", published="2016-03-20", event="ATTACK", negated=True),
    make("d4", "Tomas Reed said the Northern Front was weak. “Nothing will change,” said Tomas Reed.",
         speaker="Tomas Reed", said="Nothing will change", target="nobody", published="2017-05-01",
         source="Coast Radio"),
]


@pytest.fixture()
def store():
    s = Store(":memory:")
    for rec in CORPUS:
        s.save(rec)
    yield s
    s.close()


def test_store_factory_dispatch(tmp_path):
    s = Store(str(tmp_path / "x.db"))
    assert isinstance(s, SQLiteStore) and isinstance(s, Store)
    s.close()
    with pytest.raises(StoreError, match="postgresql://"):
        Store("ftp://example/db")


def test_migrations_recorded_once(tmp_path):
    path = str(tmp_path / "m.db")
    with Store(path) as s:
        first = s.migrations()
    with Store(path) as s:
        again = s.migrations()
    assert [m["name"] for m in first] == ["0001_initial", "0002_query_tables", "0003_documents_meta",
                                       "0004_events_by_day"]
    assert again == first


@pytest.mark.parametrize("date, day, month", [
    ("2016-03-04", "2016-03-04", "2016-03"), ("2016-03-04T10:00:00+00:00", "2016-03-04", "2016-03"),
    ("2016-03", "2016-03-01", "2016-03"), ("2050-13-01", None, None), ("1/21/2016", None, None), (None, None, None)])
def test_day_and_month(date, day, month):
    assert day_of(date) == day and month_of(date) == month


def test_same_text_is_one_document_with_sightings(store):
    rec = CORPUS[0]
    again = store.save(rec, Sighting(input_id="feed-b-7", source="Other Wire", url="https://b.example/7"))
    repeat = store.save(rec, Sighting(input_id="feed-b-7", source="Other Wire", url="https://b.example/7"))
    assert (again.created, repeat.created) == (False, False)
    doc = store.document("d1")
    assert [s["source"] for s in doc["sightings"]] == ["Harbor Post", "Other Wire"]
    assert store.stats()["documents"] == 4


def test_id_collision_gets_hash_suffix(store):
    other = make("d1", "Northern Front attacked the Port Authority twice. “Enough,” said Ana Kis.", said="Enough")
    saved = store.save(other)
    assert saved.created and saved.doc_id == "d1-" + text_hash(other.text)[:8]
    assert store.get("d1").text == CORPUS[0].text


def test_get_round_trips_the_record(store):
    for rec in CORPUS:
        assert store.get(rec.id).to_dict() == rec.to_dict()


@pytest.mark.parametrize("filters, expected", [
    (Filters(q="harbor"), {"d1", "d2", "d3"}),
    (Filters(q="harbor", source="Coast Radio"), {"d2"}),
    (Filters(q="harbor OR change"), {"d1", "d2", "d3", "d4"}),
    (Filters(q='"take the harbor"'), {"d1"}),
    (Filters(since="2016-03-01", until="2016-03"), {"d2", "d3"}),
    (Filters(since="2017"), {"d4"}),
    (Filters(until="2016"), {"d1", "d2", "d3"}),  # a year alone means all of it, as "since" does
    (Filters(since="2016", until="2016"), {"d1", "d2", "d3"}),
    (Filters(entity="Tomas Reed"), {"d4"}),
    (Filters(entity="NLF"), {"d1", "d2", "d3", "d4"}),  # alias resolves to the Northern Front
    (Filters(speaker="ana kis"), {"d1", "d2", "d3"}),
    (Filters(event_type="ATTACK"), {"d3"}),
    (Filters(technique="Loaded_Language"), {"d1"}),
    (Filters(q="harbor", event_type="ASSAULT", source="Harbor Post"), {"d1"}),
])
def test_search_filters(store, filters, expected):
    page = store.search(filters)
    assert {d["id"] for d in page["items"]} == expected and page["total"] == len(expected)


@pytest.mark.parametrize("raw", ['AND (', '"unclosed', "NEAR(", "*", "harbor -port", "col:harbor"])
def test_search_never_passes_fts_syntax_errors(store, raw):
    store.search(Filters(q=raw))  # must not raise
    assert fts_query("harbor:port") == '"harbor" "port"'


def test_search_snippet_marks_hits(store):
    item = store.search(Filters(q="dawn"))["items"][0]
    assert [s["text"] for s in item["snippet"] if s["hit"]] == ["dawn"]


def test_pagination(store):
    first = store.search(Filters(limit=3))
    second = store.search(Filters(limit=3, offset=3))
    assert first["total"] == 4 and len(first["items"]) == 3 and len(second["items"]) == 1
    assert [d["id"] for d in first["items"]] == ["d4", "d3", "d2"]  # newest first without a query


def test_timeline_in_date_order_with_citations(store):
    tl = store.timeline("Ana Kis", Filters(about="harbor"))
    quotes = tl["quotes"]["items"]
    assert [q["document"] for q in quotes] == ["d1", "d2", "d3"]
    assert quotes[1]["sentence"] == "“The harbor is ours,” said Ana Kis on Monday."
    text = CORPUS[1].text
    assert text[quotes[1]["start"]:quotes[1]["end"]] == "The harbor is ours"
    assert tl["months"] == [{"month": "2016-01", "quotes": 1}, {"month": "2016-03", "quotes": 2}]
    assert tl["techniques"] == [{"technique": "Loaded_Language", "month": "2016-01", "count": 1}]
    assert store.timeline("Ana Kis", Filters(about="talks"))["quotes"]["total"] == 1


def test_entity_page_aliases_said_did_done_to(store):
    front = store.entity("Northern Front")
    aliases = {(a["alias"], a["source"]): a["first_seen"] for a in front["aliases"]}
    assert aliases[("NLF", "Coast Radio")] == "2016-03-02"
    assert aliases[("Northern Front", "Harbor Post")] == "2016-01-10"
    assert front["did"]["total"] == 3 and front["done_to"]["total"] == 0
    port = store.entity("port authority")
    assert port["done_to"]["total"] == 3 and port["documents"] == 3
    assert [q["text"] for q in store.entity("Tomas Reed")["said"]["items"]] == ["Nothing will change"]
    assert store.entity("nobody we know") is None


def test_event_trends_leave_out_negated(store):
    trends = store.event_trends(Filters())
    assert trends["months"] == ["2016-01", "2016-02", "2016-03"]
    assert trends["series"] == {"ASSAULT": [1, 0, 1]}  # d3's ATTACK is negated
    assert trends["stories"] == {"ASSAULT": [1, 0, 1]}
    assert store.events(Filters(event_type="ATTACK"))["items"][0]["negated"] == 1


@pytest.mark.parametrize("filters", [
    Filters(), Filters(since="2016-03"), Filters(until="2016-01"), Filters(since="2016-02", until="2016-03-01"),
    Filters(event_type="ASSAULT", since="2016"), Filters(event_type="ATTACK", until="2016-03"),
])
def test_event_pages_match_the_whole_list(store, filters):
    whole = store.events(filters.with_(limit=None))["items"]
    pages = [store.events(filters.with_(limit=1, offset=i)) for i in range(len(whole) + 1)]
    assert [i for p in pages for i in p["items"]] == whole
    assert {p["total"] for p in pages} == {len(whole)}


def test_network_counts_who_acts_on_whom(store):
    net = store.network(Filters())
    names = {n["id"]: n["name"] for n in net["nodes"]}
    assert [(names[e["source"]], names[e["target"]], e["count"]) for e in net["edges"]] == [
        ("Northern Front", "Port Authority", 2)]


def test_near_duplicates_share_a_story(store):
    wire = ("Officials in the coastal city said on Tuesday that the ferry service would resume next week "
            "after months of repairs to the damaged pier, and that tickets would go on sale on Friday.")
    a = store.save(make("w1", "Northern Front said Ana Kis. " + wire, said="said"))
    b = store.save(make("w2", "Northern Front said Ana Kis. " + wire.replace("Friday", "Saturday"), said="said"))
    c = store.save(make("w3", "Northern Front said Ana Kis. A different story entirely about farming "
                              "subsidies and the price of wheat in the northern valleys this spring.", said="said"))
    assert a.story == "w1" and b.story == "w1" and c.story == "w3"
    assert [d["id"] for d in store.document("w1")["story"]] == ["w2"]


def test_replace_swaps_analysis_keeps_sightings(store):
    new = make("d1", CORPUS[0].text, said="We will take the harbor", extractors={"entities": "entities.v2"})
    new.quotes[0].type = "mixed"
    store.save(new, Sighting(source="Later Feed"), replace=True)
    assert store.get("d1").quotes[0].type == "mixed"
    assert store.stats()["quotes"] == 4
    assert len(store.document("d1")["sightings"]) == 2
    assert store.entity("Ana Kis")["documents"] == 3
    assert list(store.stale({"entities": "entities.v2"})) == ["d2", "d3", "d4"]


def test_failures_upserted_and_cleared(store):
    store.save_failure(Failure(id="x", error="EmptyInput", message="empty", where="in/a.txt"))
    store.save_failure(Failure(id="x", error="BinaryInput", message="binary", where="in/a.txt"))
    page = store.failures(Filters())
    assert page["total"] == 1 and page["items"][0]["error"] == "BinaryInput"
    store.save(make("d9", "Ana Kis met the Northern Front.", target="none"), Sighting(where="in/a.txt"))
    assert store.failures(Filters())["total"] == 0


@pytest.mark.parametrize("kind, n", [("documents", 4), ("quotes", 4), ("events", 3), ("entities", 4),
                                     ("techniques", 1), ("failures", 0)])
def test_export_every_row(store, kind, n):
    assert len(list(store.export(kind, Filters(limit=1)))) == n


@pytest.mark.parametrize("sql, params, index", [
    ("SELECT * FROM quotes q WHERE q.speaker IN (?) ORDER BY q.day", (1,), "quotes_speaker_day"),
    ("SELECT * FROM documents d WHERE d.id IN (SELECT document FROM doc_entities WHERE entity IN (?))",
     (1,), "doc_entities_entity"),
    ("SELECT month, type, count(*), count(DISTINCT story) FROM events e WHERE e.type = ? AND e.factual = 1 "
     "GROUP BY month, type", ("ASSAULT",), "events_type_month"),
    ("SELECT source, target, count(*) FROM events e WHERE e.factual = 1 AND e.source IS NOT NULL "
     "GROUP BY source, target", (), "events_source"),
    ("SELECT * FROM doc_aliases WHERE alias = ? COLLATE NOCASE", ("NLF",), "doc_aliases_alias"),
    ("SELECT * FROM documents d WHERE d.source = ? AND d.day >= ?", ("x", "2016"), "documents_source_day"),
    ("SELECT technique, substr(day, 1, 7), sum(spans) FROM quote_techniques q WHERE q.speaker IN (?) "
     "GROUP BY 1, 2", (1,), "quote_techniques_speaker"),
    ("SELECT substr(q.day, 1, 7), count(*) FROM quotes q WHERE q.speaker IN (?) AND q.day IS NOT NULL GROUP BY 1",
     (1,), "COVERING INDEX quotes_speaker_day"),
    ("SELECT * FROM event_months e WHERE e.type = ? AND e.month >= ?", ("ASSAULT", "2016-01"), "PRIMARY KEY"),
    ("SELECT id FROM events WHERE source = ? ORDER BY day, id LIMIT 50", (1,), "COVERING INDEX events_source_day"),
    ("SELECT id FROM events WHERE target = ? ORDER BY day, id LIMIT 50", (1,), "COVERING INDEX events_target_day"),
    ("SELECT e.id FROM events e WHERE e.type = ? AND e.month >= ? AND e.day >= ? ORDER BY e.day, e.id LIMIT 20",
     ("ASSAULT", "2016-01", "2016-01"), "events_type_day"),
    ("SELECT e.id FROM events e WHERE 1 ORDER BY e.day, e.id LIMIT 20", (), "COVERING INDEX events_day"),
    (_search_count('"harbor"', True) + " AND d.source = ? AND d.day >= ?", ('"harbor"', "x", "2016"),
     "COVERING INDEX documents_meta"),
])
def test_queries_use_indexes(store, sql, params, index):
    plan = " ".join(r[3] for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql, params))
    assert index in plan, plan


# What the query tables of migration 0002 hold must equal what they summarise, computed afresh.
FRESH_EVENT_MONTHS = """SELECT type, month, count(*), count(DISTINCT story) FROM events
    WHERE factual = 1 AND month IS NOT NULL GROUP BY type, month ORDER BY type, month"""
FRESH_QUOTE_TECHNIQUES = """SELECT q.document, q.id, t.technique, count(*), q.speaker, q.day FROM quotes q
    JOIN techniques t ON t.document = q.document AND t.start < q.end AND t.end > q.start
    WHERE q.speaker IS NOT NULL GROUP BY q.document, q.id, t.technique ORDER BY 1, 2, 3"""


def query_tables(store) -> tuple[list, list]:
    months = [tuple(r) for r in store.conn.execute("SELECT type, month, events, stories FROM event_months "
                                                   "ORDER BY type, month")]
    pairs = [tuple(r) for r in store.conn.execute("SELECT document, id, technique, spans, speaker, day FROM "
                                                  "quote_techniques ORDER BY 1, 2, 3")]
    return months, pairs


def fresh(store) -> tuple[list, list]:
    return ([tuple(r) for r in store.conn.execute(FRESH_EVENT_MONTHS)],
            [tuple(r) for r in store.conn.execute(FRESH_QUOTE_TECHNIQUES)])


def test_query_tables_follow_saves_stories_replaces_and_deletes(store):
    if not isinstance(store, SQLiteStore):  # test_postgres.py reruns this module's tests
        pytest.skip("the query tables of migration 0002 are SQLite's")
    assert query_tables(store) == fresh(store)
    assert query_tables(store)[0] == [("ASSAULT", "2016-01", 1, 1), ("ASSAULT", "2016-03", 1, 1)]
    assert [r[2:4] for r in query_tables(store)[1]] == [("Loaded_Language", 1)]
    wire = ("Northern Front attacked the Port Authority near the old ferry pier on Tuesday morning. "
            "“We hold the harbor and the pier,” said Ana Kis.")
    store.save(make("w1", wire, said="We hold the harbor", technique="Doubt", published="2016-03-05"))
    store.save(make("w2", wire + " More.", said="We hold the harbor", technique="Doubt", published="2016-03-06"))
    assert [d["id"] for d in store.document("w1")["story"]] == ["w2"]  # one story, counted once
    assert ("ASSAULT", "2016-03", 3, 2) in query_tables(store)[0]
    negated = make("d2", CORPUS[1].text, said="The harbor is ours", technique="Doubt", negated=True,
                   published="2016-03-02", source="Coast Radio", acronym="NLF")
    store.save(negated, replace=True)
    assert ("ASSAULT", "2016-03", 2, 1) in query_tables(store)[0]
    assert query_tables(store) == fresh(store)
    store.conn.execute("DELETE FROM documents WHERE doc_id = 'w1'")
    assert ("ASSAULT", "2016-03", 1, 1) in query_tables(store)[0]
    assert query_tables(store) == fresh(store)


def test_migration_0002_fills_query_tables_of_an_older_database(tmp_path):
    path = str(tmp_path / "old.db")
    with Store(path) as s:
        for rec in CORPUS:
            s.save(rec)
        expected = query_tables(s), s.timeline("Ana Kis", Filters()), s.event_trends(Filters())
        s.conn.executescript("""DROP TABLE quote_techniques; DROP TABLE event_story_months; DROP TABLE event_months;
            DROP TRIGGER events_months_ai; DROP TRIGGER events_months_ad; DROP TRIGGER events_months_au;
            DROP INDEX events_source_day; DROP INDEX events_target_day;
            DELETE FROM migrations WHERE name = '0002_query_tables';""")  # as 0001 left it
    with Store(path) as s:
        assert [m["name"] for m in s.migrations()] == ["0001_initial", "0002_query_tables", "0003_documents_meta",
                                         "0004_events_by_day"]
        assert (query_tables(s), s.timeline("Ana Kis", Filters()), s.event_trends(Filters())) == expected


def test_publication_timeline_is_its_own_voice(store):
    tl = store.timeline("Coast Radio", Filters(about="harbor"))
    assert tl["mode"] == "publication"
    items = tl["quotes"]["items"]
    assert [i["document"] for i in items] == ["d2"]
    assert items[0]["sentence"] == "“The harbor is ours,” said Ana Kis on Monday."
    assert CORPUS[1].text[items[0]["start"]:items[0]["end"]].lower() == "harbor"
    assert tl["months"] == [{"month": "2016-03", "quotes": 1}]
    assert store.timeline("Coast Radio", Filters())["quotes"]["total"] == 2
    assert store.timeline("Ana Kis", Filters())["mode"] == "speaker"


@pytest.mark.parametrize("surface, is_name", [
    ("The Beacon", True), ("ISIL", True), ("Daesh", True), ("Islamic State of Iraq and Syria", True),
    ("TRUMP", True), ("The group", False), ("the extremists", False), ("The 44th president", False),
    ("This terror organization", False), ("She", False), ("they", False), ("the cult-like group", False),
])
def test_aliases_are_names_not_descriptions(surface, is_name):
    from newsgraph.store.base import reads_as_name
    assert reads_as_name(surface) is is_name


@pytest.mark.parametrize("first, last, expected", [
    ("2016-11", "2017-02", ["2016-11", "2016-12", "2017-01", "2017-02"]),
    ("2016-03", "2016-03", ["2016-03"]),
    ("1945-05", "2016-03", []),  # too long a span to fill: the trend keeps the months it has
])
def test_month_range(first, last, expected):
    from newsgraph.store.sqlite_read import month_range
    assert month_range(first, last) == expected


def test_another_report_of_an_incident_is_stored_but_counted_once(store):
    text = ("Northern Front shelled the Port Authority at dawn, Ana Kis said. The harbour office later said "
            "Northern Front struck the Port Authority with rockets.")
    rec = make("d9", text, published="2016-02-20")
    first = rec.events[0]
    rec.events.append(Event("v2", "ASSAULT", span(text, "struck"), (text.index("The"), len(text)), source="e2",
                            target="e3", killed=12, same_as=first.id))
    first.killed, first.main = 10, True
    store.save(rec)
    trends = store.event_trends(Filters())
    assert trends["series"] == {"ASSAULT": [1, 1, 1]}  # the second report of February's shelling adds nothing
    stored = [e for e in store.events(Filters())["items"] if e["document"] == "d9"]
    assert sorted(e["local_id"] for e in stored) == ["v1", "v2"]
    by_id = {e["local_id"]: e for e in stored}
    assert by_id["v2"]["same_as"] == "v1" and by_id["v2"]["killed"] == 12 and not by_id["v2"]["main"]
    assert by_id["v1"]["main"] is True and by_id["v1"]["same_as"] is None
