"""Ingest: every source kind, once per text, sightings, failures, --reanalyze, and a real
``kill -9`` in the middle of a batch followed by a rerun that loses and duplicates nothing.

The articles are short texts written for these tests; URLs and feeds are served by a local
HTTP server on 127.0.0.1.
"""
from __future__ import annotations

import gzip
import importlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsgraph.cli import main as cli_main
from newsgraph.corpus.ingest import current_extractors, ingest, reanalyze_stored
from newsgraph.corpus.sources import iter_documents
from newsgraph.ingest import Article
from newsgraph.record import Failure
from newsgraph.settings import Settings
from newsgraph.store import Filters, Store

ARTICLES = {
    "truce": "Ceasefire Talks Resume\n\nThe government and the Northern Liberation Front resumed talks in "
             "Geneva on Friday. \u201cWe are ready to sign a truce,\u201d said Elena Varga, a negotiator for the group.",
    "port": "Port Reopens\n\nThe port of Marlow reopened on Monday after a week of strikes, the harbor "
            "master Tomas Reed told reporters. Ships queued outside the breakwater for two days.",
    "jets": "Jets Strike Depots\n\nGovernment jets struck two depots north of Marlow on Tuesday, killing "
            "at least 14 fighters, according to the regional health office in Lisbon.",
}
FULL_ITEM = ("<p>Interior Minister Samuel Okafor said on Tuesday that the government would not negotiate "
             "with the Northern Liberation Front until it released its hostages.</p>" * 4)


def usable_settings(**kw) -> Settings:
    """The default extractors whose STEP exists (some are still being built by others)."""
    from newsgraph.pipeline import STEP_MODULES
    names = []
    for name in Settings().extractors:
        try:
            importlib.import_module(STEP_MODULES[name]).STEP
            names.append(name)
        except Exception:
            continue
    return Settings(extractors=names, **kw)


@pytest.fixture(scope="module")
def server():
    from conftest import PageServer

    srv = PageServer()
    base = srv.base
    page = f"<html><head><title>Jets Strike Depots</title></head><body><article><p>{ARTICLES['jets']}</p>" \
           "</article></body></html>"
    rss = f"""<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
      <channel><title>Coast Radio</title>
      <item><title>Okafor Rules Out Talks</title><link>{base}/okafor</link>
        <pubDate>Tue, 08 Mar 2016 10:00:00 GMT</pubDate><content:encoded><![CDATA[{FULL_ITEM}]]></content:encoded></item>
      <item><title>Jets Strike Depots</title><link>{base}/jets</link><description>Short summary.</description>
        <pubDate>Wed, 09 Mar 2016 10:00:00 GMT</pubDate></item>
      <item><title>Gone</title><link>{base}/missing</link><description>Short.</description></item>
      </channel></rss>"""
    srv.pages = {"/jets": ("text/html", page.encode()), "/feed.xml": ("application/rss+xml", rss.encode())}
    yield base
    srv.close()


@pytest.fixture()
def folder(tmp_path, server):
    root = tmp_path / "collected"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "truce.txt").write_text(ARTICLES["truce"], encoding="utf-8")
    (root / "sub" / "copy-of-truce.txt").write_text(ARTICLES["truce"], encoding="utf-8")
    rows = [{"ID": "p1", "date": "2016-03-07", "source": "Harbor Post", "title": "Port Reopens",
             "text": ARTICLES["port"], "authors": "A. Writer, B. Writer"}, {"ID": "bad", "text": "  "}]
    with gzip.open(root / "sub" / "deeper" / "batch.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(json.dumps(r) for r in rows) + "\n{not json\n")
    (root / "links.urls").write_text(f"# saved links\n{server}/jets\n", encoding="utf-8")
    atom = f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
      <title>Atom Wire</title><entry><title>Okafor Again</title><link href="{server}/okafor-atom"/>
      <published>2016-03-10T08:00:00Z</published><content type="html">{FULL_ITEM.replace('<', '&lt;').replace('>', '&gt;')}</content>
      </entry></feed>"""
    (root / "wire.atom").write_text(atom, encoding="utf-8")
    (root / ".hidden.txt").write_text("never read", encoding="utf-8")
    (root / "picture.png").write_bytes(b"\x89PNG")
    return root


def test_sources_read_every_kind(folder, server):
    items = list(iter_documents([str(folder), f"{server}/feed.xml"]))
    arts = [i for i in items if isinstance(i, Article)]
    fails = [i for i in items if isinstance(i, Failure)]
    by_title = {a.title: a for a in arts}
    port = by_title["Port Reopens"]
    assert (port.id, port.published, port.source, port.authors) == ("p1", "2016-03-07", "Harbor Post",
                                                                    ["A. Writer", "B. Writer"])
    assert by_title["Okafor Again"].source == "Atom Wire" and by_title["Okafor Again"].published.startswith("2016-03-10")
    okafor = by_title["Okafor Rules Out Talks"]
    assert okafor.source == "Coast Radio" and okafor.published == "2016-03-08T10:00:00+00:00"
    assert "Samuel Okafor" in okafor.text
    jets = [a for a in arts if "Government jets struck" in a.text]
    assert len(jets) == 2 and {a.url for a in jets} == {f"{server}/jets"}  # from the URL list and the feed
    assert sum(a.text == ARTICLES["truce"] for a in arts) == 2
    assert sorted(f.error for f in fails) == ["EmptyInput", "FetchError", "InputError"]
    assert not any("never read" in a.text for a in arts)


@pytest.fixture(scope="module")
def settings_():
    return usable_settings()


def test_ingest_once_with_sightings_and_failures(folder, tmp_path, settings_, nlp, capsys):
    db = str(tmp_path / "c.db")
    with Store(db) as store:
        first = ingest([str(folder)], store, settings_)
        second = ingest([str(folder)], store, settings_)
        stats = store.stats()
        truce = store.search(Filters(q="truce Geneva"))["items"]
        sightings = store.document(truce[0]["id"])["sightings"]
    assert (first.new, first.seen, first.failed) == (4, 1, 2)
    assert (second.new, second.seen, second.failed) == (0, 5, 2)
    assert stats["documents"] == 4 and stats["failures"] == 2
    assert len(truce) == 1 and len(sightings) == 2
    assert {Path(s["where"]).name for s in sightings} == {"truce.txt", "copy-of-truce.txt"}
    assert cli_main(["failures", "--db", db, "--json"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted(f["error"] for f in listed) == ["EmptyInput", "InputError"]
    assert all(f["message"] for f in listed)


def test_reanalyze_redoes_older_extractor_versions(folder, tmp_path, nlp):
    # entities only: a record whose extractor failed (a model not built yet) stays stale on purpose
    settings_ = Settings(extractors=["entities"])
    db = str(tmp_path / "r.db")
    with Store(db) as store:
        ingest([str(folder / "truce.txt")], store, settings_)
        store.conn.execute("""UPDATE documents SET extractors = '{"entities":"entities.v0"}'""")
        assert ingest([str(folder / "truce.txt")], store, settings_).reanalyzed == 0
        report = ingest([str(folder / "truce.txt")], store, settings_, reanalyze=True)
        assert report.reanalyzed == 1 and store.stats()["documents"] == 1
        store.conn.execute("""UPDATE documents SET extractors = '{"entities":"entities.v0"}'""")
        assert reanalyze_stored(store, settings_).reanalyzed == 1
        assert list(store.stale(current_extractors(settings_))) == []


def test_cli_queries_print_tables_and_jsonl(folder, tmp_path, settings_, nlp, capsys):
    db = str(tmp_path / "q.db")
    with Store(db) as store:
        ingest([str(folder)], store, settings_)
    assert cli_main(["search", "harbor", "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:3] == ["id", "published", "source"] and "Port Reopens" in out
    assert cli_main(["search", "Marlow", "--db", db, "--json"]) == 0
    ids = {json.loads(line)["title"] for line in capsys.readouterr().out.splitlines()}
    assert ids == {"Port Reopens", "Jets Strike Depots"}
    assert cli_main(["entities", "--db", db, "--json", "--limit", "100"]) == 0
    names = {json.loads(line)["name"] for line in capsys.readouterr().out.splitlines()}
    assert "Marlow" in names
    out_csv = tmp_path / "docs.csv"
    assert cli_main(["export", "documents", "--db", db, "--format", "csv", "-o", str(out_csv)]) == 0
    assert out_csv.read_text(encoding="utf-8").startswith("id,title,url,source,published")


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as c:
            return c.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_kill_9_mid_batch_then_rerun_loses_and_duplicates_nothing(tmp_path):
    n = 40
    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join(json.dumps({"id": f"k{i}", "source": "Wire", "text":
                     f"Report {i}: the council of district {i} met on Monday and voted {i} times on the "
                     f"harbor budget, officials in Marlow said."}) + "\n" for i in range(n)), encoding="utf-8")
    db = tmp_path / "kill.db"
    cmd = [sys.executable, "-m", "newsgraph", "ingest", str(batch), "--db", str(db), "--no-progress",
           "--batch-size", "2", "--extractors", "entities"]  # the store is under test, not the models
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.time() + 120
    while _count(db) < 4 and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored_at_kill = _count(db)
    assert 4 <= stored_at_kill < n
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"new={n - stored_at_kill} seen={stored_at_kill}" in done.stderr
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("SELECT count(*), count(DISTINCT text_hash) FROM documents").fetchone() == (n, n)
        assert c.execute("SELECT count(*) FROM sightings").fetchone()[0] == n
        assert c.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'council'").fetchone()[0] == n
        orphans = c.execute("SELECT count(*) FROM doc_entities WHERE document NOT IN (SELECT id FROM documents)")
        assert orphans.fetchone()[0] == 0
