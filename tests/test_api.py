"""The HTTP API and the server-rendered pages, in process (FastAPI's TestClient).

The store holds the hand-built records of ``test_store.py``; only the write endpoint runs the
real pipeline (on a short text written here).
"""
from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient
from test_store import CORPUS, make

from newsgraph.api import create_app
from newsgraph.store import Store
from newsgraph.web.highlight import segments

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def client():
    store = Store(":memory:")
    for rec in CORPUS:
        store.save(rec)
    hostile = make("x1", "Northern Front attacked the Port Authority. <script>alert('x')</script> "
                         "“<b>bold</b> claim,” said Ana Kis.", said="<b>bold</b> claim", published="2016-04-01")
    hostile.title = "<img src=x onerror=alert(1)>"
    store.save(hostile)
    from newsgraph.settings import Settings
    with TestClient(create_app(store, token=TOKEN, settings=Settings(extractors=["entities"]))) as c:
        yield c


@pytest.mark.parametrize("query, expected", [
    ("q=harbor", {"d1", "d2", "d3"}),
    ("q=harbor&source=Coast+Radio", {"d2"}),
    ("since=2016-03-01&until=2016-03-31", {"d2", "d3"}),
    ("speaker=Tomas+Reed", {"d4"}),
    ("entity=NLF&event_type=ATTACK", {"d3"}),
    ("technique=Loaded_Language", {"d1"}),
])
def test_search_filters(client, query, expected):
    body = client.get(f"/api/documents?{query}").json()
    assert {d["id"] for d in body["items"]} == expected and body["total"] == len(expected)


def test_pagination_and_validation(client):
    page = client.get("/api/documents?limit=2&offset=2").json()
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (5, 2, 2, 2)
    assert client.get("/api/documents?limit=0").status_code == 422
    assert client.get("/api/documents?limit=501").status_code == 422


def test_document_and_not_found(client):
    doc = client.get("/api/documents/d2").json()
    assert doc["text"] == CORPUS[1].text and doc["sightings"][0]["source"] == "Coast Radio"
    missing = client.get("/api/documents/nope")
    assert missing.status_code == 404 and "GET /api/documents" in missing.json()["detail"]


def test_timeline_entity_trends_network(client):
    tl = client.get("/api/timeline", params={"speaker": "Ana Kis", "about": "harbor"}).json()
    assert [q["document"] for q in tl["quotes"]["items"]] == ["d1", "d2", "d3"]
    assert client.get("/api/timeline").status_code == 422
    ent = client.get("/api/entities/Northern Front").json()
    assert ent["did"]["total"] == 4 and {a["alias"] for a in ent["aliases"]} == {"Northern Front", "NLF"}
    trends = client.get("/api/trends?event_type=ASSAULT").json()
    assert trends["series"]["ASSAULT"] == [1, 0, 1, 1]
    assert trends["months"] == ["2016-01", "2016-02", "2016-03", "2016-04"]  # empty months included
    net = client.get("/api/network").json()
    assert [e["count"] for e in net["edges"]] == [3]


@pytest.mark.parametrize("path", ["/api/quotes", "/api/documents", "/api/events", "/api/export/entities"])
def test_exports_return_every_row(client, path):
    sep = "&" if "?" in path else "?"
    total = client.get(path.replace("/export", "") if "export" in path else path).json()["total"]
    jl = client.get(f"{path}{sep}format=jsonl&limit=1")
    assert jl.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in jl.text.splitlines()]
    assert len(rows) == total
    c = client.get(f"{path}{sep}format=csv&limit=1")
    assert c.headers["content-type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(c.text)))) == total


def test_openapi_documents_the_routes(client):
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/documents", "/api/documents/{doc_id}", "/api/quotes", "/api/timeline", "/api/entities/{ref}",
              "/api/trends", "/api/network", "/api/export/{kind}", "/api/failures"):
        assert p in paths
    assert "post" in paths["/api/documents"]


def test_write_needs_the_token(client, nlp):
    body = {"text": "Ceasefire talks resumed in Geneva, said Elena Varga.", "source": "Test Wire",
            "published": "2016-05-02"}
    assert client.post("/api/documents", json=body).status_code == 401
    assert client.post("/api/documents", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    made = client.post("/api/documents", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert made.status_code == 201 and made.json()["created"] is True
    assert made.json()["record"]["source"] == "Test Wire"
    empty = client.post("/api/documents", json={"text": "   "}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert empty.status_code == 400 and empty.json()["error"] == "EmptyInput"


def test_read_only_server_refuses_writes():
    with TestClient(create_app(Store(":memory:"))) as c:
        r = c.post("/api/documents", json={"text": "x"})
    assert r.status_code == 403 and "--token" in r.json()["detail"]


def test_article_page_escapes_untrusted_text(client):
    html = client.get("/articles/x1").text
    assert "<script>alert" not in html and "&lt;script&gt;alert(" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b>bold</b>" not in html


def test_article_page_highlights(client):
    html = client.get("/articles/d1").text
    assert ('<span class="hl hl-quote hl-technique" title="direct quote: Ana Kis; technique Loaded_Language '
            '(0.80)" data-refs="q1 t1" id="q1">We will take the harbor</span>') in html
    assert '<span class="hl hl-event" title="event ASSAULT" data-refs="v1" id="v1">attacked</span>' in html
    assert '<span class="hl hl-entity" title="Ana Kis (PERSON)" data-refs="e1" id="e1">Ana Kis</span>' in html
    assert 'href="/timeline?speaker=Ana%20Kis"' in html


def test_segments_cover_text_once_and_nest():
    doc = CORPUS[0].to_dict()
    segs = segments(doc)
    assert "".join(s.text for s in segs) == doc["text"]
    quote = [s for s in segs if "quote" in s.kinds]
    assert "".join(s.text for s in quote) == "We will take the harbor"
    assert all("technique" in s.kinds for s in quote)


@pytest.mark.parametrize("path, needle", [
    ("/?q=harbor", "Title d1"), ("/entities", "Northern Front"), ("/entities/Ana Kis", "Had done to it"),
    ("/timeline?speaker=Ana+Kis&about=harbor", "id=\"chart-data\""), ("/events", "Events per month"),
    ("/network", "Who acts on whom"), ("/static/app/app.js", "newsgraph"),
])
def test_pages_render(client, path, needle):
    r = client.get(path)
    assert r.status_code == 200 and needle in r.text


def test_plotly_served_from_the_installed_package(client):
    r = client.get("/static/vendor/plotly.min.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert len(r.content) > 1_000_000


def test_article_page_shows_an_event_date_as_precisely_as_stated():
    rec = make("y1", "Northern Front attacked the Port Authority in 2019, said Ana Kis.")
    rec.events[0].date, rec.events[0].date_precision = "2019-01-01", "year"
    store = Store(":memory:")
    store.save(rec)
    from newsgraph.settings import Settings
    with TestClient(create_app(store, token=TOKEN, settings=Settings(extractors=["entities"]))) as c:
        html = c.get("/articles/y1").text
    assert '<span class="tag">2019</span>' in html and "2019-01-01" not in html
