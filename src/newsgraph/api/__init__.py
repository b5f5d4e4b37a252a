"""The HTTP API (FastAPI): the store's queries as JSON, documented at ``/docs`` (OpenAPI).

Read-only unless the app is created with a ``token``: then ``POST /api/documents`` analyses
and stores a document for clients sending ``Authorization: Bearer <token>``. Routes only
translate: parse parameters into ``Filters``, call one ``Store`` method, return its dict.
Every list answers JSON by default; ``format=jsonl`` or ``format=csv`` streams the whole
result (all pages) instead. The web pages (``newsgraph.web``) are mounted on the same app.
"""
from __future__ import annotations

import csv
import hmac
import io
import json
from contextlib import asynccontextmanager
from typing import Iterator, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from ..errors import NewsgraphError
from ..settings import Settings
from ..store import Filters, Store

Format = Literal["json", "jsonl", "csv"]
ExportKind = Literal["documents", "quotes", "events", "entities", "techniques", "failures"]


class NewDocument(BaseModel):
    """A document to analyse and store: ``text`` (plain) or ``html``, and what is known of it."""
    text: str | None = Field(None, description="plain text; offsets in the record point into it")
    html: str | None = Field(None, description="a web page; its main text is extracted")
    id: str | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = Field(None, description="publication name")
    published: str | None = Field(None, description="ISO 8601 date of publication")


def filters(q: str | None = Query(None, description="full-text query; words are ANDed, \"phrases\" quoted"),
            source: str | None = Query(None, description="publication, exact"),
            since: str | None = Query(None, description="from this date (YYYY, YYYY-MM or YYYY-MM-DD)"),
            until: str | None = Query(None, description="up to this date, inclusive"),
            entity: str | None = Query(None, description="entity id or canonical name"),
            speaker: str | None = Query(None, description="entity id or name of the quoted speaker"),
            event_type: str | None = Query(None, description="PLOVER event type, e.g. ASSAULT"),
            technique: str | None = Query(None, description="technique label"),
            about: str | None = Query(None, description="words a quote must contain"),
            type: str | None = Query(None, description="entity type (PERSON, ORG, GPE, ...)"),
            limit: int = Query(20, ge=1, le=500, description="items per page"),
            offset: int = Query(0, ge=0, description="items to skip")) -> Filters:
    return Filters(q=q or None, source=source or None, since=since or None, until=until or None,
                   entity=entity or None, speaker=speaker or None, event_type=event_type or None,
                   technique=technique or None, about=about or None, type=type or None,
                   limit=limit, offset=offset)


def create_app(db: str | Store = "newsgraph.db", token: str | None = None,
               settings: Settings | None = None, web: bool = True) -> FastAPI:
    """The app over the store at ``db`` (a path, a URL, or an open ``Store``)."""
    from .. import __version__

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        app.state.store.close()

    app = FastAPI(title="newsgraph", version=__version__, lifespan=lifespan,
                  description="Who said what, who did what to whom, and how: a corpus of cited "
                              "analysis records. Lists take `format=jsonl|csv` for a full export.")
    app.state.store = db if isinstance(db, Store) else Store(db)
    app.state.token = token
    app.state.settings = settings or Settings()

    @app.exception_handler(NewsgraphError)
    async def _error(request: Request, exc: NewsgraphError):
        return JSONResponse({"error": exc.code, "message": str(exc)}, status_code=exc.http_status)

    _routes(app)
    if web:
        from ..web import mount
        mount(app)
    return app


def get_store(request: Request) -> Store:
    return request.app.state.store


def export_response(rows: Iterator[dict], fmt: Format, name: str) -> StreamingResponse:
    """Stream rows as JSON Lines, or CSV with nested values as JSON in their cell."""
    def body() -> Iterator[str]:
        fields = None
        for row in rows:
            if fmt == "jsonl":
                yield json.dumps(row, ensure_ascii=False) + "\n"
                continue
            flat = {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
                    for k, v in row.items()}
            buf = io.StringIO()
            writer = csv.DictWriter(buf, fieldnames=fields or list(flat), extrasaction="ignore")
            if fields is None:
                fields = list(flat)
                writer.writeheader()
            writer.writerow(flat)
            yield buf.getvalue()

    kind = "application/x-ndjson" if fmt == "jsonl" else "text/csv"
    return StreamingResponse(body(), media_type=f"{kind}; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


def _routes(app: FastAPI) -> None:
    @app.get("/api/stats", tags=["corpus"], summary="Counts, sources, event types and techniques")
    def stats(store: Store = Depends(get_store)) -> dict:
        return store.stats()

    @app.get("/api/documents", tags=["documents"], summary="Full-text search with filters")
    def search(f: Filters = Depends(filters), format: Format = "json", store: Store = Depends(get_store)):
        if format == "json":
            return store.search(f)
        return export_response(store.export("documents", f), format, "documents")

    @app.get("/api/documents/{doc_id}", tags=["documents"],
             summary="One record with its sightings, near-duplicate copies and entity links")
    def document(doc_id: str, store: Store = Depends(get_store)) -> dict:
        doc = store.document(doc_id)
        if doc is None:
            raise HTTPException(404, f"no document '{doc_id}'; search with GET /api/documents")
        return doc

    @app.post("/api/documents", tags=["documents"], status_code=201,
              summary="Analyse and store a document (needs the server's token)")
    def add(doc: NewDocument, request: Request, authorization: str | None = Header(None),
            store: Store = Depends(get_store)) -> dict:
        _check_token(request.app.state.token, authorization)
        from ..pipeline import analyze
        record = analyze(doc.model_dump(exclude_none=True), request.app.state.settings)
        saved = store.save(record)
        return {"id": saved.doc_id, "created": saved.created, "story": saved.story,
                "record": store.document(saved.doc_id)}

    for path, method, summary in (
            ("/api/quotes", "quotes", "Quotes by speaker and topic, oldest first, each cited"),
            ("/api/events", "events", "Events by type, date, actor and publication"),
            ("/api/entities", "entities", "Corpus entities by name prefix and type"),
            ("/api/techniques", "techniques", "Technique spans by label and speaker"),
            ("/api/failures", "failures", "Documents that could not be read or analysed")):
        _list_route(app, path, method, summary)

    @app.get("/api/entities/{ref}", tags=["entities"],
             summary="Entity page: aliases by source, what it said, did and had done to it")
    def entity(ref: str, store: Store = Depends(get_store)) -> dict:
        out = store.entity(ref)
        if out is None:
            raise HTTPException(404, f"no entity '{ref}'; list them with GET /api/entities")
        return out

    @app.get("/api/timeline", tags=["quotes"],
             summary="Everything a speaker said about a topic, in date order, with monthly counts")
    def timeline(speaker: str = Query(..., description="entity id or name"), f: Filters = Depends(filters),
                 store: Store = Depends(get_store)) -> dict:
        return store.timeline(speaker, f)

    @app.get("/api/trends", tags=["events"], summary="Events per type per month (and stories)")
    def trends(f: Filters = Depends(filters), store: Store = Depends(get_store)) -> dict:
        return store.event_trends(f)

    @app.get("/api/network", tags=["events"], summary="Who acts on whom: the heaviest edges")
    def network(f: Filters = Depends(filters), store: Store = Depends(get_store)) -> dict:
        return store.network(f)

    @app.get("/api/export/{kind}", tags=["corpus"], summary="Every row of a query as JSON Lines or CSV")
    def export(kind: ExportKind, format: Literal["jsonl", "csv"] = "jsonl",
               f: Filters = Depends(filters), store: Store = Depends(get_store)):
        return export_response(store.export(kind, f), format, kind)


def _list_route(app: FastAPI, path: str, method: str, summary: str) -> None:
    def route(f: Filters = Depends(filters), format: Format = "json", store: Store = Depends(get_store)):
        if format == "json":
            return getattr(store, method)(f)
        return export_response(store.export(method, f), format, method)

    route.__name__ = f"list_{method}"
    app.get(path, tags=[method], summary=summary)(route)


def _check_token(token: str | None, authorization: str | None) -> None:
    if not token:
        raise HTTPException(403, "this server is read-only; start it with --token (or NEWSGRAPH_TOKEN) "
                                 "to accept documents")
    given = (authorization or "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise HTTPException(401, "missing or wrong token; send 'Authorization: Bearer <token>'")
